using System.CommandLine;
using TcpScope.Diagnosis;

namespace TcpScope.Cli;

/// <summary>The rules' thresholds: one set of options, the same on every verb that runs rules.</summary>
public sealed class RuleThresholdOptions
{
    public Option<double> CloseWait { get; } = new("--close-wait-threshold")
    {
        Description = "Report sockets left in CLOSE_WAIT longer than this many seconds",
        HelpName = "seconds",
        DefaultValueFactory = _ => CloseWaitRule.DefaultThreshold.TotalSeconds,
        CustomParser = r => TraceRunOptions.Seconds(r, "--close-wait-threshold"),
    };

    public Option<double> SlowHandshake { get; } = new("--slow-handshake")
    {
        Description = "Report destinations whose p99 handshake takes longer than this many milliseconds",
        HelpName = "ms",
        DefaultValueFactory = _ => SlowHandshakeRule.DefaultThreshold.TotalMilliseconds,
        CustomParser = r => TraceRunOptions.Positive(r, "--slow-handshake", "milliseconds", 3_600_000),
    };

    /// <summary>Adds the thresholds of the rules the verb runs (an option for a rule it does not run would do nothing).</summary>
    public void AddTo(Command c, IReadOnlyCollection<string> ruleIds)
    {
        if (ruleIds.Contains(CloseWaitRule.RuleId))
        {
            c.Options.Add(CloseWait);
        }

        if (ruleIds.Contains(SlowHandshakeRule.RuleId))
        {
            c.Options.Add(SlowHandshake);
        }
    }

    public RuleOptions Bind(ParseResult r) => new()
    {
        CloseWaitThreshold = TimeSpan.FromSeconds(r.GetValue(CloseWait)),
        SlowHandshake = TimeSpan.FromMilliseconds(r.GetValue(SlowHandshake)),
    };
}
