namespace TcpScope.Recording;

/// <summary>
/// The constants of the recording file format (docs/recording-format.md): a 16-byte preamble,
/// then chunks, each framed with its lengths and a CRC32 and compressed on its own, so that
/// damage is found at the chunk it hit and everything before it is still readable.
/// </summary>
public static class RecordingFormat
{
    /// <summary>The format this TcpScope writes, and the newest it reads.</summary>
    public const ushort Version = 1;

    /// <summary>
    /// The layout of the raw ring records (bpf/tcpscope.h) in the records chunks: bumped with
    /// every change to that header's structs, so a reader knows whether it can decode them.
    /// </summary>
    public const uint RecordAbiVersion = 1;

    /// <summary>0x89 first (not text, not ASCII), then "TSREC", then CR LF (caught if a text-mode copy mangled the file).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'T', (byte)'S', (byte)'R', (byte)'E', (byte)'C', 0x0D, 0x0A];

    /// <summary>Magic (8), version (u16), flags (u16, 0), reserved (u32, 0).</summary>
    public const int PreambleSize = 16;

    /// <summary>Kind (u32), stored length (u32), raw length (u32), CRC32 of the first 12 bytes and the stored bytes (u32).</summary>
    public const int ChunkHeaderSize = 16;

    /// <summary>No chunk is larger, stored or raw: a reader never allocates more on a file's word.</summary>
    public const int MaxChunkBytes = 16 << 20;

    /// <summary>A records chunk is closed once it holds this much (uncompressed).</summary>
    public const int RecordsChunkBytes = 256 << 10;

    /// <summary>
    /// A records chunk is also closed and written at the first batch end this long (on the
    /// session's clock) after the last write: a killed writer loses about a second.
    /// </summary>
    public const long FlushIntervalNs = 1_000_000_000;

    /// <summary>Each entry of a records chunk: kind (u32), length (u32), then length bytes padded to 8.</summary>
    public const int EntryHeaderSize = 8;

    /// <summary>An entry: a raw ring record.</summary>
    public const uint EntryRecord = 1;

    /// <summary>An entry: the end of a ring drain, 8 bytes: the CLOCK_MONOTONIC "now" the session saw then (i64).</summary>
    public const uint EntryBatchEnd = 2;
}
