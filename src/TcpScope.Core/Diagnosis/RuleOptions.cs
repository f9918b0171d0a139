namespace TcpScope.Diagnosis;

/// <summary>The thresholds of the rules, bound once for every verb that runs them.</summary>
public sealed record RuleOptions
{
    /// <summary>Sockets in CLOSE_WAIT longer than this are a leak.</summary>
    public TimeSpan CloseWaitThreshold { get; init; } = CloseWaitRule.DefaultThreshold;

    /// <summary>A destination whose p99 handshake takes longer than this is slow.</summary>
    public TimeSpan SlowHandshake { get; init; } = SlowHandshakeRule.DefaultThreshold;
}
