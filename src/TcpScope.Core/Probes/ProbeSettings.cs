using TcpScope.Sources;

namespace TcpScope.Probes;

/// <summary>What every object of a set is configured with before load.</summary>
internal sealed record ProbeSettings(StatesFilter Filter, TraceOptions Options, bool Stacks, bool KeepLostCloses)
{
    /// <summary>For a program tested on its own (doctor): no filter, and maps as small as they go.</summary>
    public static ProbeSettings Testing { get; } = new(new StatesFilter(), new TraceOptions { RingBytes = 4096, MaxSockets = 1024 }, Stacks: false, KeepLostCloses: false);
}
