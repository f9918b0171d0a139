using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Recording;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope drops` as a plain method: check the host, resolve --reason, attach the drops family, then a session of its records.</summary>
public static class DropsVerb
{
    /// <summary>The family drops cannot run without (doctor says whether it can here).</summary>
    public static readonly ProbeFamily Core = ProbeFamily.Drops;

    /// <summary>The rules over drops, from the catalogue: findings at exit, and live with --findings.</summary>
    public static readonly IReadOnlyList<string> Rules =
    [
        FirewallDropsRule.RuleId, AcceptQueueFullAtAckRule.RuleId, NoListenerRule.RuleId,
        ReceiveBufferDropsRule.RuleId, ChecksumDropsRule.RuleId, OtherDropsRule.RuleId,
    ];

    public static int Run(DropsSettings s, CliConsole console, CancellationToken cancellation)
    {
        if (s.ReplayFrom is { } from)
        {
            using Interruption replayStop = new(cancellation);
            using ReplaySource replay = RecordingFiles.OpenReplay(from, console.Error).Only(Decode.Abi.EventKind.Drop, Decode.Abi.EventKind.DropReset, Decode.Abi.EventKind.Stack);
            if (!replay.Header.Has(RecordingHeader.DropsFamily))
            {
                console.Error.WriteLine($"tcpscope: warning: {from} holds {replay.Header.Families} events only, no drops (record with `tcpscope drops --record FILE`)");
            }

            if (s.Stacks && !replay.Header.Has(RecordingHeader.StacksFamily))
            {
                throw new CliException($"--stacks: {from} was recorded without stacks (record with `tcpscope drops --stacks --record FILE`)", ExitCodes.Usage);
            }

            KernelLocations locations = KernelLocations.OfThisHost();
            StackSymbolizer? symbols = s.Stacks ? new StackSymbolizer() : null;
            if (replay.Header.BootId != RecordingHeader.ThisBootId())
            {
                // kernel addresses move with every boot (KASLR): this host's symbols would name the wrong functions
                locations = new KernelLocations(null);
                symbols = s.Stacks ? new StackSymbolizer(new SymbolTable([])) : null;
                console.Error.WriteLine($"tcpscope: {from} was recorded on another boot ({replay.Header.Hostname}): LOCATION and stacks show the recorded addresses");
            }
            else if (!locations.Names)
            {
                console.Error.WriteLine($"tcpscope: {KernelLocations.HiddenNotice}");
            }

            RunSession(s, console, replay, locations, symbols, console.OutputClosed, replayStop.Token);
            return ExitCodes.Ok;
        }

        StatesFilter filter = s.Filter;
        if (s.Reasons.Count > 0)
        {
            Privileges.RequireKernelBtf();
            filter = filter with { DropReasons = DropReasonNames.Resolve(s.Reasons, KernelEnums.FromKernel()) };
        }

        if (s.Count)
        {
            return DropCountVerb.Run(s, console, filter, cancellation);
        }

        string families = s.Stacks ? $"{RecordingHeader.DropsFamily},{RecordingHeader.StacksFamily}" : RecordingHeader.DropsFamily;
        using LiveTrace trace = LiveTrace.Start(Core, filter, s.Trace, s.RecordTo, families, s.Stacks, console, cancellation);

        // read after the probes are attached: parsing kallsyms takes a few hundred ms, and the ring holds what comes meanwhile
        KernelLocations live = KernelLocations.OfThisHost();
        if (!live.Names)
        {
            console.Error.WriteLine($"tcpscope: {KernelLocations.HiddenNotice}");
        }

        SourceStats stats = RunSession(s, console, trace.Source, live, s.Stacks ? new StackSymbolizer() : null, trace.OutputClosed(console.OutputClosed), trace.Token);
        trace.Finish(stats, console.Error);
        return ExitCodes.Ok;
    }

    private static SourceStats RunSession(DropsSettings s, CliConsole console, IEventSource source, KernelLocations locations, StackSymbolizer? symbols, Func<bool> outputClosed, CancellationToken stop)
    {
        Stream stdout = console.OpenOutputStream();
        using IEventRenderer renderer = s.Json
            ? new DropsJsonRenderer(stdout, source.WallOffsetNs, locations, symbols)
            : new DropsTextRenderer(stdout, console.Error, source.WallOffsetNs, locations, symbols);
        return Session.Run(
            new SessionPlan
            {
                Source = source,
                Report = renderer,
                EventViews = [renderer],
                Rules = Rules,
                LiveFindings = s.LiveFindings,
                Duration = s.Duration,
                OutputClosed = outputClosed,
                Diagnostics = console.Error,
            },
            stop);
    }
}
