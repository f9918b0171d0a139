using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Tests;

/// <summary>The summaries' and rules' tables: a bound, an expiry, and counters of what they dropped.</summary>
public class BoundedTableTests
{
    private const long S = 1_000_000_000;
    private const long Minute = 60 * S;

    private static BoundedTable<string, string> Table(int capacity) => new(capacity, 10 * Minute);

    [Fact]
    public void A_full_table_of_recent_entries_refuses_new_keys_and_counts_them()
    {
        var t = Table(2);
        Assert.Equal("a", t.GetOrAdd("a", 0, k => k));
        Assert.Equal("b", t.GetOrAdd("b", 1 * S, k => k));
        Assert.Null(t.GetOrAdd("c", 2 * S, k => k));
        Assert.Null(t.GetOrAdd("d", 3 * S, k => k));
        Assert.Equal("a", t.GetOrAdd("a", 4 * S, k => "not made again"));

        Assert.Equal((2, 2L, 0L), (t.Count, t.Refused, t.Expired));
    }

    [Fact]
    public void Entries_untouched_for_the_expiry_give_their_place_when_it_is_needed()
    {
        var t = Table(2);
        t.GetOrAdd("a", 0, k => k);
        t.GetOrAdd("b", 1 * Minute, k => k);
        t.GetOrAdd("a", 5 * Minute, k => k); // touched: "b" is now the oldest

        Assert.Equal(2, t.Count); // nothing expires while no room is needed
        Assert.Equal("c", t.GetOrAdd("c", 11 * Minute, k => k));

        Assert.Equal(1L, t.Expired);
        Assert.False(t.TryGetValue("b", out _));
        Assert.True(t.TryGetValue("a", out _));
        Assert.Equal(["a", "c"], t.Values);
    }

    [Fact]
    public void An_entry_touched_within_the_expiry_stays()
    {
        var t = Table(1);
        t.GetOrAdd("a", 0, k => k);
        t.GetOrAdd("a", 9 * Minute, k => k);

        Assert.Null(t.GetOrAdd("b", 18 * Minute, k => k)); // "a" was last touched 9 min ago
        Assert.Equal((1L, 0L), (t.Refused, t.Expired));
        Assert.Equal("b", t.GetOrAdd("b", 19 * Minute, k => k));
        Assert.Equal((1L, 1L), (t.Refused, t.Expired));
    }

    [Fact]
    public void The_connect_summary_lists_new_destinations_in_place_of_quiet_ones_and_keeps_all_attempts_in_the_totals()
    {
        var summary = new ConnectSummary(maxDestinations: 2, TimeSpan.FromMinutes(10));
        var t = new ConnectionTable([new SummaryObserver(summary)]);
        ConnectRulesTests.Attempt(t, 0, "198.18.0.2:80", ConnectOutcome.Established, 1);
        ConnectRulesTests.Attempt(t, 1 * S, "198.18.0.2:81", ConnectOutcome.Refused, 0);
        ConnectRulesTests.Attempt(t, 2 * S, "198.18.0.2:82", ConnectOutcome.Refused, 0); // full of recent ones
        ConnectRulesTests.Attempt(t, 5 * Minute, "198.18.0.2:81", ConnectOutcome.Refused, 0);
        ConnectRulesTests.Attempt(t, 11 * Minute, "198.18.0.2:83", ConnectOutcome.Refused, 0); // :80 quiet for 11 min

        Assert.Equal(["198.18.0.2:81", "198.18.0.2:83"], summary.Destinations.Select(d => d.Remote));
        Assert.Equal((1L, 1L, 5L), (summary.Others, summary.ExpiredDestinations, summary.All.Attempts));
    }

    [Fact]
    public void A_connect_rule_keeps_at_most_its_destinations_and_counts_the_rest()
    {
        var rule = new ConnectRefusedRule();
        var t = new ConnectionTable([rule]);
        for (int i = 0; i <= AttemptRule.MaxDestinations; i++)
        {
            ConnectRulesTests.Attempt(t, i * 1000, $"198.18.{i / 250}.{(i % 250) + 1}:81", ConnectOutcome.Refused, 0);
        }

        Assert.Equal(AttemptRule.MaxDestinations, rule.Evaluate(0).Count);
        Assert.Equal(1L, Count(rule, "refused_attempts_not_kept"));

        // ten minutes later every destination is quiet: a new one takes the place of them all
        ConnectRulesTests.Attempt(t, 11 * Minute, "198.19.0.1:81", ConnectOutcome.Refused, 0);
        Finding f = Assert.Single(rule.Evaluate(11 * Minute));
        Assert.Contains("198.19.0.1:81", f.Title);
        Assert.Equal(AttemptRule.MaxDestinations, Count(rule, "refused_destinations_expired"));
    }

