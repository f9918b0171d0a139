using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Connect attempts turned away at once: an RST to the SYN (refused) or an ICMP error
/// (unreachable). One finding per destination and kind.
/// </summary>
public sealed class ConnectRefusedRule : AttemptRule
{
    public const string RuleId = "TCP-CONNECT-REFUSED";

    private readonly AttemptGroups<(uint NetNs, string Remote, ConnectOutcome Outcome)> byDestination = new();

    public override string Id => RuleId;

    public override IEnumerable<Shortfall> Shortfalls =>
        TableShortfalls("refused", "the refused-connect rule", byDestination.Expired, byDestination.NotKept);

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. byDestination.All.OrderBy(d => d.Key.Remote, StringComparer.Ordinal).ThenBy(d => d.Key.Outcome)
            .Select(d => ToFinding(d.Key.NetNs, d.Key.Remote, d.Key.Outcome, d.Shown, d.Total))];

    protected override void Observe(ConnectAttempt a)
    {
        if (a.Outcome is ConnectOutcome.Refused or ConnectOutcome.Unreachable)
        {
            byDestination.Add((a.Connection.NetNs, a.Remote, a.Outcome), a);
        }
    }

    private static Finding ToFinding(uint netns, string remote, ConnectOutcome outcome, IReadOnlyList<AttemptEvidence> shown, long total)
    {
        bool refused = outcome == ConnectOutcome.Refused;
        IReadOnlyList<string> evidence = Capped(
            [.. shown.Select(a => $"{Who(a)}: {What(a, refused)} after {FindingNumbers.Ms(a.DurationNs)}"
                + (a.Error is int e ? $", the application saw {Interop.Errors.Name(e)}" : ""))],
            total);
        return refused
            ? new Finding(
                RuleId,
                Severity.Error,
                $"{total} connect attempt(s) to {remote} refused: the SYN was answered with RST",
                $"{remote}, netns {netns}, refused",
                evidence,
                "An RST in answer to a SYN means nothing accepts connections on that address and port: no socket listens "
                + "there (the service is down, listens on another address or port, or in another network namespace), or a "
                + "firewall rejects with a TCP reset (iptables REJECT --reject-with tcp-reset). The application sees ECONNREFUSED at once.",
                $"On the server, check that the service listens on {remote} (`ss -ltnp`), in the right network namespace, "
                + "and that no firewall rule rejects the port; on the client, check the address and port it is configured with.")
            : new Finding(
                RuleId,
                Severity.Error,
                $"{total} connect attempt(s) to {remote} unreachable: an ICMP error came back instead of a SYN-ACK",
                $"{remote}, netns {netns}, unreachable",
                evidence,
                "A router or the destination host answered the SYN with an ICMP destination-unreachable message (no route, "
                + "host or port unreachable, administratively prohibited), often a firewall rule that rejects with ICMP "
                + "(iptables REJECT's default). The kernel reports it as ECONNREFUSED, EHOSTUNREACH or ENETUNREACH.",
                $"The evidence names who sent the ICMP error: on that host check the firewall's REJECT rules (`iptables -L -nv`, "
                + $"`nft list ruleset`); if it is a router, check the route to {remote} (`ip route get`) there and on the client.");
    }

    private static string What(AttemptEvidence a, bool refused) =>
        refused ? "RST received" : a.IcmpText ?? "ICMP error";
}
