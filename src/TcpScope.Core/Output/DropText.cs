using System.Globalization;
using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>
/// The plain words for one drop or reset: what the segment met, from its headers and the
/// receiving socket's fields ("handshake ACK for :8080 dropped: accept queue full (3/2), owner
/// server[4711]"), else the reason's meaning from <see cref="DropReasonTable"/>, else the
/// reason's name and the kernel function that dropped it.
/// </summary>
public static class DropText
{
    /// <param name="location">The dropping function as text ("tcp_v4_rcv+0x4e5", or an address).</param>
    public static string Describe(in PacketDrop e, string location) =>
        e.Kind == DropKind.Reset ? Reset(e) : Drop(e, location);

    /// <summary>
    /// What to do about a drop, when there is something: the reason's remedy, except where the
    /// socket it met says otherwise (a listener answering NO_SOCKET has a full queue, not no server).
    /// </summary>
    public static string? Remedy(in PacketDrop e) => e.Reason switch
    {
        "NO_SOCKET" when e.HasSocket && e.State == TcpState.LISTEN => DropReasonTable.Find("TCP_LISTEN_OVERFLOW")?.Remedy,
        { } r => DropReasonTable.Find(r)?.Remedy,
        null => null,
    };

    /// <summary>", owner server[4711]" or "".</summary>
    public static string Owner(in PacketDrop e) =>
        e.OwnerKnown ? $", owner {CommText.ToString(e.OwnerComm)}[{e.OwnerPid.ToString(CultureInfo.InvariantCulture)}]" : "";

