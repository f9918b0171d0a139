using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The connect rules on attempts folded by the connection table.</summary>
public class ConnectRulesTests
{
    private const long Ms = 1_000_000;
    private static ulong nextSocket = 0xffff888100000000;

    internal static void Attempt(ConnectionTable t, long start, string remote, ConnectOutcome outcome, long durationMs, int retransmits = 0)
    {
        ulong sk = nextSocket += 0x100;
        long end = start + (durationMs * Ms);
        t.OnStateChange(State(start, sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", remote, 42, "client"));
        for (int i = 1; i <= retransmits; i++)
        {
            t.OnSocketEvent(Sock(start + (i * 1000 * Ms), sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: "198.18.0.1:40000", remote: remote));
        }

        switch (outcome)
        {
            case ConnectOutcome.Established:
                t.OnStateChange(State(end, sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:40000", remote, 42, "client"));
                break;
            case ConnectOutcome.Refused:
                t.OnSocketEvent(Sock(end, sk, SocketEventKind.ResetReceived, TcpState.SYN_SENT, remote: remote));
                t.OnStateChange(State(end, sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:40000", remote, 42, "client"));
                t.OnSocketEvent(Sock(end, sk, SocketEventKind.SocketError, TcpState.CLOSE, 111, remote: remote));
                break;
            case ConnectOutcome.Unreachable:
                t.OnIcmpError(Icmp(end, sk, "198.18.0.2", type: 3, code: 13, error: 113));
                t.OnStateChange(State(end, sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:40000", remote, 42, "client"));
                break;
            case ConnectOutcome.TimedOut:
                t.OnStateChange(State(end, sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:40000", remote, 42, "client"));
                t.OnSocketEvent(Sock(end, sk, SocketEventKind.SocketError, TcpState.CLOSE, 110, remote: remote));
                break;
            default:
                t.OnStateChange(State(end, sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:40000", remote, 42, "client"));
                break;
        }

        t.OnIdle(end);
    }

    [Fact]
    public void Timeouts_are_one_finding_per_destination_with_both_kinds_of_giving_up()
    {
        var rule = new ConnectTimeoutRule();
        var t = new ConnectionTable([rule]);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.TimedOut, 7124, retransmits: 5);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Aborted, 3000, retransmits: 2);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Aborted, 200); // the application's cancel, no SYN went unanswered long
        Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 1);

        Finding f = Assert.Single(rule.Evaluate(0));
        Assert.Equal(ConnectTimeoutRule.RuleId, f.Id);
        Assert.StartsWith("2 connect attempt(s) to 198.18.0.2:81 got no answer", f.Title);
        Assert.Contains("1 timed out in the kernel, 1 were abandoned by the application", f.Title);
        Assert.Contains(f.Evidence, e => e.Contains("timed out after 7.124 s, 5 SYN retransmit(s) at 1.0 s, 2.0 s, 3.0 s, 4.0 s, 5.0 s", StringComparison.Ordinal));
        Assert.Contains(f.Evidence, e => e.Contains("(pid 42 client)", StringComparison.Ordinal));
        Assert.Contains("tcp_syn_linear_timeouts", f.Explanation);
    }

    [Fact]
    public void Refused_and_unreachable_are_told_apart()
    {
        var rule = new ConnectRefusedRule();
        var t = new ConnectionTable([rule]);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Refused, 0);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Refused, 0);
        Attempt(t, 0, "198.18.0.2:83", ConnectOutcome.TimedOut, 7000, 5);
        Attempt(t, 0, "198.18.0.2:84", ConnectOutcome.Unreachable, 1);

        IReadOnlyList<Finding> findings = rule.Evaluate(0);
        Assert.Equal(2, findings.Count);
        Finding f = findings[0];
        Assert.Equal("2 connect attempt(s) to 198.18.0.2:81 refused: the SYN was answered with RST", f.Title);
        Assert.All(f.Evidence, e => Assert.EndsWith("the application saw ECONNREFUSED", e));
        Finding u = findings[1];
        Assert.StartsWith("1 connect attempt(s) to 198.18.0.2:84 unreachable", u.Title);
        Assert.EndsWith(
            "ICMP communication administratively prohibited from 198.18.0.2 after 1.0 ms, the application saw EHOSTUNREACH",
            Assert.Single(u.Evidence));
    }

    [Fact]
    public void Evidence_is_capped_but_the_count_is_not()
    {
        var rule = new ConnectRefusedRule();
        var t = new ConnectionTable([rule]);
        for (int i = 0; i < 25; i++)
        {
            Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Refused, 0);
        }

        Finding f = Assert.Single(rule.Evaluate(0));
        Assert.StartsWith("25 connect attempt(s)", f.Title);
        Assert.Equal(11, f.Evidence.Count);
        Assert.Equal("... and 15 more", f.Evidence[^1]);
    }

    [Fact]
    public void Slow_handshakes_are_reported_when_p99_passes_the_threshold()
    {
        var rule = new SlowHandshakeRule(TimeSpan.FromMilliseconds(500));
        var t = new ConnectionTable([rule]);
        for (int i = 0; i < 98; i++)
        {
            Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 1);
        }

        Assert.Empty(rule.Evaluate(0)); // p99 of 98 fast ones
        Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 1003, retransmits: 1);
        Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 1010, retransmits: 1);

        // the exact p99 is 1003 ms; the histogram's bucket holding it is [2^29 + 27 * 2^24, 2^29 + 28 * 2^24) ns
        // = [989.856, 1006.633) ms, whose middle 998.244 ms is the stated percentile (within 1/64 of 1003 ms)
        Finding f = Assert.Single(rule.Evaluate(0));
        Assert.Equal("connections to 198.18.0.2:80 are slow to establish: p99 handshake 998.2 ms", f.Title);
        Assert.Equal("100 established handshake(s): p50 1.0 ms, p99 998.2 ms, max 1010.0 ms (threshold 500.0 ms)", f.Evidence[0]);
        Assert.Equal("2 of them needed a SYN retransmit", f.Evidence[1]);
    }

    [Theory]
    [InlineData(new long[] { 5 }, 50, 5)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 99, 4)]
    [InlineData(new long[] { 1, 2, 3, 4 }, 75, 3)]
    public void Percentiles_are_nearest_rank(long[] sorted, double p, long expected) =>
        Assert.Equal(expected, Percentiles.Of(sorted, p));

    [Fact]
    public void Summary_counts_attempts_per_destination_and_outcome()
    {
        var summary = new ConnectSummary();
        var view = new SummaryObserver(summary);
        var t = new ConnectionTable([view]);
        Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 2);
        Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 4);
        Attempt(t, 0, "198.18.0.2:81", ConnectOutcome.Refused, 0);

        Assert.Equal((3, 1), (summary.All.Attempts, summary.All.Failures));
        DestinationStats first = summary.Destinations.First();
        Assert.Equal(("198.18.0.2:80", 2, 0), (first.Remote, first.Attempts, first.Failures));
        Assert.Equal((2L, 2 * Ms, 4 * Ms), (first.HandshakesNs.Count, first.HandshakesNs.Min, first.HandshakesNs.Max));
        Assert.Equal(1, summary.Destinations.Last().Count(ConnectOutcome.Refused));
    }

    private sealed class SummaryObserver(ConnectSummary summary) : IConnectionObserver
    {
        public void OnConnectEnded(ConnectAttempt a) => summary.Add(a);

        // attempts only
        public void OnAccepted(Connection c)
        {
        }

        public void OnClosed(Connection c)
        {
        }

        // not looked at here
        public void OnConnectInProgress(ConnectAttempt a)
        {
        }
    }
}
