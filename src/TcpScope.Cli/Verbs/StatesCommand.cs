using System.CommandLine;
using System.Globalization;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope states`: binds the options, then calls <see cref="StatesVerb.Run"/>.</summary>
public sealed class StatesCommand
{
    private readonly TraceFilterOptions filters = new();

    private readonly Option<bool> json = new("--json") { Description = "One JSON object per line (stable field names, states as names)" };

    private readonly Option<bool> timeOfDay = new("--time", "-T") { Description = "Prefix each line with the time of day (HH:MM:SS)" };

    private readonly Option<bool> wide = new("--wide", "-w") { Description = "Wide columns: full IPv6 addresses" };

    private readonly Option<bool> findings = new("--findings") { Description = "Print findings live as they appear (they are always printed at exit)" };

    private readonly Option<double> closeWait = new("--close-wait-threshold")
    {
        Description = "Report sockets left in CLOSE_WAIT longer than this many seconds",
        HelpName = "seconds",
        DefaultValueFactory = _ => Diagnosis.CloseWaitRule.DefaultThreshold.TotalSeconds,
        CustomParser = r => Seconds(r, "--close-wait-threshold"),
    };

    private readonly Option<double?> duration = new("--duration", "-d")
    {
        Description = "Stop after this many seconds (default: run until Ctrl-C)",
        HelpName = "seconds",
        CustomParser = r => Seconds(r, "--duration"),
    };

    private readonly Option<uint> ringSize = new("--ring-size")
    {
        Description = "Ring buffer size in MiB (a power of two, 1-1024); raise it if the last line reports lost events",
        HelpName = "MiB",
        DefaultValueFactory = _ => 8,
        CustomParser = r =>
        {
            uint n = TraceFilterOptions.ParseNumber(r, "--ring-size", 1, 1024);
            if (n != 0 && (n & (n - 1)) != 0)
            {
                r.AddError($"--ring-size: '{n}' is not a power of two");
            }

            return n;
        },
    };

    public StatesCommand(CliConsole console)
    {
        Command = new Command(
            "states",
            "Every TCP state transition on the host, as bcc's tcpstates shows them: socket, owning process, "
            + "addresses, OLDSTATE -> NEWSTATE and the time spent in the old state (MS). Ctrl-C stops and prints "
            + "how many events were seen and lost.")
        {
            json, timeOfDay, wide, findings, closeWait, duration, ringSize,
        };
        filters.AddTo(Command);
        Command.SetAction(r => StatesVerb.Run(Bind(r), console, CancellationToken.None));
    }

    public Command Command { get; }

    public static Command Create(CliConsole console) => new StatesCommand(console).Command;

    public StatesSettings Bind(ParseResult r) => new()
    {
        Filter = filters.Bind(r),
        Json = r.GetValue(json),
        TimeOfDay = r.GetValue(timeOfDay),
        Wide = r.GetValue(wide),
        LiveFindings = r.GetValue(findings),
        CloseWaitThreshold = TimeSpan.FromSeconds(r.GetValue(closeWait)),
        Duration = r.GetValue(duration) is double d ? TimeSpan.FromSeconds(d) : null,
        Trace = new Sources.TraceOptions { RingBytes = r.GetValue(ringSize) << 20 },
    };

    private static double Seconds(System.CommandLine.Parsing.ArgumentResult r, string name)
    {
        string v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || s <= 0 || s > 31_536_000)
        {
            r.AddError($"{name}: '{v}' is not a positive number of seconds");
            return 0;
        }

        return s;
    }
}