    private static string Drop(in PacketDrop e, string location)
    {
        string port = ":" + e.LocalPort.ToString(CultureInfo.InvariantCulture);
        bool syn = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag)) == TcpFlagsText.Syn;
        bool ack = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag | TcpFlagsText.Rst | TcpFlagsText.Fin)) == TcpFlagsText.AckFlag;
        string what = syn ? "SYN" : TcpFlagsText.Of(e.TcpFlags) + " segment";
        if (e.HasTimeWait)
        {
            return TimeWait(e, syn);
        }

        switch (e.Reason)
        {
            case "TCP_LISTEN_OVERFLOW" when e.HasListenerQueues:
                return $"{(ack ? "handshake ACK" : what)} for {port} dropped: accept queue full ({e.AckBacklog}/{e.MaxAckBacklog}){Owner(e)}";
            case "NO_SOCKET" when e.State == TcpState.LISTEN:
                return $"{(ack ? "handshake ACK" : what)} for {port} matches no pending connection of the listener (SYN cookie check failed, or the accept queue was full){Owner(e)}";
            case "NO_SOCKET" when !e.HasSocket && syn:
                return $"SYN to {port}: nobody listens there (the kernel answers RST: connection refused)";
            case "NO_SOCKET" when !e.HasSocket && (e.TcpFlags & TcpFlagsText.Rst) != 0:
                return $"{what} to {port}: no socket for it (the connection is gone; an RST is not answered)";
            case "NO_SOCKET" when !e.HasSocket:
                return $"{what} to {port}: no socket for it (the connection is gone; the kernel answers RST)";
            case "NETFILTER_DROP":
                return $"{what} to {port} dropped by a firewall rule in netns {e.NetNs.ToString(CultureInfo.InvariantCulture)}";
            case "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT:
                return $"SYN_SENT got ACK {e.Ack} that acknowledges no SYN of ours (a bare ACK from the peer's old TIME_WAIT on this 4-tuple?): the kernel answers RST{Owner(e)}";
        }

        if (e.Reason == "NOT_SPECIFIED")
        {
            // the kernel gives no reason: the function that freed it is all there is to go on
            return $"{what} to {port}: freed without a reason by {location}{Owner(e)}";
        }

        string meaning = DropReasonTable.Find(e.Reason)?.Meaning
            ?? $"{e.Reason ?? (e.ReasonNumber < 0 ? "no reason given by this kernel" : $"reason {e.ReasonNumber}")} at {location}";
        return $"{what} to {port}: {meaning}{Owner(e)}";
    }

    /// <summary>
    /// The checks of tcp_timewait_state_process(). TIME_WAIT: a SYN reopens only if its seq is after
    /// rcv_nxt or its timestamp is newer, else it gets a bare ACK; an RST ends it only in window
    /// (seq == rcv_nxt) and with tcp_rfc1337=0, else it is ignored. A FIN_WAIT2 orphan repeats the
    /// full socket's checks: an in-window RST ends it, an in-window SYN is answered with RST.
    /// </summary>
    private static string TimeWait(in PacketDrop e, bool syn)
    {
        bool finWait2 = e.TwSubstate == TcpState.FIN_WAIT2;
        string sub = finWait2 ? "FIN_WAIT2 mini-socket" : "TIME_WAIT socket";
        bool rst = (e.TcpFlags & TcpFlagsText.Rst) != 0;
        if (finWait2 && syn)
        {
            return (int)(e.Seq - e.TwRcvNxt) >= 0
                ? $"SYN seq {e.Seq} >= rcv_nxt {e.TwRcvNxt} of the {sub}: the orphan is reset (RST) if the SYN is in its window, else ACKed"
                : $"SYN seq {e.Seq} < rcv_nxt {e.TwRcvNxt} of the {sub}: out of window, answered with an ACK";
        }

        if (finWait2 && rst)
        {
            return $"RST for the {sub} (seq {e.Seq}, rcv_nxt {e.TwRcvNxt}): ends it if in its window, else ACKed";
        }
        if (syn && e.Reason == "TCP_RFC7323_TW_PAWS" && e.HasTimestamp)
        {
            return $"SYN TSval {e.TsVal} older than ts_recent {e.TwTsRecent}: PAWS reject by the {sub}, answered with a bare ACK";
        }

        if (syn && (int)(e.Seq - e.TwRcvNxt) <= 0)
        {
            return $"SYN seq {e.Seq} <= rcv_nxt {e.TwRcvNxt} of the {sub}: answered with a bare ACK (not a new connection)";
        }

        if (syn)
        {
            return $"SYN seq {e.Seq} (rcv_nxt {e.TwRcvNxt}) met the {sub}: {DropReasonTable.Find(e.Reason)?.Meaning ?? e.Reason ?? "dropped"}";
        }

        if (rst)
        {
            return e.Seq == e.TwRcvNxt
                ? $"RST for the {sub} at rcv_nxt {e.TwRcvNxt}: ends it (unless net.ipv4.tcp_rfc1337=1)"
                : $"RST for the {sub} out of window (seq {e.Seq}, rcv_nxt {e.TwRcvNxt}): ignored";
        }

        return $"{TcpFlagsText.Of(e.TcpFlags)} segment for the {sub}: consumed (answered with an ACK where one is due)";
    }

    private static string Reset(in PacketDrop e)
    {
        string reason = e.Reason ?? (e.ReasonNumber < 0 ? "no reason given by this kernel" : $"reason {e.ReasonNumber}");
        string port = ":" + e.LocalPort.ToString(CultureInfo.InvariantCulture);
        if (!e.HasPacket)
        {
            return $"RST sent to the peer as the socket aborted ({reason}){Owner(e)}";
        }

        bool syn = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag)) == TcpFlagsText.Syn;
        string answers = $"RST to {AddressText.Endpoint(e.Family, e.SourceAddress, e.SourcePort)} for its {TcpFlagsText.Of(e.TcpFlags)}";
        return e.Reason switch
        {
            "NO_SOCKET" when !e.HasSocket && syn => $"{answers}: nobody listens on {port} (connection refused)",
            "NO_SOCKET" when !e.HasSocket => $"{answers}: no socket on {port} (the connection it belongs to is gone)",
            "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT => $"{answers}: its ACK {e.Ack} acknowledges no SYN of ours (the peer's old TIME_WAIT?); the connect retries{Owner(e)}",
            _ when e.HasSocket => $"{answers} from the {StateNames.Of(e.State)} socket on {port}: {reason}{Owner(e)}",
            _ => $"{answers}: {reason}",
        };
    }
}
