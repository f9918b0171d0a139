using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Recording;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope states` as a plain method: check the host, attach, then a session of the transitions.</summary>
public static class StatesVerb
{
    public static readonly IReadOnlyList<string> Rules = [CloseWaitRule.RuleId];

    /// <summary>The family states cannot run without (doctor says whether it can here).</summary>
    public static readonly ProbeFamily Core = ProbeFamily.States;

    /// <summary>The verbs that show what a recording holds beside state changes.</summary>
    private static string OtherVerbs(RecordingHeader h) =>
        (h.Has(RecordingHeader.ConnectionsFamily), h.Has(RecordingHeader.DropsFamily)) switch
        {
            (true, true) => "life, connect and drops",
            (false, true) => "drops",
            _ => "life and connect",
        };

    public static int Run(StatesSettings s, CliConsole console, CancellationToken cancellation)
    {
        if (s.ReplayFrom is { } from)
        {
            using Interruption replayStop = new(cancellation);
            using ReplaySource replay = RecordingFiles.OpenReplay(from, console.Error).Only(Decode.Abi.EventKind.State);
            RunSession(s, console, replay, console.OutputClosed, replayStop.Token);
            if (replay.Skipped > 0)
            {
                console.Error.WriteLine($"tcpscope: {replay.Skipped} records of other probes in {from} are not state changes: skipped ({OtherVerbs(replay.Header)} show them)");
            }

            return ExitCodes.Ok;
        }

        using LiveTrace live = LiveTrace.Start(Core, s.Filter, s.Trace, s.RecordTo, RecordingHeader.StatesFamily, stacks: false, console, cancellation);
        SourceStats stats = RunSession(s, console, live.Source, live.OutputClosed(console.OutputClosed), live.Token);
        live.Finish(stats, console.Error);
        return ExitCodes.Ok;
    }

    private static SourceStats RunSession(StatesSettings s, CliConsole console, IEventSource source, Func<bool> outputClosed, CancellationToken stop)
    {
        using IEventRenderer renderer = CreateRenderer(s, console, source.WallOffsetNs);
        return Session.Run(
            new SessionPlan
            {
                Source = source,
                Report = renderer,
                EventViews = [renderer],
                Rules = Rules,
                RuleOptions = s.Rules,
                LiveFindings = s.LiveFindings,
                Duration = s.Duration,
                OutputClosed = outputClosed,
                Diagnostics = console.Error,
            },
            stop);
    }

    /// <summary>The states renderer for this console: JSON lines or the tcpstates table.</summary>
    public static IEventRenderer CreateRenderer(StatesSettings s, CliConsole console, long wallOffsetNs)
    {
        Stream stdout = console.OpenOutputStream();
        return s.Json
            ? new JsonLinesRenderer(stdout, wallOffsetNs)
            : new StatesTextRenderer(stdout, console.Error, s.TextOptions(wallOffsetNs));
    }
}
