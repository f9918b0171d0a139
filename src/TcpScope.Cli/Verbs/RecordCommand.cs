using System.CommandLine;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope record`: binds the options, then calls <see cref="RecordVerb.Run"/>.</summary>
public sealed class RecordCommand
{
    private readonly TraceFilterOptions filters = new();

    private readonly TraceRunOptions run = new();

    private readonly Option<string> output = new("--output", "-o")
    {
        Description = "The recording to write (replaced if it exists); replay it with --from on states, life or connect",
        HelpName = "file",
        Required = true,
    };

    private readonly Option<bool> stacks = new("--stacks") { Description = "Also record the kernel and user stacks of connect attempts (for connect --stacks --from)" };

    public RecordCommand(CliConsole console)
    {
        Command = new Command(
            "record",
            "Record what the connection probes deliver (state transitions, retransmits, resets, errors, accept and connect "
            + "returns, byte counts) with the kernel's enum names, the clock and the host's facts, into a compressed, checksummed "
            + "file. `states`, `life` and `connect` replay it with --from, offline and without privileges, printing what they "
            + "would have printed live. Ctrl-C ends it with a valid file; the last line says what was written and lost.")
        {
            output, stacks, run.Duration, run.RingSize, run.MaxSockets,
        };
        filters.AddTo(Command);
        Command.SetAction(r => RecordVerb.Run(Bind(r), console, CancellationToken.None));
    }

    public Command Command { get; }

    public static Command Create(CliConsole console) => new RecordCommand(console).Command;

    public RecordSettings Bind(ParseResult r) => new()
    {
        Output = r.GetValue(output)!,
        Filter = filters.Bind(r),
        Stacks = r.GetValue(stacks),
        Duration = run.BindDuration(r),
        Trace = run.BindTrace(r),
    };
}
