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
    /// <summary>What <see cref="TryFormat"/> is given by the text renderer: every text of this table fits, with room for long names.</summary>
    public const int TypicalLength = 1024;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="location">The dropping function as text ("tcp_v4_rcv+0x4e5", or an address).</param>
    public static string Describe(in PacketDrop e, string location)
    {
        Span<char> buffer = stackalloc char[TypicalLength];
        if (TryFormat(buffer, e, location, out int n))
        {
            return new string(buffer[..n]);
        }

        // names from a recording or an unusual kernel can be of any length: grow until the text fits
        for (int size = TypicalLength * 4; ; size *= 4)
        {
            char[] larger = new char[size];
            if (TryFormat(larger, e, location, out n))
            {
                return new string(larger, 0, n);
            }
        }
    }

    /// <summary>
    /// <see cref="Describe"/> written into <paramref name="dest"/> without making strings (the text
    /// renderer writes one per drop); false, with nothing usable written, when it does not fit.
    /// </summary>
    public static bool TryFormat(Span<char> dest, in PacketDrop e, string location, out int written) =>
        e.Kind == DropKind.Reset ? Reset(dest, e, out written) : Drop(dest, e, location, out written);

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
    public static string Owner(in PacketDrop e) => new OwnerText(e).ToString();

    private static bool Drop(Span<char> d, in PacketDrop e, string location, out int n)
    {
        ushort port = e.LocalPort;
        bool syn = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag)) == TcpFlagsText.Syn;
        bool ack = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag | TcpFlagsText.Rst | TcpFlagsText.Fin)) == TcpFlagsText.AckFlag;
        // "SYN", or "FA segment": two parts, so that no string is made for it
        string what = syn ? "SYN" : TcpFlagsText.Of(e.TcpFlags);
        string segment = syn ? "" : " segment";
        string subject = ack ? "handshake ACK" : what;
        string subjectRest = ack ? "" : segment;
        if (e.HasTimeWait)
        {
            return TimeWait(d, e, syn, out n);
        }

        switch (e.Reason)
        {
            case "TCP_LISTEN_OVERFLOW" when e.HasListenerQueues:
                return d.TryWrite(Inv, $"{subject}{subjectRest} for :{port} dropped: accept queue full ({e.AckBacklog}/{e.MaxAckBacklog}){new OwnerText(e)}", out n);
            case "NO_SOCKET" when e.State == TcpState.LISTEN:
                return d.TryWrite(Inv, $"{subject}{subjectRest} for :{port} matches no pending connection of the listener (SYN cookie check failed, or the accept queue was full){new OwnerText(e)}", out n);
            case "NO_SOCKET" when !e.HasSocket && syn:
                return d.TryWrite(Inv, $"SYN to :{port}: nobody listens there (the kernel answers RST: connection refused)", out n);
            case "NO_SOCKET" when !e.HasSocket && (e.TcpFlags & TcpFlagsText.Rst) != 0:
                return d.TryWrite(Inv, $"{what}{segment} to :{port}: no socket for it (the connection is gone; an RST is not answered)", out n);
            case "NO_SOCKET" when !e.HasSocket:
                return d.TryWrite(Inv, $"{what}{segment} to :{port}: no socket for it (the connection is gone; the kernel answers RST)", out n);
            case "NETFILTER_DROP":
                return d.TryWrite(Inv, $"{what}{segment} to :{port} dropped by a firewall rule in netns {e.NetNs}", out n);
            case "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT:
                return d.TryWrite(Inv, $"SYN_SENT got ACK {e.Ack} that acknowledges no SYN of ours (a bare ACK from the peer's old TIME_WAIT on this 4-tuple?): the kernel answers RST{new OwnerText(e)}", out n);
        }

        if (e.Reason == "NOT_SPECIFIED")
        {
            // the kernel gives no reason: the function that freed it is all there is to go on
            return d.TryWrite(Inv, $"{what}{segment} to :{port}: freed without a reason by {location}{new OwnerText(e)}", out n);
        }

        string meaning = DropReasonTable.Find(e.Reason)?.Meaning
            ?? $"{e.Reason ?? (e.ReasonNumber < 0 ? "no reason given by this kernel" : $"reason {e.ReasonNumber}")} at {location}";
        return d.TryWrite(Inv, $"{what}{segment} to :{port}: {meaning}{new OwnerText(e)}", out n);
    }

    /// <summary>
    /// The checks of tcp_timewait_state_process(). TIME_WAIT: a SYN reopens only if its seq is after
    /// rcv_nxt or its timestamp is newer, else it gets a bare ACK; an RST ends it only in window
    /// (seq == rcv_nxt) and with tcp_rfc1337=0, else it is ignored. A FIN_WAIT2 orphan repeats the
    /// full socket's checks: an in-window RST ends it, an in-window SYN is answered with RST.
    /// </summary>
    private static bool TimeWait(Span<char> d, in PacketDrop e, bool syn, out int n)
    {
        bool finWait2 = e.TwSubstate == TcpState.FIN_WAIT2;
        string sub = finWait2 ? "FIN_WAIT2 mini-socket" : "TIME_WAIT socket";
        bool rst = (e.TcpFlags & TcpFlagsText.Rst) != 0;
        if (finWait2 && syn)
        {
            return (int)(e.Seq - e.TwRcvNxt) >= 0
                ? d.TryWrite(Inv, $"SYN seq {e.Seq} >= rcv_nxt {e.TwRcvNxt} of the {sub}: the orphan is reset (RST) if the SYN is in its window, else ACKed", out n)
                : d.TryWrite(Inv, $"SYN seq {e.Seq} < rcv_nxt {e.TwRcvNxt} of the {sub}: out of window, answered with an ACK", out n);
        }

        if (finWait2 && rst)
        {
            return d.TryWrite(Inv, $"RST for the {sub} (seq {e.Seq}, rcv_nxt {e.TwRcvNxt}): ends it if in its window, else ACKed", out n);
        }
        if (syn && e.Reason == "TCP_RFC7323_TW_PAWS" && e.HasTimestamp)
        {
            return d.TryWrite(Inv, $"SYN TSval {e.TsVal} older than ts_recent {e.TwTsRecent}: PAWS reject by the {sub}, answered with a bare ACK", out n);
        }

        if (syn && (int)(e.Seq - e.TwRcvNxt) <= 0)
        {
            return d.TryWrite(Inv, $"SYN seq {e.Seq} <= rcv_nxt {e.TwRcvNxt} of the {sub}: answered with a bare ACK (not a new connection)", out n);
        }

        if (syn)
        {
            return d.TryWrite(Inv, $"SYN seq {e.Seq} (rcv_nxt {e.TwRcvNxt}) met the {sub}: {DropReasonTable.Find(e.Reason)?.Meaning ?? e.Reason ?? "dropped"}", out n);
        }

        if (rst)
        {
            return e.Seq == e.TwRcvNxt
                ? d.TryWrite(Inv, $"RST for the {sub} at rcv_nxt {e.TwRcvNxt}: ends it (unless net.ipv4.tcp_rfc1337=1)", out n)
                : d.TryWrite(Inv, $"RST for the {sub} out of window (seq {e.Seq}, rcv_nxt {e.TwRcvNxt}): ignored", out n);
        }

        return d.TryWrite(Inv, $"{TcpFlagsText.Of(e.TcpFlags)} segment for the {sub}: consumed (answered with an ACK where one is due)", out n);
    }

    private static bool Reset(Span<char> d, in PacketDrop e, out int n)
    {
        string reason = e.Reason ?? (e.ReasonNumber < 0 ? "no reason given by this kernel" : $"reason {e.ReasonNumber}");
        ushort port = e.LocalPort;
        if (!e.HasPacket)
        {
            return d.TryWrite(Inv, $"RST sent to the peer as the socket aborted ({reason}){new OwnerText(e)}", out n);
        }

        bool syn = (e.TcpFlags & (TcpFlagsText.Syn | TcpFlagsText.AckFlag)) == TcpFlagsText.Syn;
        var peer = new EndpointText(e.Family, e.SourceAddress, e.SourcePort);
        string flags = TcpFlagsText.Of(e.TcpFlags);
        return e.Reason switch
        {
            "NO_SOCKET" when !e.HasSocket && syn => d.TryWrite(Inv, $"RST to {peer} for its {flags}: nobody listens on :{port} (connection refused)", out n),
            "NO_SOCKET" when !e.HasSocket => d.TryWrite(Inv, $"RST to {peer} for its {flags}: no socket on :{port} (the connection it belongs to is gone)", out n),
            "TCP_INVALID_ACK_SEQUENCE" when e.State == TcpState.SYN_SENT => d.TryWrite(Inv, $"RST to {peer} for its {flags}: its ACK {e.Ack} acknowledges no SYN of ours (the peer's old TIME_WAIT?); the connect retries{new OwnerText(e)}", out n),
            _ when e.HasSocket => d.TryWrite(Inv, $"RST to {peer} for its {flags} from the {StateNames.Of(e.State)} socket on :{port}: {reason}{new OwnerText(e)}", out n),
            _ => d.TryWrite(Inv, $"RST to {peer} for its {flags}: {reason}", out n),
        };
    }
}
