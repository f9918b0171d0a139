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

    public static SourceStats Run(
        IEventSource source,
        IEventRenderer renderer,
        RuleSet rules,
        bool liveFindings,
        TextWriter? diagnostics,
        CancellationToken cancellation,
        TimeSpan? duration = null,
        Func<bool>? outputClosed = null) =>
        Run(source, renderer, renderer, rules, liveFindings, diagnostics, cancellation, duration: duration, outputClosed: outputClosed);

    /// <param name="pipeline">Where events go (a renderer, or the connection table in front of one).</param>
    /// <param name="writer">Where the header, findings and summary go.</param>
    /// <param name="beforeFindings">Writes what the verb adds at the end, before the findings.</param>
    /// <param name="duration">Stop after this long, counted from here: the source is attached, set-up is behind.</param>
    /// <param name="outputClosed">Asked every drain: true stops the trace (nobody reads the output any more).</param>
    /// <param name="shortfalls">What the pipeline counted instead of following, for the summary (the source's own come first, the rules' own last).</param>
    public static SourceStats Run(
        IEventSource source,
        IEventSink pipeline,
        IReportWriter writer,
        RuleSet rules,
        bool liveFindings,
        TextWriter? diagnostics,
        CancellationToken cancellation,
        Action? beforeFindings = null,
        TimeSpan? duration = null,
        Func<bool>? outputClosed = null,
        IReadOnlyList<IShortfalls>? shortfalls = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var started = Stopwatch.StartNew();
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        writer.WriteHeader();
        writer.Flush();
        diagnostics?.WriteLine($"tcpscope: tracing via {source.Description}; Ctrl-C to stop");
        diagnostics?.Flush();
        var sink = new Sink(pipeline, writer, rules, liveFindings, outputClosed ?? (static () => false), stop);
        SourceStats stats = source.Run(sink, stop.Token);
        beforeFindings?.Invoke();
        foreach (Finding f in rules.Evaluate(MonotonicClock.NowNs()))
        {
            writer.WriteFinding(f);
        }

        Shortfall[] missed = [.. stats.Shortfalls, .. (shortfalls ?? []).SelectMany(s => s.Shortfalls), .. rules.Shortfalls, .. sink.Tracker.Shortfalls];
        writer.WriteSummary(new RunSummary(stats, source.Description, started.Elapsed, missed));
        return stats;
    }

    private sealed class Sink(IEventSink pipeline, IReportWriter writer, RuleSet rules, bool liveFindings, Func<bool> outputClosed, CancellationTokenSource stop) : IEventSink
    {
        private long nextEvaluationNs;

        public FindingTracker Tracker { get; } = new();

        public void OnStateChange(in StateChange e)
        {
            pipeline.OnStateChange(in e);
            rules.OnStateChange(in e);
        }

        public void OnSocketEvent(in SocketEvent e) => pipeline.OnSocketEvent(in e);

        public void OnTotals(in SocketTotals e) => pipeline.OnTotals(in e);

        public void OnIcmpError(in IcmpError e) => pipeline.OnIcmpError(in e);

        public void OnStack(StackSample e) => pipeline.OnStack(e);

        public void OnIdle(long monotonicNowNs)
        {
            pipeline.OnIdle(monotonicNowNs);
            if (liveFindings && monotonicNowNs >= nextEvaluationNs)
            {
                nextEvaluationNs = monotonicNowNs + LiveFindingsIntervalNs;
                foreach (Finding f in Tracker.News(rules.Evaluate(monotonicNowNs), monotonicNowNs))
                {
                    writer.WriteFinding(f);
                }
            }

            writer.Flush();
            if (outputClosed())
            {
                stop.Cancel(); // `| head` has what it wanted: detach and end as after Ctrl-C
            }
        }
    }
}
