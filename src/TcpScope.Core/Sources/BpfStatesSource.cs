using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Sources;

/// <summary>
/// TCP state transitions from sock:inet_sock_set_state (bpf/states.bpf.c). tp_btf is tried
/// first; the classic tracepoint is the fallback on kernels whose tp_btf cannot attach.
/// </summary>
public sealed class BpfStatesSource : IEventSource
{
    public const string BtfProgram = "states_btf";
    public const string TracepointProgram = "states_tp";

    private readonly BpfObject obj;
    private readonly BpfLink link;
    private readonly TraceOptions options;
    private readonly Func<KernelEnums> enums;

    private BpfStatesSource(BpfObject obj, BpfLink link, AttachMode mode, TraceOptions options, Func<KernelEnums> enums)
    {
        this.obj = obj;
        this.link = link;
        this.options = options;
        this.enums = enums;
        Mode = mode;
    }

    /// <summary>Taken once when the source starts, so every time printed uses the same offset.</summary>
    public long WallOffsetNs { get; } = MonotonicClock.WallOffsetNs();

    public KernelEnums Enums => enums();

    public AttachMode Mode { get; }

    /// <summary>Why tp_btf was not used, when <see cref="Mode"/> is the fallback.</summary>
    public string? FallbackReason { get; private init; }

    public string Description => Mode == AttachMode.TpBtf ? "tp_btf/inet_sock_set_state" : "tracepoint/sock/inet_sock_set_state";

    /// <summary>Loads and attaches; events are buffered in the kernel from here on.</summary>
    public static BpfStatesSource Start(StatesFilter filter, TraceOptions options, KernelEnums enums, AttachMode? only = null) =>
        Start(filter, options, () => enums, only);

    /// <summary>
    /// Loads and attaches; <paramref name="enums"/> is asked for only when decoding starts, so
    /// reading the kernel's BTF can overlap the load (libbpf parses it too, on its own).
    /// </summary>
    public static BpfStatesSource Start(StatesFilter filter, TraceOptions options, Func<KernelEnums> enums, AttachMode? only = null)
    {
        LibbpfException? btfFailure = null;
        if (only is null or AttachMode.TpBtf)
        {
            try
            {
                return Open(filter, options, enums, AttachMode.TpBtf);
            }
            catch (LibbpfException e) when (only is null && !e.IsPermissionDenied)
            {
                btfFailure = e;
            }
        }

        BpfStatesSource s = Open(filter, options, enums, AttachMode.Tracepoint);
        return btfFailure is null ? s : new BpfStatesSource(s.obj, s.link, s.Mode, options, enums) { FallbackReason = btfFailure.Message };
    }

    public SourceStats Run(IEventSink sink, CancellationToken cancellation) =>
        RingDrain.Run(obj, [link], options, enums(), sink, cancellation);

    public void Dispose()
    {
        link.Dispose();
        obj.Dispose();
    }

    private static BpfStatesSource Open(StatesFilter filter, TraceOptions options, Func<KernelEnums> enums, AttachMode mode)
    {
        BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.States);
        try
        {
            string program = mode == AttachMode.TpBtf ? BtfProgram : TracepointProgram;
            obj.SelectPrograms(program);
            Configure(obj, filter, options);
            obj.Load();
            BpfLink link = obj.Attach(program);
            return new BpfStatesSource(obj, link, mode, options, enums);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static void Configure(BpfObject obj, StatesFilter filter, TraceOptions options)
    {
        obj.ResizeMap("events", options.RingBytes);
        obj.ResizeMap("sockets", options.MaxSockets);
        obj.SetConstant("timer_drain", true);
        FilterConstants.Apply(obj, filter);
    }
}
