using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// SYNs to a port where nobody listens (NO_SOCKET, no receiving socket), and the resets the
/// kernel sent for them: the server side of "connection refused". A warning.
/// </summary>
public sealed class NoListenerRule : DropRule
{
    public const string RuleId = "TCP-NO-LISTENER";

    private const string NoSocket = "NO_SOCKET";

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "no_listener";

    public static bool Matches(in PacketDrop e) => e.Reason == NoSocket && !e.HasSocket && IsSyn(in e);

    protected override bool Takes(in PacketDrop e) => Matches(in e);

    // the reset names its own enum (sk_rst_reason), whose NO_SOCKET answers the drop's NO_SOCKET
    protected override string? AnsweredReason(in PacketDrop e) =>
        e.Reason == NoSocket && !e.HasSocket && e.HasPacket && IsSyn(in e) ? NoSocket : null;

    protected override Severity SeverityOf(DropGroup g) => Severity.Warning;

    protected override string Title(DropGroup g) =>
        $"{g.Count} SYN(s) to {g.Local} in netns {g.NetNs} found nobody listening: connection refused";

    protected override IEnumerable<string> MoreEvidence(DropGroup g)
    {
        yield return $"{g.Resets} RST(s) sent by the kernel in answer (no socket: reset reason NO_SOCKET)";
    }

    protected override string Why(DropGroup g) =>
        "No socket listens on this address and port in this network namespace, so tcp_v4_rcv()/tcp_v6_rcv() finds no socket "
        + "for the SYN, answers it with an RST (the client's connect() fails with ECONNREFUSED) and frees it. Either the server "
        + "is not running (crashed, restarting, not started yet), listens on another address or port (127.0.0.1 instead of all "
        + "addresses, another namespace), or the clients are configured with the wrong port.";

    protected override string? MoreRemedy(DropGroup g) => "`ss -ltn` in the namespace lists what listens there.";
}
