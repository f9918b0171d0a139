namespace TcpScope.Recording;

/// <summary>What a chunk holds. A reader skips (after its checksum) a kind it does not know, so later kinds (counter samples, socket snapshots) need no new version.</summary>
public enum ChunkKind : uint
{
    /// <summary>Host facts and how the recording was made; the first chunk.</summary>
    Header = 1,

    /// <summary>The kernel's enums by name; the second chunk.</summary>
    Enums = 2,

    /// <summary>Raw ring records and batch ends.</summary>
    Records = 3,

    /// <summary>What the source counted (events, lost, ...) and when it ended; the last chunk.</summary>
    Trailer = 4,
}
