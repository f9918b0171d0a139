using System.Text;
using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Recording;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope life` and `tcpscope connect` as a plain method: a session with one view over the connections.</summary>
public static class ConnectionsVerb
{
    private static readonly IReadOnlyList<string> LifeRules = [CloseWaitRule.RuleId];

    private static readonly IReadOnlyList<string> ConnectRules =
        [ConnectTimeoutRule.RuleId, ConnectRefusedRule.RuleId, SynSentBadAckRule.RuleId, SlowHandshakeRule.RuleId];

    /// <summary>The family life, connect and record cannot run without (doctor says whether it can here).</summary>
    public static readonly ProbeFamily Core = ProbeFamily.Conn;

    public static IReadOnlyList<string> RulesOf(ConnectionsView view) => view == ConnectionsView.Life ? LifeRules : ConnectRules;

    public static int Run(ConnectionsSettings s, CliConsole console, CancellationToken cancellation)
    {
        if (s.ReplayFrom is { } from)
        {
            using Interruption replayStop = new(cancellation);
            using ReplaySource replay = RecordingFiles.OpenReplay(from, console.Error);
            if (!replay.Header.Has(RecordingHeader.ConnectionsFamily))
            {
                console.Error.WriteLine($"tcpscope: warning: {from} holds {replay.Header.Families} events only, not the connection events {s.View.ToString().ToLowerInvariant()} is built on (record with `tcpscope record`)");
            }

            if (s.Stacks && !replay.Header.Has(RecordingHeader.StacksFamily))
            {
                throw new CliException($"--stacks: {from} was recorded without stacks (record with `tcpscope record --stacks` or `connect --stacks --record`)", ExitCodes.Usage);
            }

            if (s.Stacks && replay.Header.BootId != RecordingHeader.ThisBootId())
            {
                // kernel addresses move with every boot (KASLR), and a pid names another process after one
                console.Error.WriteLine($"tcpscope: warning: {from} was recorded on another boot ({replay.Header.Hostname}, boot {replay.Header.BootId}): "
                    + "stack frames are named from this host's symbols now and may be wrong; the addresses are the recorded ones");
            }

            // the live run's bound on connections followed at once, so the replay drops what it dropped
            uint recordedMaxSockets = replay.Header.MaxSockets is > 0 and var m ? m : s.Trace.MaxSockets;
            RunSession(s with { Trace = s.Trace with { MaxSockets = recordedMaxSockets } }, console, replay, replay.Header.Has(RecordingHeader.StacksFamily), console.OutputClosed, replayStop.Token);
            return ExitCodes.Ok;
        }

        using LiveTrace live = LiveTrace.Start(Core, s.Filter, s.Trace, s.RecordTo, Families(s.Stacks), s.Stacks, console, cancellation);
        SourceStats stats = RunSession(s, console, live.Source, s.Stacks, live.OutputClosed(console.OutputClosed), live.Token);
        live.Finish(stats, console.Error);
        return ExitCodes.Ok;
    }

    // the session flushes at every drain: a buffer that holds a drain's lines makes one write of them, not one per 1 KiB
    private const int OutputBuffer = 64 * 1024;
    private static readonly UTF8Encoding TextEncoding = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>What a recording of the connection source holds.</summary>
    public static string Families(bool stacks) =>
        stacks ? $"{RecordingHeader.ConnectionsFamily},{RecordingHeader.StacksFamily}" : RecordingHeader.ConnectionsFamily;

    /// <param name="sourceStacks">The source sends stacks (asked live, or in the recording): connections wait for them.</param>
    private static SourceStats RunSession(ConnectionsSettings s, CliConsole console, IEventSource source, bool sourceStacks, Func<bool> outputClosed, CancellationToken stop)
    {
        long offset = source.WallOffsetNs;
        Stream stdout = console.OpenOutputStream();
        using IConnectionRenderer renderer = s.Json
            ? new ConnectionsJsonRenderer(stdout, offset)
            : new ConnectionsTextRenderer(new StreamWriter(stdout, TextEncoding, OutputBuffer) { AutoFlush = false }, console.Error, s.View, offset);

        IConnectionObserver view;
        ConnectView? connectView = null;
        if (s.View == ConnectionsView.Life)
        {
            view = new LifeView(renderer);
        }
        else
        {
            StackSymbolizer? symbols = s.Stacks ? new StackSymbolizer() : null;
            view = connectView = new ConnectView(renderer, s.FailedOnly, symbols is null ? null : c => StackText.Describe(c, symbols));
        }

        return Session.Run(
            new SessionPlan
            {
                Source = source,
                Report = renderer,
                ConnectionViews = [view],
                Rules = RulesOf(s.View),
                RuleOptions = s.Rules,
                ConnectionCapacity = (int)s.Trace.MaxSockets,
                ExpectStacks = sourceStacks,
                LiveFindings = s.LiveFindings,
                Duration = s.Duration,
                OutputClosed = outputClosed,
                Diagnostics = console.Error,
                BeforeFindings = connectView is null ? null : () => renderer.WriteConnectSummary(connectView.Summary),
                ViewShortfalls = connectView is null ? [] : [connectView],
            },
            stop);
    }
}
