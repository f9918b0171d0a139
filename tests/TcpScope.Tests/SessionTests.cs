using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>The session on a scripted source: live findings, findings and summary at the end, all on the source's clock.</summary>
public class SessionTests
{
    private const long S = 1_000_000_000;

    private static (string Out, string Err) Run(bool live, long startNs, params (StateChange? Event, long IdleAtNs)[] script)
    {
        var output = new MemoryStream();
        var diagnostics = new StringWriter();
        using (var renderer = new StatesTextRenderer(output, diagnostics, new StatesTextOptions()))
        {
            Session.Run(
                new SessionPlan
                {
                    Source = new ScriptedSource(startNs, script),
                    Report = renderer,
                    EventViews = [renderer],
                    Rules = [CloseWaitRule.RuleId],
                    RuleOptions = new RuleOptions { CloseWaitThreshold = TimeSpan.FromSeconds(1) },
                    LiveFindings = live,
                    Diagnostics = diagnostics,
                },
                CancellationToken.None);
        }

        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), diagnostics.ToString());
    }

    [Fact]
    public void Live_findings_appear_in_the_stream_once_and_again_at_exit()
    {
        StateChange closeWait = Events.State(1 * S, 0xa, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
        (string output, string err) = Run(true, 0, (closeWait, 0), (null, 3 * S), (null, 5 * S));

        string[] lines = output.Split('\n');
        int firstFinding = Array.FindIndex(lines, l => l.StartsWith("FINDING TCP-CLOSE-WAIT-LEAK", StringComparison.Ordinal));
        Assert.Equal(2, firstFinding); // header, the event, then the live finding
        Assert.Equal(2, lines.Count(l => l.StartsWith("FINDING", StringComparison.Ordinal))); // live once, then at exit
        Assert.Contains("tracing via scripted", err);
        Assert.Contains("tcpscope: 1 events", err);
        Assert.Contains("3 lost", err);
    }

    [Fact]
    public void Without_live_findings_they_come_only_at_exit()
    {
        StateChange closeWait = Events.State(1 * S, 0xa, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
        (string output, _) = Run(false, 0, (closeWait, 0), (null, 3 * S));

        string[] lines = output.Split('\n');
        Assert.Single(lines, l => l.StartsWith("FINDING", StringComparison.Ordinal));
        Assert.StartsWith("FINDING", lines[2]);
    }

    [Fact]
    public void The_end_of_the_run_is_the_sources_time_not_this_hosts()
    {
        // the host's clock is far past 1.5 s: a session that asked it would report the leak
        StateChange closeWait = Events.State(1 * S, 0xa, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
        (string output, string err) = Run(false, S / 2, (closeWait, 0), (null, 3 * S / 2));

        Assert.DoesNotContain("FINDING", output);
        Assert.Contains("1 events in 1.0 s", err); // 0.5 s to 1.5 s of the source's clock
    }

    [Fact]
    public void Every_kind_of_event_reaches_the_event_views_and_the_rules()
    {
        var view = new Calls();
        Session.Run(new SessionPlan { Source = new EveryKindSource(), Report = new NullReportWriter(), EventViews = [view] }, CancellationToken.None);

        Assert.Equal(["state", "socket", "totals", "icmp", "stack", "drop", "idle"], view.Seen);
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public void A_summary_that_is_a_record_of_a_closed_output_is_said_on_the_diagnostics_too(bool inOutput, bool closed, bool said)
    {
        var diagnostics = new StringWriter();
        Session.Run(
            new SessionPlan
            {
                Source = new EveryKindSource(),
                Report = new NullReportWriter { SummaryInOutput = inOutput },
                OutputClosed = () => closed,
                Diagnostics = diagnostics,
            },
            CancellationToken.None);

        // the source's own figures: 6 events, 0 lost
        string[] lines = diagnostics.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(said, lines.Any(l => l.StartsWith("tcpscope: 6 events", StringComparison.Ordinal) && l.EndsWith("0 lost", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_rule_set_forwards_every_kind_of_event_to_each_rule()
    {
        var a = new CountingRule();
        var b = new CountingRule();
        var rules = new RuleSet([a, b]);
        new EveryKindSource().Run(rules, CancellationToken.None);

        Assert.Equal(["state", "socket", "totals", "icmp", "stack", "drop", "idle"], a.Seen);
        Assert.Equal(a.Seen, b.Seen);
    }

    [Fact]
    public void A_rule_set_forwards_every_connection_milestone_to_each_rule()
    {
        Assert.Equal(4, typeof(TcpScope.Correlation.IConnectionObserver).GetMethods().Length);
        var a = new CountingRule();
        var b = new CountingRule();
        var rules = new RuleSet([a, b]);
        var table = new TcpScope.Correlation.ConnectionTable([rules]);

        // one client's whole life: SYN_SENT, ESTABLISHED, then closed; and one accepted server socket
        table.OnStateChange(Events.State(1, 0xa, TcpState.CLOSE, TcpState.SYN_SENT));
        table.OnStateChange(Events.State(2, 0xa, TcpState.SYN_SENT, TcpState.ESTABLISHED));
        table.OnStateChange(Events.State(3, 0xb, TcpState.LISTEN, TcpState.SYN_RECV));
        table.OnStateChange(Events.State(4, 0xb, TcpState.SYN_RECV, TcpState.ESTABLISHED));
        table.OnSocketEvent(Events.Sock(5, 0xb, SocketEventKind.Accept, TcpState.ESTABLISHED));
        table.OnStateChange(Events.State(6, 0xa, TcpState.ESTABLISHED, TcpState.FIN_WAIT1));
        table.OnStateChange(Events.State(7, 0xa, TcpState.FIN_WAIT1, TcpState.CLOSE));
        table.OnIdle(8);

        Assert.Equal(["connect ended", "accepted", "closed"], a.Seen);
        Assert.Equal(a.Seen, b.Seen);
    }

    [Fact]
    public void The_fan_out_forwards_every_method_of_the_sink_interface()
    {
        // a kind added to IEventSink without a case in EveryKindSource would pass the tests above unseen
        Assert.Equal(7, typeof(IEventSink).GetMethods().Length);
        var sinks = new[] { new Calls(), new Calls() };
        new EveryKindSource().Run(new EventFanOut(sinks), CancellationToken.None);

        Assert.All(sinks, s => Assert.Equal(["state", "socket", "totals", "icmp", "stack", "drop", "idle"], s.Seen));
    }

    [Fact]
    public void The_states_pipeline_allocates_nothing_per_event()
    {
        // what the session puts between the source and the views for states: a fan-out to the view and the rule set
        RuleSet rules = RuleCatalogue.Create(RuleCatalogue.Select([CloseWaitRule.RuleId]), new RuleOptions());
        var pipeline = new EventFanOut([new NullEventSink(), rules]);
        StateChange[] events =
        [
            Events.State(1, 0xa, TcpState.ESTABLISHED, TcpState.FIN_WAIT1),
            Events.State(2, 0xa, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2),
            Events.State(3, 0xa, TcpState.FIN_WAIT2, TcpState.CLOSE),
        ];
        Feed(pipeline, events, 100); // warm
        long before = GC.GetAllocatedBytesForCurrentThread();
        Feed(pipeline, events, 10_000);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Feed(IEventSink sink, StateChange[] events, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (StateChange e in events)
            {
                sink.OnStateChange(in e);
            }
        }
    }

    [Fact]
    public void Rules_come_from_the_catalogue_by_id_and_an_unknown_id_is_refused()
    {
        Assert.Equal(
            [ConnectTimeoutRule.RuleId, SlowHandshakeRule.RuleId],
            RuleCatalogue.Select([SlowHandshakeRule.RuleId, ConnectTimeoutRule.RuleId]).Select(e => e.Id));
        Assert.Throws<ArgumentException>(() => RuleCatalogue.Select(["TCP-NO-SUCH-RULE"]));
        Assert.Equal(
            RuleCatalogue.All.Count,
            RuleCatalogue.All.Select(e => e.Create(new RuleOptions()).Id).Distinct().Count());
        Assert.All(RuleCatalogue.All, e => Assert.Equal(e.Id, e.Create(new RuleOptions()).Id));
    }

    /// <summary>Plays events and idle ticks in order, as the ring-buffer source would deliver them.</summary>
    private sealed class ScriptedSource(long startNs, params (StateChange? Event, long IdleAtNs)[] script) : IEventSource
    {
        public string Description => "scripted";

        public long WallOffsetNs => 0;

        public bool Live => true;

        public KernelEnums Enums => KernelEnums.BuiltIn;

        public SourceStats Run(IEventSink sink, CancellationToken cancellation)
        {
            long n = 0;
            long now = startNs;
            foreach ((StateChange? e, long idle) in script)
            {
                if (e is { } ev)
                {
                    sink.OnStateChange(ev);
                    n++;
                }
                else
                {
                    now = idle;
                    sink.OnIdle(idle);
                }
            }

            return new SourceStats(n, 3, 0, StartNs: startNs, EndNs: now);
        }

        public void Dispose()
        {
        }
    }

    private sealed class EveryKindSource : IEventSource
    {
        public string Description => "every kind";

        public long WallOffsetNs => 0;

        public bool Live => true;

        public KernelEnums Enums => KernelEnums.BuiltIn;

        public SourceStats Run(IEventSink sink, CancellationToken cancellation)
        {
            sink.OnStateChange(Events.State(0, 0xa, TcpState.CLOSE, TcpState.SYN_SENT));
            sink.OnSocketEvent(Events.Sock(1, 0xa, SocketEventKind.Retransmit, TcpState.SYN_SENT));
            sink.OnTotals(Events.Totals(2, 0xa, 1, 1, TotalsFlags.None));
            sink.OnIcmpError(Events.Icmp(3, 0xa));
            sink.OnStack(new StackSample(4, Events.NetNs, 0xa, 1, StackWhere.KernelAtEnd, [0xffffffff81000000]));
            sink.OnDrop(Events.Drop(4, reason: "NO_SOCKET"));
            sink.OnIdle(5);
            return new SourceStats(6, 0, 0, StartNs: 0, EndNs: 5);
        }

        public void Dispose()
        {
        }
    }

    private class Calls : IEventSink
    {
        public List<string> Seen { get; } = [];

        public void OnStateChange(in StateChange e) => Seen.Add("state");

        public void OnSocketEvent(in SocketEvent e) => Seen.Add("socket");

        public void OnTotals(in SocketTotals e) => Seen.Add("totals");

        public void OnIcmpError(in IcmpError e) => Seen.Add("icmp");

        public void OnStack(StackSample e) => Seen.Add("stack");

        public void OnDrop(in PacketDrop e) => Seen.Add("drop");

        public void OnIdle(long monotonicNowNs) => Seen.Add("idle");
    }

    private sealed class CountingRule : Calls, IRule
    {
        public string Id => "TEST-COUNTING";

        public void OnConnectEnded(TcpScope.Correlation.ConnectAttempt a) => Seen.Add("connect ended");

        public void OnConnectInProgress(TcpScope.Correlation.ConnectAttempt a) => Seen.Add("connect in progress");

        public void OnAccepted(TcpScope.Correlation.Connection c) => Seen.Add("accepted");

        public void OnClosed(TcpScope.Correlation.Connection c) => Seen.Add("closed");

        public IReadOnlyList<Finding> Evaluate(long monotonicNowNs) => [];
    }
}
