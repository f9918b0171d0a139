using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Tests;

public class CloseWaitRuleTests
{
    private const long S = 1_000_000_000;
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(10);

    private static StateChange Established(long t, ulong sk, string remote = "198.18.0.1:41234") =>
        Events.State(t, sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, remote: remote);

    private static StateChange PeerClosed(long t, ulong sk, string remote = "198.18.0.1:41234") =>
        Events.State(t, sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, remote: remote);

    [Fact]
    public void A_socket_left_in_close_wait_past_the_threshold_is_reported()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(Established(1 * S, 0xa));
        rule.OnStateChange(PeerClosed(2 * S, 0xa));

        Assert.Empty(rule.Evaluate(11 * S)); // 9 s: not yet
        Finding f = Assert.Single(rule.Evaluate(13 * S));

        Assert.Equal(CloseWaitRule.RuleId, f.Id);
        Assert.Contains("server (pid 4711)", f.Title);
        Assert.Contains("198.18.0.2:8080", f.Title);
        string evidence = Assert.Single(f.Evidence);
        Assert.Contains("198.18.0.2:8080 <- 198.18.0.1:41234", evidence);
        Assert.Contains("11.0 s", evidence);
        Assert.Contains("close()", f.Remediation);
    }

    [Fact]
    public void A_socket_the_application_closes_in_time_is_not_reported()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(PeerClosed(2 * S, 0xa));
        rule.OnStateChange(Events.State(3 * S, 0xa, TcpState.CLOSE_WAIT, TcpState.LAST_ACK));
        rule.OnStateChange(Events.State(3 * S, 0xa, TcpState.LAST_ACK, TcpState.CLOSE));

        Assert.Empty(rule.Evaluate(60 * S));
    }

    [Fact]
    public void A_late_close_is_still_reported_as_late()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(PeerClosed(2 * S, 0xa));
        rule.OnStateChange(Events.State(32 * S, 0xa, TcpState.CLOSE_WAIT, TcpState.LAST_ACK));

        Finding f = Assert.Single(rule.Evaluate(40 * S));
        Assert.Contains("30.0 s later", Assert.Single(f.Evidence));
        Assert.Contains("closed connection(s)", f.Title);
    }

    [Fact]
    public void Sockets_of_one_process_and_endpoint_make_one_finding()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(PeerClosed(1 * S, 0xa, "198.18.0.1:1000"));
        rule.OnStateChange(PeerClosed(2 * S, 0xb, "198.18.0.1:1001"));
        rule.OnStateChange(Events.State(2 * S, 0xc, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, local: "198.18.0.2:9090"));

        IReadOnlyList<Finding> found = rule.Evaluate(20 * S);

        Assert.Equal(2, found.Count);
        Assert.Equal(2, found.Single(f => f.Subject.Contains(":8080")).Evidence.Count);
        Assert.Single(found.Single(f => f.Subject.Contains(":9090")).Evidence);
    }

    [Fact]
    public void A_reused_socket_address_does_not_inherit_the_old_close_wait()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(PeerClosed(1 * S, 0xa));
        rule.OnStateChange(Events.State(2 * S, 0xa, TcpState.CLOSE_WAIT, TcpState.CLOSE)); // e.g. RST
        rule.OnStateChange(Events.State(3 * S, 0xa, TcpState.CLOSE, TcpState.SYN_SENT));

        Assert.Empty(rule.Evaluate(30 * S));
    }

    [Fact]
    public void An_unknown_owner_is_said_to_be_unknown()
    {
        var rule = new CloseWaitRule(Threshold);
        rule.OnStateChange(Events.State(1 * S, 0xa, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, ownerPid: 0));

        Assert.Contains("an unknown process", Assert.Single(rule.Evaluate(20 * S)).Title);
    }

    [Fact]
    public void Live_tracking_reports_a_finding_again_only_when_it_grows()
    {
        var rule = new CloseWaitRule(Threshold);
        var tracker = new FindingTracker();
        rule.OnStateChange(PeerClosed(1 * S, 0xa, "198.18.0.1:1000"));

        Assert.Single(tracker.News(rule.Evaluate(12 * S), 12 * S));
        Assert.Empty(tracker.News(rule.Evaluate(13 * S), 13 * S));
        rule.OnStateChange(PeerClosed(5 * S, 0xb, "198.18.0.1:1001"));
        Assert.Single(tracker.News(rule.Evaluate(16 * S), 16 * S));
    }
}
