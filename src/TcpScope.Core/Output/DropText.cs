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
            case "NO_SOCKET" when !e.HasSocket:
                return $"{what} to {port}: no socket for it (the connection is gone; the kernel answers RST)";
            case "NETFILTER_DROP":
                return $"{what} to {port} dropped by a firewall rule in netns {e.NetNs.ToString(CultureInfo.InvariantCulture)}";
            case "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT:
                return $"SYN_SENT got ACK {e.Ack} that acknowledges no SYN of ours (a bare ACK from the peer's old TIME_WAIT on this 4-tuple?): the kernel answers RST{Owner(e)}";
        }

        string meaning = DropReasonTable.Find(e.Reason)?.Meaning
            ?? $"{e.Reason ?? (e.ReasonNumber < 0 ? "no reason given by this kernel" : $"reason {e.ReasonNumber}")} at {location}";
        return $"{what} to {port}: {meaning}{Owner(e)}";
    }

    /// <summary>The TIME_WAIT checks of tcp_timewait_state_process(): a SYN reopens only if its seq is after rcv_nxt or its timestamp is newer.</summary>
    private static string TimeWait(in PacketDrop e, bool syn)
    {
        string sub = e.TwSubstate == TcpState.FIN_WAIT2 ? "FIN_WAIT2 mini-socket" : "TIME_WAIT socket";
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

        if ((e.TcpFlags & TcpFlagsText.Rst) != 0)
        {
            return $"RST for the {sub}: ends it (unless net.ipv4.tcp_rfc1337=1)";
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

        string answers = $"RST to {AddressText.Endpoint(e.Family, e.SourceAddress, e.SourcePort)} for its {TcpFlagsText.Of(e.TcpFlags)}";
        return e.Reason switch
        {
            "NO_SOCKET" when !e.HasSocket => $"{answers}: no socket on {port} (connection refused)",
            "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT => $"{answers}: its ACK {e.Ack} acknowledges no SYN of ours (the peer's old TIME_WAIT?); the connect retries{Owner(e)}",
            _ when e.HasSocket => $"{answers} from the {StateNames.Of(e.State)} socket on {port}: {reason}{Owner(e)}",
            _ => $"{answers}: {reason}",
        };
    }
}
