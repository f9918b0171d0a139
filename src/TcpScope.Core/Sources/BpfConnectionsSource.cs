using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Host;

namespace TcpScope.Sources;

/// <summary>
/// Connections through their life (bpf/conn.bpf.c): state transitions, SYN retransmits,
/// resets, socket errors, accept() and connect() returns, byte counts at close, and on request
/// the stacks where connect attempts began and ended. tp_btf only (no tracefs needed).
/// </summary>
public sealed class BpfConnectionsSource : IEventSource
{
    public static readonly IReadOnlyList<string> Programs =
    [
        "conn_state", "conn_retransmit", "conn_reset_in", "conn_reset_out", "conn_error", "conn_destroy", "conn_sys_exit",
    ];

    private readonly BpfObject obj;
    private readonly List<BpfLink> links;
    private readonly TraceOptions options;
    private readonly Func<KernelEnums> enums;

    private BpfConnectionsSource(BpfObject obj, List<BpfLink> links, TraceOptions options, Func<KernelEnums> enums)
    {
        this.obj = obj;
        this.links = links;
        this.options = options;
        this.enums = enums;
    }

    /// <summary>Taken once when the source starts, so every time printed uses the same offset.</summary>
    public long WallOffsetNs { get; } = MonotonicClock.WallOffsetNs();

    public KernelEnums Enums => enums();

    public string Description => "tp_btf/inet_sock_set_state, tcp_retransmit_skb, tcp_receive_reset, tcp_send_reset, inet_sk_error_report, tcp_destroy_sock, sys_exit (accept, connect)";

    /// <summary>Loads and attaches every program; events are buffered in the kernel from here on.</summary>
    /// <param name="stacks">Also take the kernel stack where each connect attempt ends and the user stack of connect().</param>
    public static BpfConnectionsSource Start(StatesFilter filter, TraceOptions options, Func<KernelEnums> enums, bool stacks = false)
    {
        BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.Connections);
        var links = new List<BpfLink>();
        try
        {
            obj.ResizeMap("events", options.RingBytes);
            obj.ResizeMap("sockets", options.MaxSockets);
            obj.ResizeMap("failed_attempts", options.MaxFailedAttempts);
            obj.SetConstant("timer_drain", true);
            obj.SetConstant("want_stacks", stacks);
            obj.SetConstant("keep_lost_closes", true);
            FilterConstants.Apply(obj, filter);
            obj.Load();

            // the syscall programs first: a socket connected or accepted in the gap would otherwise miss its owner's name
            foreach (string p in Programs.Reverse())
            {
                links.Add(obj.Attach(p));
            }

            return new BpfConnectionsSource(obj, links, options, enums);
        }
        catch
        {
            links.ForEach(l => l.Dispose());
            obj.Dispose();
            throw;
        }
    }

    public SourceStats Run(IEventSink sink, CancellationToken cancellation) =>
        RingDrain.Run(obj, links, options, enums(), sink, cancellation);

    public void Dispose()
    {
        links.ForEach(l => l.Dispose());
        obj.Dispose();
    }
}
