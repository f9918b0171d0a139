using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope life` and `tcpscope connect` as a plain method: a session with one view over the connections.</summary>
public static class ConnectionsVerb
{
    private static readonly IReadOnlyList<string> LifeRules = [CloseWaitRule.RuleId];

    private static readonly IReadOnlyList<string> ConnectRules =
        [ConnectTimeoutRule.RuleId, ConnectRefusedRule.RuleId, SynSentBadAckRule.RuleId, SlowHandshakeRule.RuleId];

    public static IReadOnlyList<string> RulesOf(ConnectionsView view) => view == ConnectionsView.Life ? LifeRules : ConnectRules;

    public static int Run(ConnectionsSettings s, CliConsole console, CancellationToken cancellation)
    {
        Task<Decode.KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(s.Filter, console.Error);
        using Interruption stop = new(cancellation);
        using BpfConnectionsSource source = BpfConnectionsSource.Start(s.Filter, s.Trace, () => enums.GetAwaiter().GetResult(), s.Stacks);

        long offset = source.WallOffsetNs;
        Stream stdout = console.OpenOutputStream();
        using IConnectionRenderer renderer = s.Json
            ? new ConnectionsJsonRenderer(stdout, offset)
            : new ConnectionsTextRenderer(new StreamWriter(stdout) { AutoFlush = false }, console.Error, s.View, offset);

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

        Session.Run(
            new SessionPlan
            {
                Source = source,
                Report = renderer,
                ConnectionViews = [view],
                Rules = RulesOf(s.View),
                RuleOptions = s.Rules,
                ConnectionCapacity = (int)s.Trace.MaxSockets,
                ExpectStacks = s.Stacks,
                LiveFindings = s.LiveFindings,
                Duration = s.Duration,
                OutputClosed = console.OutputClosed,
                Diagnostics = console.Error,
                BeforeFindings = connectView is null ? null : () => renderer.WriteConnectSummary(connectView.Summary),
                ViewShortfalls = connectView is null ? [] : [connectView],
            },
            stop.Token);
        return ExitCodes.Ok;
    }
}
