using TcpScope.Cli.Verbs;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>The session loop on a scripted source: live findings, findings and summary at the end.</summary>
public class TraceSessionTests
{
    private const long S = 1_000_000_000;

    /// <summary>Plays events and idle ticks in order, as the ring-buffer source would deliver them.</summary>
    private sealed class ScriptedSource(params (StateChange? Event, long IdleAtNs)[] script) : IEventSource
    {
        public string Description => "scripted";

        public SourceStats Run(IEventSink sink, CancellationToken cancellation)
        {
            long n = 0;
            foreach ((StateChange? e, long idle) in script)
            {
                if (e is { } ev)
                {
                    sink.OnStateChange(ev);
                    n++;
                }
                else
                {
                    sink.OnIdle(idle);
                }
            }

            return new SourceStats(n, 3, 0);
        }

        public void Dispose()
        {
        }
    }

    private static (string Out, string Err) Run(bool live, params (StateChange? Event, long IdleAtNs)[] script)
    {
        var output = new MemoryStream();
        var diagnostics = new StringWriter();
        using (var renderer = new StatesTextRenderer(output, diagnostics, new StatesTextOptions()))
        {
            // a threshold of 1 s keeps the script short; "now" at the end is the real clock,
            // far past the scripted timestamps, so the end-of-run evaluation sees the leak too
            TraceSession.Run(new ScriptedSource(script), renderer, new RuleSet([new CloseWaitRule(TimeSpan.FromSeconds(1))]), live, diagnostics, CancellationToken.None);
        }

        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), diagnostics.ToString());
    }

    [Fact]
    public void Live_findings_appear_in_the_stream_once_and_again_at_exit()
    {
        StateChange closeWait = Events.State(1 * S, 0xa, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
        (string output, string err) = Run(true, (closeWait, 0), (null, 3 * S), (null, 5 * S));

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
        (string output, _) = Run(false, (closeWait, 0), (null, 3 * S));

        string[] lines = output.Split('\n');
        Assert.Single(lines, l => l.StartsWith("FINDING", StringComparison.Ordinal));
        Assert.StartsWith("FINDING", lines[2]);
    }

    [Fact]
    public void Every_kind_of_event_reaches_the_pipeline()
    {
        // IEventSink's methods have empty defaults: a sink in between that forgets one drops that kind silently
        var pipeline = new Calls();
        TraceSession.Run(new EveryKindSource(), pipeline, new NullReportWriter(), new RuleSet([]), false, null, CancellationToken.None);

        Assert.Equal(["state", "socket", "totals", "icmp", "stack", "idle"], pipeline.Seen);
    }

    private sealed class EveryKindSource : IEventSource
    {
        public string Description => "every kind";

        public SourceStats Run(IEventSink sink, CancellationToken cancellation)
        {
            sink.OnStateChange(Events.State(0, 0xa, TcpState.CLOSE, TcpState.SYN_SENT));
            sink.OnSocketEvent(Events.Sock(1, 0xa, SocketEventKind.Retransmit, TcpState.SYN_SENT));
            sink.OnTotals(Events.Totals(2, 0xa, 1, 1, TotalsFlags.None));
            sink.OnIcmpError(Events.Icmp(3, 0xa));
            sink.OnStack(new StackSample(4, Events.NetNs, 0xa, 1, StackWhere.KernelAtEnd, [0xffffffff81000000]));
            sink.OnIdle(5);
            return new SourceStats(6, 0, 0);
        }

        public void Dispose()
        {
        }
    }

    private sealed class Calls : IEventSink
    {
        public List<string> Seen { get; } = [];

        public void OnStateChange(in StateChange e) => Seen.Add("state");

        public void OnSocketEvent(in SocketEvent e) => Seen.Add("socket");

        public void OnTotals(in SocketTotals e) => Seen.Add("totals");

        public void OnIcmpError(in IcmpError e) => Seen.Add("icmp");

        public void OnStack(StackSample e) => Seen.Add("stack");

        public void OnIdle(long monotonicNowNs) => Seen.Add("idle");
    }
}
