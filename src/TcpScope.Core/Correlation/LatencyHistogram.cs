namespace TcpScope.Correlation;

/// <summary>
/// Latencies in nanoseconds counted in log-linear buckets (HdrHistogram's layout): values below
/// 2^<see cref="SubBucketBits"/> ns exactly, then each power of two [2^e, 2^(e+1)) split into
/// 2^<see cref="SubBucketBits"/> equal buckets. Memory does not grow with the number of samples:
/// a row of 32-bit buckets is allocated the first time a value falls into its power of two (at most
/// <see cref="Rows"/> rows, typically three or four), never per sample.
/// </summary>
/// <remarks>
/// Stated error: <see cref="Percentile"/> returns the middle of the bucket that holds the
/// nearest-rank sample, clamped to [<see cref="Min"/>, <see cref="Max"/>]; it differs from the
/// exact nearest-rank value x (see <see cref="Percentiles"/>) by at most x / 64 (1/2^(bits+1),
/// about 1.6 %), and is exact below 32 ns, for the first and last rank (the minimum, the maximum) and when all samples are equal.
/// Count, Min and Max are exact. Negative samples (a clock step) count as 0.
/// </remarks>
public sealed class LatencyHistogram
{
    public const int SubBucketBits = 5;

    /// <summary>Row 0 holds 0 .. 2^bits - 1; row r >= 1 holds [2^(r+bits-1), 2^(r+bits)).</summary>
    public const int Rows = 64 - SubBucketBits;

    /// <summary>The largest relative difference between <see cref="Percentile"/> and the exact value.</summary>
    public const double RelativeError = 1.0 / (1 << (SubBucketBits + 1));

    private const int SubBuckets = 1 << SubBucketBits;

    // 32-bit counts (a row is 152 bytes, not 280): the rare bucket that passes 2^32 samples
    // carries into a dictionary made for it, so counts stay exact
    private uint[]?[] rows = [];
    private Dictionary<int, long>? carries;

    public long Count { get; private set; }

    /// <summary>The smallest sample (0 when empty).</summary>
    public long Min { get; private set; }

    /// <summary>The largest sample (0 when empty).</summary>
    public long Max { get; private set; }

    public void Add(long ns) => Add(ns, 1);

    /// <summary>Counts <paramref name="times"/> samples of <paramref name="ns"/>.</summary>
    internal void Add(long ns, long times)
    {
        ns = Math.Max(ns, 0);
        int row = RowOf(ns);
        if (row >= rows.Length)
        {
            Array.Resize(ref rows, row + 1);
        }

        uint[] buckets = rows[row] ??= new uint[SubBuckets];
        int sub = SubOf(ns, row);
        long total = buckets[sub] + times;
        buckets[sub] = (uint)total;
        if (total > uint.MaxValue)
        {
            int at = (row * SubBuckets) + sub;
            carries ??= [];
            carries[at] = carries.GetValueOrDefault(at) + (total - (uint)total);
        }

        Min = Count == 0 ? ns : Math.Min(Min, ns);
        Max = Count == 0 ? ns : Math.Max(Max, ns);
        Count += times;
    }

    /// <summary>The nearest-rank p-th percentile (p in 0..100) within <see cref="RelativeError"/>; null when empty.</summary>
    public long? Percentile(double p)
    {
        if (Count == 0)
        {
            return null;
        }

        long rank = Math.Clamp((long)Math.Ceiling(p / 100 * Count), 1, Count);
        if (rank == 1 || rank == Count)
        {
            return rank == 1 ? Min : Max; // the extremes are known exactly
        }

        long seen = 0;
        for (int row = 0; row < rows.Length; row++)
        {
            if (rows[row] is not uint[] buckets)
            {
                continue;
            }

            for (int sub = 0; sub < SubBuckets; sub++)
            {
                seen += buckets[sub] + (carries is null ? 0 : carries.GetValueOrDefault((row * SubBuckets) + sub));
                if (seen >= rank)
                {
                    return Math.Clamp(Middle(row, sub), Min, Max);
                }
            }
        }

        return Max; // not reached: the buckets hold Count samples
    }

    private static int RowOf(long ns) => ns < SubBuckets ? 0 : 63 - (int)long.LeadingZeroCount(ns) - SubBucketBits + 1;

    private static int SubOf(long ns, int row) => row == 0 ? (int)ns : (int)(ns >> (row - 1)) - SubBuckets;

    private static long Middle(int row, int sub)
    {
        if (row == 0)
        {
            return sub;
        }

        long width = 1L << (row - 1);
        return ((SubBuckets + (long)sub) << (row - 1)) + width / 2;
    }
}
