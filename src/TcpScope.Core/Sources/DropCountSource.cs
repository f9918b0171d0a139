using TcpScope.Bpf;
using TcpScope.Decode.Abi;
using TcpScope.Host;
using TcpScope.Probes;

namespace TcpScope.Sources;

/// <summary>
/// drops --count: the drops family counting in the kernel by (netns, reason, location, socket
/// state) into its drop_counts map, read whenever asked. No record of a drop crosses to user
/// space, so nothing can be lost on the way; what the map had no room for is counted apart
/// (<see cref="NotCounted"/>). Resets are not followed; the owners' bookkeeping runs only for
/// --pid/--comm, the one filter that needs it.
/// </summary>
public sealed class DropCountSource : IDisposable
{
    private readonly ProbeSet set;
    private readonly PerCpuCountMap<DropCountKey> counts;
    private readonly PerCpuCounters counters;

    private DropCountSource(ProbeSet set)
    {
        this.set = set;
        counts = new PerCpuCountMap<DropCountKey>(set.Maps.MapFd("drop_counts"));
        counters = new PerCpuCounters(set.Maps.MapFd("counters"));
    }

    public string Description => set.Description;

    /// <summary>Programs this source runs without, one line each (why, and what is missing).</summary>
    public IReadOnlyList<string> Degraded => set.Degraded;

    /// <summary>The programs attached (function names in bpf/drops.bpf.c).</summary>
    public IReadOnlyList<string> Attached => set.Attached;

    /// <summary>Taken once when the source starts, so every time printed uses the same offset.</summary>
    public long WallOffsetNs { get; } = MonotonicClock.WallOffsetNs();

    /// <summary>Drops the kernel could not count: the map was full (<see cref="DropCountKey.MaxKeys"/> keys).</summary>
    public ulong NotCounted => counters.Sum((uint)Counter.DropKeysFull);

    /// <summary>Sockets and listeners the owners' bookkeeping had no room for (--max-sockets): only --pid/--comm need it.</summary>
    public ulong SocketsNotFollowed => counters.Sum((uint)Counter.SocketsFull) + counters.Sum((uint)Counter.ListenersFull);

    /// <summary>Loads and attaches the counting programs; counting starts here. Fails as the kernel said.</summary>
    public static DropCountSource Start(StatesFilter filter, TraceOptions options)
    {
        bool owners = filter.Pid != 0 || filter.Comm is not null;
        ProbeFamily family = owners
            ? ProbeFamily.Drops.Without("drops_reset")
            : ProbeFamily.Drops.Without("drops_reset", "drops_state", "drops_state_tp");
        // the ring carries nothing here: the smallest one
        ProbeSet set = ProbeSet.Open(family, [], filter, options with { RingBytes = 4096 }, stacks: false, countDrops: true);
        if (owners)
        {
            Sockets.ListenerSeed.Fill(set.Maps.MapFd("listeners"));
        }

        return new DropCountSource(set);
    }

    /// <summary>The running count of every key so far, into <paramref name="into"/>.</summary>
    public void Read(Dictionary<DropCountKey, ulong> into) => counts.ReadAll(into);

    public void Dispose() => set.Dispose();
}
