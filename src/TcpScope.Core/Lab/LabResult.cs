namespace TcpScope.Lab;

/// <summary>
/// The lab's own account of a scenario run, independent of any tracer: the ground truth that
/// diagnosis is checked against.
/// </summary>
public sealed record LabResult(
    string Scenario,
    string Variant,
    IReadOnlyList<string> Story,
    IReadOnlyList<ClientOutcome> Clients,
    IReadOnlyList<NamespaceReport> Namespaces,
    TimeSpan Duration,
    IReadOnlyDictionary<string, string> Facts)
{
    public NamespaceReport Namespace(string role) => Namespaces.Single(n => n.Role == role);

    public int Count(OutcomeKind kind) => Clients.Count(c => c.Outcome == kind);
}
