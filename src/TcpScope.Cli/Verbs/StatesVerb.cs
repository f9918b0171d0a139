using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope states` as a plain method: check the host, attach, stream, summarise.</summary>
public static class StatesVerb
{
    public static int Run(StatesSettings s, CliConsole console, CancellationToken cancellation)
    {
        Task<KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(s.Filter, console.Error);
        using Interruption stop = new(cancellation);
        using ProbeSetSource source = ProbeSetSource.Start(ProbeFamily.States, [], s.Filter, s.Trace, () => enums.GetAwaiter().GetResult());
        foreach (string degraded in source.Degraded)
        {
            console.Error.WriteLine($"tcpscope: {degraded}");
        }

        using IEventRenderer renderer = CreateRenderer(s, console);
        var rules = new RuleSet([new CloseWaitRule(s.CloseWaitThreshold)]);
        TraceSession.Run(source, renderer, rules, s.LiveFindings, console.Error, stop.Token, s.Duration, console.OutputClosed);
        return ExitCodes.Ok;
    }

    private static IEventRenderer CreateRenderer(StatesSettings s, CliConsole console)
    {
        long offset = MonotonicClock.WallOffsetNs();
        Stream stdout = console.OpenOutputStream();
        return s.Json
            ? new JsonLinesRenderer(stdout, offset)
            : new StatesTextRenderer(stdout, console.Error, s.TextOptions(offset));
    }
}
