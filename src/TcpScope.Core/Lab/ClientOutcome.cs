namespace TcpScope.Lab;

/// <summary>One client of a scenario: how its attempt ended, after how long, from which local port.</summary>
public sealed record ClientOutcome(int Client, OutcomeKind Outcome, TimeSpan Elapsed, int LocalPort, string? Error = null)
{
    /// <summary>The kernel's name of the thread that called connect() (what tracers see as its comm).</summary>
    public string Comm { get; init; } = "";

    public override string ToString() =>
        $"client {Client} (port {LocalPort}): {LabText.Outcome(Outcome)} after {LabText.Duration(Elapsed)}{(Error is null ? "" : $" ({Error})")}";
}
