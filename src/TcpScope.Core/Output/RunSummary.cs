using TcpScope.Sources;

namespace TcpScope.Output;

/// <summary>The last words of a run: what was seen, what was lost, how it was traced.</summary>
public sealed record RunSummary(SourceStats Stats, string Source, TimeSpan Duration);
