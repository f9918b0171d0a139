namespace TcpScope.Correlation;

/// <summary>Nearest-rank percentiles (the value at or below which p% of the samples lie).</summary>
public static class Percentiles
{
    /// <param name="sorted">Samples in ascending order.</param>
    public static long? Of(IReadOnlyList<long> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        int rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
