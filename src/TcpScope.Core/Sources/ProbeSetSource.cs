using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Probes;

namespace TcpScope.Sources;

/// <summary>
/// The kernel's events from the BPF families a verb asks for, loaded as one probe set (one ring,
/// one socket map; see <see cref="ProbeSet"/>). The states family keeps its fallback: tp_btf
/// first, the classic tracepoint where tp_btf cannot load or attach.
/// </summary>
public sealed class ProbeSetSource : IEventSource
{
    private readonly ProbeSet set;
    private readonly TraceOptions options;
    private readonly Func<KernelEnums> enums;

    private ProbeSetSource(ProbeSet set, TraceOptions options, Func<KernelEnums> enums)
    {
        this.set = set;
        this.options = options;
        this.enums = enums;
    }

    public string Description => set.Description;

    public bool Live => true;

    /// <summary>Taken once when the source starts, so every time printed uses the same offset.</summary>
    public long WallOffsetNs { get; } = MonotonicClock.WallOffsetNs();

    public KernelEnums Enums => enums();

    /// <summary>Programs this source runs without, one line each (why, and what is missing); for stderr and the summary.</summary>
    public IReadOnlyList<string> Degraded => set.Degraded;

    /// <summary>Each program tried, with the verdict doctor gives it.</summary>
    public IReadOnlyList<ProbeResult> Verdicts => set.Verdicts;

    /// <summary>The programs attached (function names in bpf/*.bpf.c).</summary>
    public IReadOnlyList<string> Attached => set.Attached;

    /// <summary>
    /// Loads and attaches <paramref name="core"/> and <paramref name="also"/>; events are buffered in
    /// the kernel from here on. Fails as the kernel said when the core family cannot run; an
    /// optional family or program that cannot is left out and listed in <see cref="Degraded"/>.
    /// <paramref name="enums"/> is asked for only when decoding starts, so reading the kernel's
    /// BTF can overlap the load.
    /// </summary>
    /// <param name="stacks">conn: also take the kernel stack where each connect attempt ends and the user stack of connect().</param>
    public static ProbeSetSource Start(
        ProbeFamily core, IReadOnlyList<ProbeFamily> also, StatesFilter filter, TraceOptions options, Func<KernelEnums> enums, bool stacks = false)
    {
        ProbeSet set = ProbeSet.Open(core, also, filter, options, stacks);
        // after the attach, so that a listen() in between is the kernel's to record (the seed does not overwrite)
        Sockets.ListenerSeed.Fill(set.Maps.MapFd("listeners"));
        return new(set, options, enums);
    }

    public SourceStats Run(IEventSink sink, CancellationToken cancellation) =>
        RingDrain.Run(set.Maps, set.Links, options, enums(), sink, cancellation) with { Degraded = set.Degraded };

    public void Dispose() => set.Dispose();
}
