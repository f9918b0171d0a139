using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Segments dropped for lack of receive memory (SOCKET_RCVBUFF: the socket's buffer is full;
/// PROTO_MEM: TCP as a whole is under memory pressure): data the sender must retransmit. A
/// warning; an error at a high rate.
/// </summary>
public sealed class ReceiveBufferDropsRule : DropRule
{
    public const string RuleId = "TCP-RECEIVE-BUFFER-DROPS";

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "receive_buffer_drops";

    public static bool Matches(in PacketDrop e) => e.Reason is "SOCKET_RCVBUFF" or "PROTO_MEM";

    protected override bool Takes(in PacketDrop e) => Matches(in e);

    protected override Severity SeverityOf(DropGroup g) => g.RatePerSecond >= HighRatePerSecond ? Severity.Error : Severity.Warning;

    protected override string Title(DropGroup g) =>
        g.Reason == "PROTO_MEM"
            ? $"{g.Count} segment(s) to {g.Local} dropped: TCP is out of memory (net.ipv4.tcp_mem)"
            : $"{g.Count} segment(s) to {g.Local} dropped: the receiving socket's buffer was full"
                + (Owner(g) is { } o ? $" ({o} is not reading fast enough)" : "");

    protected override string Why(DropGroup g) =>
        "The segment arrived in order but could not be queued: the socket's receive buffer (SO_RCVBUF, net.ipv4.tcp_rmem) was "
        + "full, or TCP's memory across all sockets was over its limit (net.ipv4.tcp_mem). The sender's data is lost and must be "
        + "retransmitted after a timeout, so the connection slows to a crawl; a receiver that does not read keeps it there.";
}
