using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Segments a listener dropped because its accept queue was full (TCP_LISTEN_OVERFLOW): at the
/// handshake's last ACK the client already believes it is connected and the server has no
/// connection. An error: connections are lost, with the listener's queue figures and owner.
/// The same clients' later segments (their retransmitted ACK, their first data) find no
/// request any more and are dropped NO_SOCKET at the listener while its queue is full: they are
/// this story too, told as a group of their own.
/// </summary>
public sealed class AcceptQueueFullAtAckRule : DropRule
{
    public const string RuleId = "TCP-ACCEPT-QUEUE-FULL-AT-ACK";

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "accept_queue_full";

    private const string NoSocket = "NO_SOCKET";

    public static bool Matches(in PacketDrop e) =>
        e.Reason == "TCP_LISTEN_OVERFLOW"
        || (e.Reason == NoSocket && e.HasSocket && e.State == TcpState.LISTEN && e.HasListenerQueues && e.AckBacklog > e.MaxAckBacklog);

    protected override bool Takes(in PacketDrop e) => Matches(in e);

    protected override Severity SeverityOf(DropGroup g) => Severity.Error;

    protected override string Title(DropGroup g)
    {
        string queue = g.LastWithQueues is { } q ? $" (accept queue {q.AckBacklog}/{q.MaxAckBacklog})" : "";
        string owner = Owner(g) is { } o ? $" of {o}" : "";
        return g.Reason == NoSocket
            ? $"the listener {g.Local}{owner} dropped {g.Count} segment(s) of handshakes it never completed: its accept queue was full{queue}"
            : g.Acks > 0
            ? $"the listener {g.Local}{owner} dropped {g.Acks} ACK(s) of clients completing their handshake: its accept queue was full{queue}; those clients believe they are connected"
            : $"the listener {g.Local}{owner} dropped {g.Count} segment(s): its accept queue was full{queue}";
    }

    protected override IEnumerable<string> MoreEvidence(DropGroup g)
    {
        if (g.LastWithQueues is { } q)
        {
            yield return $"listener {g.Local}: accept queue {q.AckBacklog}/{q.MaxAckBacklog} (at most {g.PeakAckBacklog} seen), SYN queue {q.SynQueueLength}"
                + (Owner(g) is { } o ? $", owner {o}" : ", owner unknown");
        }

        if (g.Syns > 0)
        {
            yield return $"{g.Syns} of the drops are SYNs (dropped at SYN time), {g.Acks} handshake ACKs";
        }
    }

    protected override string? Meaning(DropGroup g) => g.Reason == NoSocket
        ? "the listener found no pending connection for the segment (its request was dropped when the accept queue overflowed, "
            + "or the SYN cookie it would need is not valid while the queue is full): a later ACK or the first data of a client "
            + "that believes it is connected"
        : null;

    protected override string Why(DropGroup g) =>
        "The client's handshake ACK reached the listener while its accept queue (the connections established and not yet "
        + "accept()ed, bounded by the listen() backlog and net.core.somaxconn) was full, so tcp_check_req() could not create the "
        + "connection: the kernel drops the ACK and counts ListenOverflows and ListenDrops. The client is ESTABLISHED already and "
        + "may send its request, which goes unanswered until the server's SYN-ACK retransmits find room (or, with "
        + "net.ipv4.tcp_abort_on_overflow=1, the server resets it). The process that owns the listener is not calling accept() "
        + "fast enough.";

    protected override string? MoreRemedy(DropGroup g) =>
        $"`ss -ltn sport = :{g.Local[(g.Local.LastIndexOf(':') + 1)..]}` shows Recv-Q (queued) against Send-Q (the limit); "
        + "`nstat -az TcpExtListenOverflows TcpExtListenDrops` counts them.";
}
