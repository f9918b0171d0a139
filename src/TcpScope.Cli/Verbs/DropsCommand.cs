using System.CommandLine;
using System.Globalization;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope drops`: binds the options, then calls <see cref="DropsVerb.Run"/>.</summary>
public sealed class DropsCommand
{
    private readonly TraceFilterOptions filters = new();

    private readonly TraceRunOptions run = new();

    private readonly RecordingOptions recording = new();

    private readonly Option<string[]> reasons = new("--reason")
    {
        Description = "Only drops with this reason (a name of the kernel's enum skb_drop_reason, with or without SKB_DROP_REASON_: NETFILTER_DROP, "
            + "NO_SOCKET, TCP_LISTEN_OVERFLOW...); repeat or separate with commas; applied in the kernel. Resets are then not shown",
        HelpName = "name",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> stacks = new("--stacks")
    {
        Description = "Also print the kernel stack where each segment was dropped (named from /proc/kallsyms), under its line; in JSON as \"stack\"",
    };

    private readonly Option<bool> count = new("--count", "-c")
    {
        Description = "Counting mode: count drops in the kernel by (network namespace, reason, location, receiving socket's state) and print "
            + "every --interval the rows that gained, most first, with their rate; the totals at the end. No line per drop crosses to user "
            + "space, so no ring can overflow however many drops come (for a drop storm). Resets and findings are not shown. (-c is --count "
            + "here; --comm has no short form in drops)",
    };

    private readonly Option<double> interval = new("--interval", "-i")
    {
        Description = $"With --count: seconds between tables (at least {MinInterval.ToString(CultureInfo.InvariantCulture)})",
        HelpName = "seconds",
        DefaultValueFactory = _ => 1,
        CustomParser = r =>
        {
            double s = TraceRunOptions.Seconds(r, "--interval");
            if (s is > 0 and < MinInterval)
            {
                // each table reads the whole count map: more often than this only burns a CPU
                r.AddError($"--interval: '{r.Tokens[^1].Value}' is shorter than {MinInterval.ToString(CultureInfo.InvariantCulture)} s");
            }

            return s;
        },
    };

    /// <summary>The shortest --interval, in seconds.</summary>
    public const double MinInterval = 0.1;

    public DropsCommand(CliConsole console)
    {
        Command = new Command(
            "drops",
            "Every TCP segment the kernel threw away (kfree_skb), and every reset it sent: one line each with the owner of the socket "
            + "that received it (PID/COMM, or - when none did), the segment's SADDR:SPORT > DADDR:DPORT and FLAGS, the receiving socket's STATE "
            + "(or `no socket`), the REASON as this kernel's BTF names it, and the LOCATION that dropped it (a kernel function, from "
            + "/proc/kallsyms); then what it means in plain words, with what the socket told at that moment: a listener's accept queue "
            + "(3/2), a TIME_WAIT socket's rcv_nxt and ts_recent beside the SYN's seq and TSval. The first drop of each reason also says "
            + "what to do. -L/-D match either port of a segment (a drop's direction is not known to the filter); --pid matches the owner. "
            + "Ctrl-C stops and prints how many events were seen and lost.")
        {
            reasons, stacks, count, interval,
        };
        run.AddTo(Command);
        filters.AddTo(Command);
        // a dropped segment's direction is not known to the kernel filter: either of its ports matches
        filters.LocalPorts.Description = $"Only segments with this port, as either of their ports; repeat the option or separate with commas (at most {StatesFilter.MaxPorts}); applied in the kernel";
        filters.RemotePorts.Description = $"Only segments with this port, as either of their ports (the same as -L for drops); repeat or separate with commas (at most {StatesFilter.MaxPorts}); applied in the kernel";
        // -c is --count in drops, as in dropwatch-style tools
        filters.Comm.Aliases.Remove("-c");
        recording.AddTo(Command, filters, run);
        Command.Validators.Add(r =>
        {
            if (r.GetResult(recording.From) is not null && r.GetResult(reasons) is { Implicit: false })
            {
                r.AddError("--reason filters in the kernel while tracing, not a recording: it is refused with --from (give it to the run that records)");
            }

            if (r.GetResult(reasons) is { Implicit: false } given && given.Tokens.All(t => string.IsNullOrWhiteSpace(t.Value.Replace(",", "", StringComparison.Ordinal))))
            {
                r.AddError("--reason: '' is not a drop reason name (give one, e.g. NETFILTER_DROP; a bad name lists the valid ones)");
            }

            if (r.GetValue(count))
            {
                foreach ((Option option, string why) in new (Option, string)[]
                {
                    (stacks, "a count has no single drop to show a stack of"),
                    (recording.Record, "a count sends no record to keep: record without --count"),
                    (recording.From, "a recording holds the drops themselves: replay it without --count"),
                    (run.Findings, "findings need the drops themselves: run without --count"),
                    (run.RingSize, "a count sends nothing through the ring"),
                })
                {
                    if (r.GetResult(option) is { Implicit: false })
                    {
                        r.AddError($"{option.Name} cannot be used with --count: {why}");
                    }
                }
            }
            else if (r.GetResult(interval) is { Implicit: false })
            {
                r.AddError("--interval goes with --count (the line-per-drop mode prints each drop as it comes)");
            }
        });
        Command.SetAction(r => DropsVerb.Run(Bind(r), console, CancellationToken.None));
    }

    public Command Command { get; }

    public static Command Create(CliConsole console) => new DropsCommand(console).Command;

    public DropsSettings Bind(ParseResult r) => new()
    {
        Filter = filters.Bind(r),
        Reasons = [.. (r.GetValue(reasons) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))],
        Json = r.GetValue(run.Json),
        Stacks = r.GetValue(stacks),
        LiveFindings = r.GetValue(run.Findings),
        Count = r.GetValue(count),
        Interval = TimeSpan.FromSeconds(r.GetValue(interval)),
        Duration = run.BindDuration(r),
        Trace = run.BindTrace(r),
        RecordTo = r.GetValue(recording.Record),
        ReplayFrom = r.GetValue(recording.From),
    };
}
