using System.Diagnostics;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>
/// Runs a source into a renderer and the rules until cancelled: live findings when asked,
/// all findings and the summary line at the end.
/// </summary>
public static class TraceSession
{
    private const long LiveFindingsIntervalNs = 1_000_000_000;

    public static SourceStats Run(IEventSource source, IEventRenderer renderer, RuleSet rules, bool liveFindings, TextWriter? diagnostics, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        renderer.WriteHeader();
        renderer.Flush();
        diagnostics?.WriteLine($"tcpscope: tracing via {source.Description}; Ctrl-C to stop");
        diagnostics?.Flush();
        var sink = new Sink(renderer, rules, liveFindings);
        SourceStats stats = source.Run(sink, cancellation);
        foreach (Finding f in rules.Evaluate(MonotonicClock.NowNs()))
        {
            renderer.WriteFinding(f);
        }

        renderer.WriteSummary(new RunSummary(stats, source.Description, started.Elapsed));
        return stats;
    }

    private sealed class Sink(IEventRenderer renderer, RuleSet rules, bool liveFindings) : IEventSink
    {
        private readonly FindingTracker tracker = new();
        private long nextEvaluationNs;

        public void OnStateChange(in StateChange e)
        {
            renderer.OnStateChange(in e);
            rules.OnStateChange(in e);
        }

        public void OnIdle(long monotonicNowNs)
        {
            if (liveFindings && monotonicNowNs >= nextEvaluationNs)
            {
                nextEvaluationNs = monotonicNowNs + LiveFindingsIntervalNs;
                foreach (Finding f in tracker.News(rules.Evaluate(monotonicNowNs)))
                {
                    renderer.WriteFinding(f);
                }
            }

            renderer.OnIdle(monotonicNowNs);
        }
    }
}
