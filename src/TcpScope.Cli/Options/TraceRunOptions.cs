using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TcpScope.Sources;

namespace TcpScope.Cli;

/// <summary>How long a tracing verb runs and how it moves events: options every tracing verb shares.</summary>
public sealed class TraceRunOptions
{
    public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per line (stable field names, enums as names)" };

    public Option<bool> Findings { get; } = new("--findings") { Description = "Print findings live as they appear (they are always printed at exit)" };

    public Option<double?> Duration { get; } = new("--duration", "-d")
    {
        Description = "Stop after this many seconds (default: run until Ctrl-C)",
        HelpName = "seconds",
        CustomParser = r => Seconds(r, "--duration"),
    };

    public Option<uint> RingSize { get; } = new("--ring-size")
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

    public Option<uint> MaxSockets { get; } = new("--max-sockets")
    {
        Description = "Sockets followed at once, in the kernel and here (1024-4194304; each costs about 100 bytes of kernel memory, allocated at start); "
            + "raise it if the last line reports sockets not followed",
        HelpName = "N",
        DefaultValueFactory = _ => TraceOptions.DefaultMaxSockets,
        CustomParser = r => TraceFilterOptions.ParseNumber(r, "--max-sockets", 1024, 4_194_304),
    };

    public void AddTo(Command c)
    {
        c.Options.Add(Json);
        c.Options.Add(Findings);
        c.Options.Add(Duration);
        c.Options.Add(RingSize);
        c.Options.Add(MaxSockets);
    }

    public TimeSpan? BindDuration(ParseResult r) => r.GetValue(Duration) is double d ? TimeSpan.FromSeconds(d) : null;

    public TraceOptions BindTrace(ParseResult r) => new() { RingBytes = r.GetValue(RingSize) << 20, MaxSockets = r.GetValue(MaxSockets) };

    /// <summary>A positive number of seconds, at most a year.</summary>
    public static double Seconds(ArgumentResult r, string name) => Positive(r, name, "seconds", 31_536_000);

    /// <summary>A positive number of <paramref name="unit"/>, at most <paramref name="max"/>.</summary>
    public static double Positive(ArgumentResult r, string name, string unit, double max)
    {
        string v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        // written so that NaN fails too (every comparison with it is false)
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0 && s <= max))
        {
            r.AddError($"{name}: '{v}' is not a positive number of {unit} (at most {max.ToString(CultureInfo.InvariantCulture)})");
            return 0;
        }

        return s;
    }
}
