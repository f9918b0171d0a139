using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// Tells which findings are news since the last look: a finding is new the first time its
/// key is seen, and again when its evidence grows (another socket, another drop).
/// </summary>
/// <remarks>
/// Remembers at most <see cref="DefaultCapacity"/> findings; one not seen for the expiry (its
/// rule dropped it) gives its place to a new one and is news again if it comes back. A finding
/// that finds no place is not shown live, only counted (the run's end lists every finding).
/// </remarks>
public sealed class FindingTracker(int capacity, TimeSpan expiry) : IShortfalls
{
    public const int DefaultCapacity = 65536;

    private readonly BoundedTable<string, Shown> shown = new(capacity, TableExpiry.ToNs(expiry));

    public FindingTracker()
        : this(DefaultCapacity, TableExpiry.Default)
    {
    }

    public IEnumerable<Shortfall> Shortfalls =>
    [
        new("findings_not_shown_live", shown.Refused, $"times a live finding was not shown: {capacity} others were being followed (all are listed at the end)"),
    ];

    /// <param name="monotonicNowNs">The time of the evaluation: findings seen then are kept.</param>
    public IReadOnlyList<Finding> News(IEnumerable<Finding> findings, long monotonicNowNs)
    {
        var news = new List<Finding>();
        foreach (Finding f in findings)
        {
            Shown? s = shown.GetOrAdd(f.Key, monotonicNowNs, static _ => new Shown());
            if (s is not null && f.Evidence.Count > s.Evidence)
            {
                s.Evidence = f.Evidence.Count;
                news.Add(f);
            }
        }

        return news;
    }

    private sealed class Shown
    {
        // never shown yet: a finding without evidence lines is news too
        public int Evidence { get; set; } = -1;
    }
}
