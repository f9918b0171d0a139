using System.CommandLine;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope states`: binds the options, then calls <see cref="StatesVerb.Run"/>.</summary>
public sealed class StatesCommand
{
    private readonly TraceFilterOptions filters = new();

    private readonly TraceRunOptions run = new();

    private readonly RecordingOptions recording = new();

    private readonly Option<bool> timeOfDay = new("--time", "-T") { Description = "Prefix each line with the time of day (HH:MM:SS)" };

    private readonly Option<bool> wide = new("--wide", "-w") { Description = "Wide columns: full IPv6 addresses" };

    private readonly RuleThresholdOptions thresholds = new();

    public StatesCommand(CliConsole console)
    {
        Command = new Command(
            "states",
            "Every TCP state transition on the host, as bcc's tcpstates shows them: socket, owning process, "
            + "addresses, OLDSTATE -> NEWSTATE and the time spent in the old state (MS). Ctrl-C stops and prints "
            + "how many events were seen and lost.")
        {
            timeOfDay, wide,
        };
        thresholds.AddTo(Command, StatesVerb.Rules);
        run.AddTo(Command);
        filters.AddTo(Command);
        recording.AddTo(Command, filters, run);
        Command.SetAction(r => StatesVerb.Run(Bind(r), console, CancellationToken.None));
    }

    public Command Command { get; }

    public static Command Create(CliConsole console) => new StatesCommand(console).Command;

    public StatesSettings Bind(ParseResult r) => new()
    {
        Filter = filters.Bind(r),
        Json = r.GetValue(run.Json),
        TimeOfDay = r.GetValue(timeOfDay),
        Wide = r.GetValue(wide),
        LiveFindings = r.GetValue(run.Findings),
        Rules = thresholds.Bind(r),
        Duration = run.BindDuration(r),
        Trace = run.BindTrace(r),
        RecordTo = r.GetValue(recording.Record),
        ReplayFrom = r.GetValue(recording.From),
    };
}
