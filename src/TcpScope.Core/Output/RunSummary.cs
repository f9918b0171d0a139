using TcpScope.Decode;
using TcpScope.Sources;

namespace TcpScope.Output;

/// <summary>The last words of a run: what was seen, what was lost or not followed, how it was traced.</summary>
public sealed record RunSummary(SourceStats Stats, string Source, TimeSpan Duration, IReadOnlyList<Shortfall> Shortfalls)
{
    public RunSummary(SourceStats stats, string source, TimeSpan duration)
        : this(stats, source, duration, [.. stats.Shortfalls])
    {
    }
}
