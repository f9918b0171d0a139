using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>
/// `tcpscope record` as a plain method: a session of the connection probes with no views and no
/// rules, whose ring is tapped into a recording (the richest family: states, life and connect
/// all replay from it).
/// </summary>
public static class RecordVerb
{
    public static int Run(RecordSettings s, CliConsole console, CancellationToken cancellation)
    {
        using LiveTrace live = LiveTrace.Start(ConnectionsVerb.Core, s.Filter, s.Trace, s.Output, ConnectionsVerb.Families(s.Stacks), s.Stacks, console, cancellation);
        var report = new SummaryOnly();
        SourceStats stats = Session.Run(
            new SessionPlan
            {
                Source = live.Source,
                Report = report,
                Duration = s.Duration,
                OutputClosed = live.OutputClosed(static () => false),
                Diagnostics = console.Error,
            },
            live.Token);
        if (report.Summary is { } summary)
        {
            console.Error.WriteLine(SummaryText.Line(summary));
        }

        live.Finish(stats, console.Error);
        return ExitCodes.Ok;
    }

    /// <summary>Nothing to show while recording; the summary is kept for the closing lines.</summary>
    private sealed class SummaryOnly : IReportWriter
    {
        public bool SummaryInOutput => false;

        public RunSummary? Summary { get; private set; }

        public void WriteHeader()
        {
        }

        public void WriteFinding(Finding finding)
        {
        }

        public void WriteSummary(RunSummary summary) => Summary = summary;

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