    [Fact]
    public void The_slow_handshake_rule_counts_destinations_it_could_not_keep()
    {
        var rule = new SlowHandshakeRule(TimeSpan.FromMilliseconds(500));
        var t = new ConnectionTable([rule]);
        for (int i = 0; i <= AttemptRule.MaxDestinations; i++)
        {
            ConnectRulesTests.Attempt(t, i * 1000, $"198.18.{i / 250}.{(i % 250) + 1}:80", ConnectOutcome.Established, 600);
        }

        Assert.Equal(AttemptRule.MaxDestinations, rule.Evaluate(0).Count);
        Assert.Equal(1L, Count(rule, "slow_handshake_attempts_not_kept"));
    }

    [Fact]
    public void Close_wait_sockets_beyond_the_bound_are_counted()
    {
        var rule = new CloseWaitRule(TimeSpan.FromSeconds(10), maxTracked: 2, TimeSpan.FromMinutes(10));
        for (ulong sk = 1; sk <= 3; sk++)
        {
            rule.OnStateChange(Events.State(1 * S, sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, remote: $"198.18.0.1:{40000 + sk}"));
        }

        Assert.Equal(2, Assert.Single(rule.Evaluate(20 * S)).Evidence.Count);
        Assert.Equal(1L, rule.NotTracked);
        Assert.Equal(1L, Count(rule, "close_wait_not_tracked"));
    }

    [Fact]
    public void Sockets_that_closed_late_expire_when_room_is_needed()
    {
        var rule = new CloseWaitRule(TimeSpan.FromSeconds(10), maxTracked: 1, TimeSpan.FromMinutes(10));
        rule.OnStateChange(Events.State(0, 1, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, remote: "198.18.0.1:40001"));
        rule.OnStateChange(Events.State(20 * S, 1, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, remote: "198.18.0.1:40001"));
        rule.OnStateChange(Events.State(30 * S, 2, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, remote: "198.18.0.1:40002"));
        rule.OnStateChange(Events.State(50 * S, 2, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, remote: "198.18.0.1:40002"));
        Assert.Equal((0L, 1L), (rule.ClosedLateExpired, rule.ClosedLateNotKept)); // the first closed 30 s ago: kept

        rule.OnStateChange(Events.State(11 * Minute, 3, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, remote: "198.18.0.1:40003"));
        rule.OnStateChange(Events.State(12 * Minute, 3, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, remote: "198.18.0.1:40003"));
        Assert.Equal((1L, 1L), (rule.ClosedLateExpired, rule.ClosedLateNotKept));
        Assert.Contains("40003", Assert.Single(Assert.Single(rule.Evaluate(13 * Minute)).Evidence));
    }

    [Fact]
    public void Live_findings_beyond_the_trackers_bound_are_counted_not_repeated()
    {
        var tracker = new FindingTracker(capacity: 1, TimeSpan.FromMinutes(10));
        Finding a = Finding("a"), b = Finding("b");

        Assert.Equal([a], tracker.News([a, b], 0));
        Assert.Empty(tracker.News([a, b], 1 * S));
        Assert.Equal(2L, Assert.Single(tracker.Shortfalls).Count);

        // "a" is gone from the rules' findings for longer than the expiry: "b" gets its place
        Assert.Equal([b], tracker.News([b], 11 * Minute));
    }

    [Fact]
    public void The_rule_set_reports_every_rules_counters_under_distinct_ids()
    {
        var rules = new RuleSet([new ConnectTimeoutRule(), new ConnectRefusedRule(), new SynSentBadAckRule(), new SlowHandshakeRule(), new CloseWaitRule()]);
        string[] ids = [.. rules.Shortfalls.Select(s => s.Id)];

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Contains("bad_ack_destinations_expired", ids);
        Assert.Contains("close_wait_not_tracked", ids);
        Assert.Equal(2 + 2 + 4 + 2 + 3, ids.Length);
    }

    private static Finding Finding(string subject) =>
        new("TEST", Severity.Warning, subject, subject, [], "", "");

    private static long Count(IShortfalls s, string id) => s.Shortfalls.Single(f => f.Id == id).Count;

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
