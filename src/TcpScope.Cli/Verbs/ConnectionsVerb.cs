using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope life` and `tcpscope connect` as a plain method: two views over one connection table.</summary>
public static class ConnectionsVerb
{
    public static int Run(ConnectionsSettings s, CliConsole console, CancellationToken cancellation)
    {
        Task<KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(s.Filter, console.Error);
        using Interruption stop = new(cancellation);
        using ProbeSetSource source = ProbeSetSource.Start(ProbeFamily.Conn, [], s.Filter, s.Trace, () => enums.GetAwaiter().GetResult(), s.Stacks);
        foreach (string degraded in source.Degraded)
        {
            console.Error.WriteLine($"tcpscope: {degraded}");
        }

        long offset = MonotonicClock.WallOffsetNs();
        Stream stdout = console.OpenOutputStream();
        using IConnectionRenderer renderer = s.Json
            ? new ConnectionsJsonRenderer(stdout, offset)
            : new ConnectionsTextRenderer(new StreamWriter(stdout) { AutoFlush = false }, console.Error, s.View, offset);

        List<IRule> rules;
        IConnectionObserver view;
        ConnectView? connectView = null;
        if (s.View == ConnectionsView.Life)
        {
            rules = [new CloseWaitRule()];
            view = new LifeView(renderer);
        }
        else
        {
            rules = [new ConnectTimeoutRule(), new ConnectRefusedRule(), new SynSentBadAckRule(), new SlowHandshakeRule(s.SlowHandshake)];
            StackSymbolizer? symbols = s.Stacks ? new StackSymbolizer() : null;
            view = connectView = new ConnectView(renderer, s.FailedOnly, symbols is null ? null : c => StackText.Describe(c, symbols));
        }

        var observers = new List<IConnectionObserver> { view };
        observers.AddRange(rules.OfType<IConnectionObserver>());
        var table = new ConnectionTable(observers, enums.GetAwaiter().GetResult(), (int)s.Trace.MaxSockets, s.Stacks);
        TraceSession.Run(
            source,
            table,
            renderer,
            new RuleSet(rules),
            s.LiveFindings,
            console.Error,
            stop.Token,
            connectView is null ? null : () => renderer.WriteConnectSummary(connectView.Summary),
            s.Duration,
            console.OutputClosed,
            connectView is null ? [table] : [table, connectView]);
        return ExitCodes.Ok;
    }
}
