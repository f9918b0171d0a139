namespace TcpScope.Diagnosis;

/// <summary>A rule of the catalogue: its id, whether it watches connections (not only events), and how it is made.</summary>
/// <param name="NeedsConnections">It learns from the connection table's milestones: the session must follow connections.</param>
public sealed record RuleEntry(string Id, bool NeedsConnections, Func<RuleOptions, IRule> Create);
