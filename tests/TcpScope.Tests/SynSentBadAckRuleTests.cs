using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The bad-ACK rule (and the timeout rule next to it) on attempts folded by the connection table.</summary>
public class SynSentBadAckRuleTests
{
    private const long Us = 1_000;
    private const long Ms = 1_000_000;
    private const string Server = "198.18.0.2:80";
    private const int RstInvalidAckSequence = 2;

    private static ulong nextSocket = 0xffff888200000000;
    private static int nextPort = 40000;

    /// <summary>
    /// One attempt as the kernel reports it: the SYN at <paramref name="start"/>, a bare ACK answered by
    /// an RST at each of <paramref name="resetsAt"/> (offsets), a SYN retransmit after each of
    /// <paramref name="retransmitsAt"/>, then ESTABLISHED, or CLOSE at <paramref name="endAt"/> with
    /// <paramref name="error"/> reported (none: the application closed it).
    /// </summary>
    private static void Attempt(
        ConnectionTable t, long start, long[] resetsAt, long[] retransmitsAt, long endAt, bool established, int? error = null, string remote = Server)
    {
        ulong sk = nextSocket += 0x100;
        string local = $"198.18.0.1:{nextPort++}";
        t.OnStateChange(State(start, sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", remote, 42, "client"));
        // in time order; at equal times the RST (to the ACK of one SYN) before the next SYN
        var steps = resetsAt.Select(at => (At: at, Kind: SocketEventKind.ResetSent))
            .Concat(retransmitsAt.Select(at => (At: at, Kind: SocketEventKind.Retransmit)))
            .OrderBy(x => x.At).ThenBy(x => x.Kind == SocketEventKind.Retransmit);
        foreach ((long at, SocketEventKind kind) in steps)
        {
            t.OnSocketEvent(Sock(start + at, sk, kind, TcpState.SYN_SENT, kind == SocketEventKind.ResetSent ? RstInvalidAckSequence : 0, local: local, remote: remote));
        }

        t.OnStateChange(State(start + endAt, sk, TcpState.SYN_SENT, established ? TcpState.ESTABLISHED : TcpState.CLOSE, local, remote, 42, "client"));
        if (error is int e)
        {
            t.OnSocketEvent(Sock(start + endAt, sk, SocketEventKind.SocketError, TcpState.CLOSE, e, local: local, remote: remote));
        }

        t.OnIdle(start + endAt);
    }

    private static void Clean(ConnectionTable t, long handshake, string remote = Server) => Attempt(t, 0, [], [], handshake, established: true, remote: remote);

    // rfc1337 on the server: every SYN gets a bare ACK and an RST from the client, but the
    // first retransmit (rearmed to ~10 ms) meets the TIME_WAIT's ACK rate limit and gets nothing
    private static readonly long[] HangingResets = [200 * Us, 1010 * Ms, 2010 * Ms];
    private static readonly long[] HangingRetransmits = [10 * Ms, 1010 * Ms, 2010 * Ms];

    [Fact]
    public void Healed_attempts_are_a_warning_with_their_count_and_the_latency_the_reset_added()
    {
        var rule = new SynSentBadAckRule();
        var t = new ConnectionTable([rule]);
        Clean(t, 1 * Ms);
        Clean(t, 1 * Ms);
        Clean(t, 2 * Ms);
        Attempt(t, 0, [200 * Us], [10 * Ms], 10_400 * Us, established: true);
        Attempt(t, 0, [300 * Us], [12 * Ms], 12_400 * Us, established: true);

        Finding f = Assert.Single(rule.Evaluate(0));
        Assert.Equal((SynSentBadAckRule.RuleId, Severity.Warning), (f.Id, f.Severity));
        Assert.StartsWith("2 connect attempt(s) to 198.18.0.2:80 got a bare ACK instead of a SYN-ACK, reset it and connected on the SYN retransmit", f.Title);
        Assert.EndsWith("handshake p50 10.4 ms against 1.0 ms for the destination's other connects (+9.4 ms)", f.Title);
        Assert.StartsWith("2 attempt(s) connected after 2 RST(s) sent in SYN_SENT", f.Evidence[0]);
        Assert.EndsWith("handshake p50 10.4 ms, max 12.4 ms", f.Evidence[0]);
        Assert.Contains(f.Evidence, e => e.StartsWith("p50 from the first SYN to the client's RST 0.2 ms", StringComparison.Ordinal)
            && e.Contains("from the RST to ESTABLISHED 10.2 ms", StringComparison.Ordinal));
        Assert.Contains(f.Evidence, e => e == "compared with 3 established attempt(s) to 198.18.0.2:80 without a bad ACK");
        Assert.Contains(f.Evidence, e => e.EndsWith(
            "-> 198.18.0.2:80 (pid 42 client): connected after 10.4 ms: RST to the bare ACK 0.2 ms after the SYN, ESTABLISHED 10.2 ms after the RST; 1 RST(s), 1 SYN retransmit(s) at 0.01 s",
            StringComparison.Ordinal));
        Assert.Contains("tcp_rfc1337", f.Explanation);
        Assert.Contains("tcp_tw_reuse", f.Remediation);
    }

    [Fact]
    public void Healed_attempts_without_others_to_compare_say_so()
    {
        var rule = new SynSentBadAckRule();
        var t = new ConnectionTable([rule]);
        Attempt(t, 0, [200 * Us], [10 * Ms], 10_400 * Us, established: true);
        Clean(t, 1 * Ms, remote: "198.18.0.3:80"); // another destination's handshakes are not the comparison

        Finding f = Assert.Single(rule.Evaluate(0));
        Assert.EndsWith("handshake p50 10.4 ms, no connect without a bad ACK to compare with", f.Title);
    }

    [Fact]
    public void Failed_attempts_are_an_error_with_their_resets_retransmits_and_how_they_ended()
    {
        var rule = new SynSentBadAckRule();
        var t = new ConnectionTable([rule]);
        Attempt(t, 0, HangingResets, HangingRetransmits, 3000 * Ms, established: false);
        Attempt(t, 0, HangingResets, HangingRetransmits, 7100 * Ms, established: false, error: 110);
        Attempt(t, 0, [200 * Us], [10 * Ms], 10_400 * Us, established: true);

        IReadOnlyList<Finding> findings = rule.Evaluate(0);
        Assert.Equal([Severity.Warning, Severity.Error], findings.Select(f => f.Severity));
        Finding f = findings[1];
        Assert.Equal(
            "2 connect attempt(s) to 198.18.0.2:80 never connected: every SYN got a bare ACK and the client's RSTs did not clear the server's old connection; "
            + "1 abandoned by the application, 1 timed out in the kernel (ETIMEDOUT)",
            f.Title);
        Assert.Equal("2 attempt(s) never connected: 6 RST(s) sent in SYN_SENT to ACKs that did not acknowledge the SYN, 6 SYN retransmit(s); "
            + "1 abandoned by the application, 1 timed out in the kernel (ETIMEDOUT)", f.Evidence[0]);
        Assert.Contains(f.Evidence, e => e.EndsWith(
            "(pid 42 client): abandoned by the application after 3.0 s, 3 RST(s) sent to bare ACKs, 3 SYN retransmit(s) at 0.01 s, 1.01 s, 2.01 s",
            StringComparison.Ordinal));
        Assert.Contains(f.Evidence, e => e.Contains("timed out in the kernel (ETIMEDOUT) after 7.1 s", StringComparison.Ordinal));
        Assert.Contains("tcp_rfc1337=1", f.Explanation);
        Assert.NotEqual(findings[0].Key, f.Key);
    }

    [Fact]
    public void Attempts_without_bad_acks_give_no_finding()
    {
        var rule = new SynSentBadAckRule();
        var t = new ConnectionTable([rule]);
        Clean(t, 1 * Ms);
        Attempt(t, 0, [], [1000 * Ms, 2000 * Ms], 7100 * Ms, established: false, error: 110);
        Attempt(t, 0, [], [1000 * Ms], 3000 * Ms, established: false);
        Attempt(t, 0, [], [1000 * Ms], 1001 * Ms, established: true);

        Assert.Empty(rule.Evaluate(0));
    }

    [Fact]
    public void The_timeout_rule_leaves_attempts_answered_by_bare_acks_to_the_bad_ack_rule()
    {
        var timeout = new ConnectTimeoutRule();
        var badAck = new SynSentBadAckRule();
        var t = new ConnectionTable([timeout, badAck]);
        Attempt(t, 0, HangingResets, HangingRetransmits, 3000 * Ms, established: false);
        Attempt(t, 0, HangingResets, HangingRetransmits, 7100 * Ms, established: false, error: 110);
        Attempt(t, 0, [], [1000 * Ms, 2000 * Ms], 3000 * Ms, established: false, remote: "198.18.0.2:81"); // a silent one

        Finding silent = Assert.Single(timeout.Evaluate(0));
        Assert.StartsWith("1 connect attempt(s) to 198.18.0.2:81 got no answer", silent.Title);
        Finding f = Assert.Single(badAck.Evaluate(0));
        Assert.Equal((Severity.Error, "198.18.0.2:80, netns 4026532177, failed"), (f.Severity, f.Subject));
        Assert.StartsWith("2 connect attempt(s) to 198.18.0.2:80 never connected", f.Title);
    }
}
