using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Segments a firewall rule dropped (NETFILTER_DROP): SYNs eaten this way are the silent
/// connect timeouts of the clients. A warning; an error when they come at a high rate.
/// </summary>
public sealed class FirewallDropsRule : DropRule
{
    public const string RuleId = "TCP-FIREWALL-DROPS";

    public override string Id => RuleId;

    protected override string ShortfallPrefix => "firewall_drops";

    public static bool Matches(in PacketDrop e) => e.Reason == "NETFILTER_DROP";

    protected override bool Takes(in PacketDrop e) => Matches(in e);

    protected override Severity SeverityOf(DropGroup g) => g.RatePerSecond >= HighRatePerSecond ? Severity.Error : Severity.Warning;

    protected override string Title(DropGroup g) =>
        $"a firewall rule in netns {g.NetNs} dropped {g.Count} segment(s) to {g.Local}"
        + (g.Syns > 0 ? $", {g.Syns} of them SYN(s): those connects get no answer" : "");

    protected override string Why(DropGroup g) =>
        "Netfilter (iptables or nftables) in this network namespace matched a DROP rule and freed the segment before TCP saw it. "
        + "A dropped SYN gets no answer at all, so the client retransmits it (1 s apart at first on Linux 6.x) until its kernel or "
        + "the application gives up: the connect hangs instead of failing at once as it would with a REJECT. Dropped segments of "
        + "established connections stall them the same way.";

    protected override string? MoreRemedy(DropGroup g) =>
        $"If the port should be closed, REJECT (with tcp-reset) instead of DROP so that clients fail at once; `tcpscope drops --reason NETFILTER_DROP --netns {g.NetNs}` follows them live.";
}
