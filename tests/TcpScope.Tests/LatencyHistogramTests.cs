using TcpScope.Correlation;

namespace TcpScope.Tests;

public class LatencyHistogramTests
{
    private static readonly double[] Ps = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

    /// <summary>Nearest rank, computed here from the raw samples: the smallest value with at least p% of the samples at or below it.</summary>
    private static long Exact(long[] samples, double p)
    {
        long[] sorted = [.. samples.Order()];
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }

    private static LatencyHistogram Of(IEnumerable<long> samples)
    {
        var h = new LatencyHistogram();
        foreach (long s in samples)
        {
            h.Add(s);
        }

        return h;
    }

    private static void AssertWithinError(long[] samples)
    {
        LatencyHistogram h = Of(samples);
        Assert.Equal((samples.Length, samples.Min(), samples.Max()), (h.Count, h.Min, h.Max));
        foreach (double p in Ps)
        {
            long exact = Exact(samples, p);
            long got = h.Percentile(p)!.Value;

            // the stated bound, 1/64 of the exact value (integer rounding of the bucket's middle aside)
            Assert.True(Math.Abs(got - exact) <= exact / 64.0, $"p{p}: {got} against exact {exact}");
        }
    }

    [Fact]
    public void Buckets_past_four_billion_samples_keep_exact_counts()
    {
        var h = new LatencyHistogram();
        h.Add(100, 3_000_000_000);
        h.Add(100, 3_000_000_000); // 6e9 in one bucket: more than 32 bits hold
        h.Add(5000, 1_000_000_000);

        Assert.Equal(7_000_000_000, h.Count);
        Assert.InRange(h.Percentile(50)!.Value, 98, 102); // rank 3.5e9 of 7e9 is a 100
        Assert.InRange(h.Percentile(85)!.Value, 98, 102); // rank 5.95e9 still is
        Assert.InRange(h.Percentile(90)!.Value, 4922, 5078); // rank 6.3e9 is a 5000
    }

    [Fact]
    public void Empty_has_no_percentile()
    {
        var h = new LatencyHistogram();
        Assert.Null(h.Percentile(50));
        Assert.Equal((0L, 0L, 0L), (h.Count, h.Min, h.Max));
    }

    [Fact]
    public void One_sample_is_every_percentile_exactly()
    {
        LatencyHistogram h = Of([1_234_567]);
        Assert.All(Ps, p => Assert.Equal(1_234_567, h.Percentile(p)));
    }

    [Fact]
    public void Values_below_a_microsecond_are_within_the_error_and_below_32_ns_exact()
    {
        long[] tiny = [0, 1, 2, 3, 7, 31, 31, 31];
        LatencyHistogram h = Of(tiny);
        Assert.All(Ps, p => Assert.Equal(Exact(tiny, p), h.Percentile(p)));
        AssertWithinError([.. Enumerable.Range(0, 1000).Select(i => (long)i)]);
        AssertWithinError([33, 500, 999, 999, 64, 65, 127, 128]);
    }

    [Fact]
    public void Huge_values_are_counted_within_the_error()
    {
        long[] huge = [long.MaxValue, long.MaxValue - 1, 1L << 62, (1L << 62) + 12345, 1_000_000_000_000_000_000, 3_600_000_000_000, 1];
        AssertWithinError(huge);
        Assert.Equal(long.MaxValue, Of(huge).Percentile(100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Spread_samples_are_within_the_stated_error_of_the_exact_nearest_rank(int seed)
    {
        var random = new Random(seed);

        // handshakes: tens of microseconds on a LAN, a tail of 1 s and 3 s SYN retransmits
        long[] samples = [.. Enumerable.Range(0, 20_000).Select(_ => random.Next(100) switch
        {
            < 2 => 3_000_000_000L + random.Next(5_000_000),
            < 5 => 1_000_000_000L + random.Next(50_000_000),
            _ => (long)Math.Exp(10 + (random.NextDouble() * 3)),
        })];
        AssertWithinError(samples);
    }

    [Fact]
    public void Equal_samples_give_their_value_exactly()
    {
        LatencyHistogram h = Of(Enumerable.Repeat(1_003_000_000L, 100));
        Assert.Equal(1_003_000_000, h.Percentile(50));
        Assert.Equal(1_003_000_000, h.Percentile(99));
    }

    [Fact]
    public void A_negative_sample_counts_as_zero()
    {
        LatencyHistogram h = Of([-5, 10]);
        Assert.Equal((0L, 0L), (h.Min, h.Percentile(50)));
    }

    [Fact]
    public void Adding_samples_in_seen_powers_of_two_allocates_nothing()
    {
        var h = new LatencyHistogram();
        h.Add(40_000);
        h.Add(60_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            h.Add(32_768 + (i % 32_768)); // 2^15 .. 2^16 - 1: one row
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(100_002, h.Count);
    }

    [Fact]
    public void A_percentile_names_the_middle_of_its_bucket()
    {
        // 1 s lies in [2^29 + 27 * 2^24, 2^29 + 28 * 2^24) = [989_855_744, 1_006_632_960); its middle is 998_244_352
        LatencyHistogram h = Of([10, 1_000_000_000, 1_000_000_000, 2_000_000_000]);
        Assert.Equal(998_244_352, h.Percentile(50));
        Assert.Equal(10, h.Percentile(25)); // rank 1: the minimum, exact
    }
}
