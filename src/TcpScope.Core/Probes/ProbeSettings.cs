using TcpScope.Sources;

namespace TcpScope.Probes;

/// <summary>What every object of a set is configured with before load.</summary>
/// <param name="CountDrops">drops --count: the drops family counts in its map instead of sending records.</param>
internal sealed record ProbeSettings(StatesFilter Filter, TraceOptions Options, bool Stacks, bool KeepLostCloses, bool CountDrops = false)
{
    /// <summary>For a program tested on its own (doctor): no filter, and maps as small as they go.</summary>
    public static ProbeSettings Testing { get; } = new(new StatesFilter(), new TraceOptions { RingBytes = 4096, MaxSockets = 1024 }, Stacks: false, KeepLostCloses: false);
}
