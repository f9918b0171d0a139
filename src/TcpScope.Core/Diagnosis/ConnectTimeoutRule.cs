using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Connect attempts that got no answer at all: the kernel gave up (ETIMEDOUT) or the
/// application abandoned the attempt after its SYN went unanswered for at least a second (one
/// retransmit). One finding per destination. Attempts whose SYNs were answered by bare ACKs
/// (the client sent RSTs in SYN_SENT) did get an answer: <see cref="SynSentBadAckRule"/> tells them.
/// </summary>
public sealed class ConnectTimeoutRule : AttemptRule
{
    public const string RuleId = "TCP-CONNECT-TIMEOUT";

    private readonly AttemptGroups<(uint NetNs, string Remote)> byDestination = new();

    public override string Id => RuleId;

    public override IEnumerable<Shortfall> Shortfalls =>
        TableShortfalls("timeout", "the connect-timeout rule", byDestination.Expired, byDestination.NotKept);

    public override IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        [.. byDestination.All.OrderBy(d => d.Key.Remote, StringComparer.Ordinal).Select(d => ToFinding(d.Key.NetNs, d.Key.Remote, d.Shown, d.Total))];

    protected override void Observe(ConnectAttempt a)
    {
        bool silent = a.Connection.ResetsSentInSynSent == 0
            && (a.Outcome == ConnectOutcome.TimedOut || (a.Outcome == ConnectOutcome.Aborted && a.SynRetransmitOffsetsNs.Count > 0));
        if (silent)
        {
            byDestination.Add((a.Connection.NetNs, a.Remote), a);
        }
    }

    private static Finding ToFinding(uint netns, string remote, IReadOnlyList<AttemptEvidence> shown, long total)
    {
        int kernel = shown.Count(a => a.Outcome == ConnectOutcome.TimedOut);
        string split = kernel == shown.Count ? "the kernel gave up on all of them (ETIMEDOUT)"
            : kernel == 0 ? "the application gave up on all of them while the kernel was still retransmitting"
            : $"of the first {shown.Count}, {kernel} timed out in the kernel, {shown.Count - kernel} were abandoned by the application";
        IReadOnlyList<string> evidence = Capped(
            [.. shown.Select(a => $"{Who(a)}: {(a.Outcome == ConnectOutcome.TimedOut ? "timed out" : "abandoned by the application")} after {FindingNumbers.Seconds(a.DurationNs)}, {Retransmits(a)}")],
            total);
        return new Finding(
            RuleId,
            Severity.Error,
            $"{total} connect attempt(s) to {remote} got no answer; {split}",
            $"{remote}, netns {netns}",
            evidence,
            "The client sent its SYN and retransmitted it, and nothing came back: no SYN-ACK, no RST, no ICMP error. "
            + "The SYNs are being dropped on the way or at the server: a firewall rule that DROPs (rather than REJECTs), "
            + "a route that leads nowhere, a host that is down, or a listener whose queues are full (a full accept or SYN "
            + "queue drops SYNs silently). On Linux 6.x the first SYN retransmits are 1 s apart (tcp_syn_linear_timeouts), "
            + "so the number of retransmits does not tell tcp_syn_retries; the kernel gives up after the time its settings allow "
            + "(about 7 s with tcp_syn_retries=2, 127 s with the default 6), unless the application's own timeout ends it first.",
            $"Check that {remote} is reachable and listening (`ss -ltn` on the server), whether the server sees the SYNs "
            + "(`tcpdump -ni any 'tcp[tcpflags] & tcp-syn != 0'` there), firewall DROP rules on the path and on the server "
            + "(`iptables -L -nv`, `nft list ruleset`), and the server's ListenOverflows/ListenDrops (`nstat -az | grep Listen`). "
            + "Give the application a connect timeout that fits the service, so failures are reported quickly.");
    }
}
