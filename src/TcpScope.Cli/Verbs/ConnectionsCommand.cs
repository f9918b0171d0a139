using System.CommandLine;
using TcpScope.Output;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope life` and `tcpscope connect`: bind the options, then call <see cref="ConnectionsVerb.Run"/>.</summary>
public sealed class ConnectionsCommand
{
    private readonly TraceFilterOptions filters = new();
    private readonly TraceRunOptions run = new();

    private readonly RecordingOptions recording = new();
    private readonly ConnectionsView view;

    private readonly Option<bool> failed = new("--failed") { Description = "Only attempts that did not establish" };

    private readonly Option<bool> stacks = new("--stacks")
    {
        Description = "Add the kernel stack where each attempt ended and the user stack of its connect() call, symbolised "
            + "(kernel from /proc/kallsyms, user from the process's ELF symbols where it has them)",
    };

    private readonly RuleThresholdOptions thresholds = new();

    public ConnectionsCommand(CliConsole console, ConnectionsView view)
    {
        this.view = view;
        Command = view == ConnectionsView.Life
            ? new Command(
                "life",
                "Who connects, accepts and closes: C when a connect() completes (MS = handshake), A when accept() hands a "
                + "connection to its process (MS = time it waited in the accept queue), X when a socket closes (MS = lifetime, "
                + "TX/RX = bytes sent and acknowledged / received, PATH = the states it went through). PID and COMM are the "
                + "socket's owner, learned from its connect(), accept() or close(), never the task that happened to be on the "
                + "CPU; 'unknown' for sockets older than the trace.")
            : new Command(
                "connect",
                "One record per connect attempt, from SYN_SENT to its outcome: established (MS = handshake), refused (RST), "
                + "timed out (the kernel gave up, ETIMEDOUT), aborted by app (closed during SYN_SENT), unreachable (ICMP "
                + "error), reset, bad ACK (the SYN was answered by an ACK for another connection, e.g. a TIME_WAIT behind NAT). "
                + "With the ephemeral port, the time of each SYN retransmit and the error the application saw. On exit, attempts "
                + "per destination, failures by outcome and p50/p99 handshake latency.")
            {
                failed, stacks,
            };
        thresholds.AddTo(Command, ConnectionsVerb.RulesOf(view));
        run.AddTo(Command);
        filters.AddTo(Command);
        recording.AddTo(Command, filters, run);
        Command.SetAction(r => ConnectionsVerb.Run(Bind(r), console, CancellationToken.None));
    }

    public Command Command { get; }

    public static Command CreateLife(CliConsole console) => new ConnectionsCommand(console, ConnectionsView.Life).Command;

    public static Command CreateConnect(CliConsole console) => new ConnectionsCommand(console, ConnectionsView.Connect).Command;

    public ConnectionsSettings Bind(ParseResult r) => new()
    {
        View = view,
        Filter = filters.Bind(r),
        Json = r.GetValue(run.Json),
        LiveFindings = r.GetValue(run.Findings),
        Duration = run.BindDuration(r),
        Trace = run.BindTrace(r),
        RecordTo = r.GetValue(recording.Record),
        ReplayFrom = r.GetValue(recording.From),
        FailedOnly = view == ConnectionsView.Connect && r.GetValue(failed),
        Stacks = view == ConnectionsView.Connect && r.GetValue(stacks),
        Rules = thresholds.Bind(r),
    };
}
