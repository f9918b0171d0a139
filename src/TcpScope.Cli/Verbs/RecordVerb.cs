using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Recording;
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
        Task<Decode.KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(s.Filter, console.Error);
        using RecordingWriter writer = RecordingFiles.Create(s.Output)!;
        using Interruption stop = new(cancellation);
        using ProbeSetSource source = ProbeSetSource.Start(ConnectionsVerb.Core, [], s.Filter, s.Trace with { Tap = writer }, () => enums.GetAwaiter().GetResult(), s.Stacks);
        foreach (string degraded in source.Degraded)
        {
            console.Error.WriteLine($"tcpscope: {degraded}");
        }

        RecordingFiles.Begin(writer, source, ConnectionsVerb.Families(s.Stacks));
        var report = new SummaryOnly();
        SourceStats stats = Session.Run(
            new SessionPlan
            {
                Source = source,
                Report = report,
                Duration = s.Duration,
                OutputClosed = RecordingFiles.OutputClosed(static () => false, writer),
                Diagnostics = console.Error,
            },
            stop.Token);
        RecordingTrailer trailer = writer.Complete(stats);
        RecordingFiles.ThrowIfFailed(writer);
        if (report.Summary is { } summary)
        {
            console.Error.WriteLine(SummaryText.Line(summary));
        }

        console.Error.WriteLine(RecordingFiles.Written(writer, trailer));
        return ExitCodes.Ok;
    }

    /// <summary>Nothing to show while recording; the summary is kept for the closing lines.</summary>
    private sealed class SummaryOnly : IReportWriter
    {
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
