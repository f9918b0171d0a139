using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Sessions;

/// <summary>
/// The one place a pipeline is assembled: source -> event views and the connection table ->
/// connection views -> rules from the catalogue -> the report. Runs until the source ends or
/// is cancelled; live findings when asked, all findings and the summary at the end, all on the
/// source's clock.
/// </summary>
public static class Session
{
    public static SourceStats Run(SessionPlan plan, CancellationToken cancellation)
    {
        IReadOnlyList<RuleEntry> entries = RuleCatalogue.Select(plan.Rules);
        RuleSet rules = RuleCatalogue.Create(entries, plan.RuleOptions);
        var events = new List<IEventSink>(plan.EventViews);
        var shortfalls = new List<IShortfalls>();
        ConnectionTable? table = null;
        if (plan.ConnectionViews.Count > 0 || entries.Any(e => e.NeedsConnections))
        {
            table = new ConnectionTable([.. plan.ConnectionViews, rules], plan.Source.Enums, plan.ConnectionCapacity, plan.ExpectStacks);
            events.Add(table);
            shortfalls.Add(table);
        }

        events.Add(rules);
        shortfalls.AddRange(plan.ViewShortfalls);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (plan.Duration is { } d)
        {
            stop.CancelAfter(d);
        }

        IReportWriter report = plan.Report;
        report.WriteHeader();
        report.Flush();
        if (plan.Source.Live)
        {
            // a replay has said what it reads (the file, its host and kernel) when it opened it
            plan.Diagnostics?.WriteLine($"tcpscope: tracing via {plan.Source.Description}; Ctrl-C to stop");
            plan.Diagnostics?.Flush();
        }
        var sink = new SessionSink(new EventFanOut(events), report, rules, plan.LiveFindings, plan.OutputClosed, stop);
        SourceStats stats = plan.Source.Run(sink, stop.Token);
        table?.EndOfTrace(stats.EndNs);
        plan.BeforeFindings?.Invoke();
        foreach (Finding f in rules.Evaluate(stats.EndNs))
        {
            report.WriteFinding(f);
        }

        Shortfall[] missed = [.. stats.Shortfalls, .. shortfalls.SelectMany(s => s.Shortfalls), .. rules.Shortfalls, .. sink.Tracker.Shortfalls];
        var elapsed = TimeSpan.FromTicks(Math.Max(0, stats.EndNs - stats.StartNs) / 100);
        var summary = new RunSummary(stats, plan.Source.Description, elapsed, missed);
        report.WriteSummary(summary);
        if (report.SummaryInOutput && plan.OutputClosed())
        {
            // the reader of the records is gone: events and losses still have to be said somewhere
            plan.Diagnostics?.WriteLine(SummaryText.Line(summary));
            plan.Diagnostics?.Flush();
        }

        return stats;
    }
}
