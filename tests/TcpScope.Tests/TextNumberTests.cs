using System.Globalization;
using TcpScope.Output;
using TcpScope.Records;

namespace TcpScope.Tests;

/// <summary>
/// The integer formatters of the text lines against the .NET formatting they replaced: the
/// double custom formats ("0.000", "0.00") and DateTime's local "HH:mm:ss.fff".
/// </summary>
public class TextNumberTests
{
    public static TheoryData<long> Values() =>
    [
        0, 1, 499, 500, 501, 999, 1_000, 1_499, 1_500, 4_999_999, 5_000_000, 9_999_500, 9_999_499,
        1_234_500, 123_456_789, 999_999_500, 1_000_000_000, 86_400_000_000_000, 999_999_999_999_999,
        1_000_000_000_000_000, 3_000_000_000_000_000, long.MaxValue, -1, -1_500, -1_234_567,
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void Scaled_integers_read_as_the_double_custom_format(long ns)
    {
        Assert.Equal((ns / 1e6).ToString("0.000", CultureInfo.InvariantCulture), Scaled(ns, 6, 3));
        Assert.Equal((ns / 1e9).ToString("0.00", CultureInfo.InvariantCulture), Scaled(ns, 9, 2));
    }

    [Fact]
    public void Random_and_half_way_values_read_as_the_double_custom_format()
    {
        var random = new Random(7);
        for (int i = 0; i < 200_000; i++)
        {
            long ns = (i % 4) switch
            {
                0 => random.NextInt64(0, 1_000_000_000_000_000),
                1 => random.NextInt64(0, 10_000_000),
                2 => (random.NextInt64(0, 1_000_000_000_000) * 1_000) + 500, // exactly half way at 3 decimals
                _ => (random.NextInt64(0, 100_000_000) * 10_000_000) + 5_000_000, // half way at 2 decimals of seconds
            };
            Assert.Equal((ns / 1e6).ToString("0.000", CultureInfo.InvariantCulture), Scaled(ns, 6, 3));
            Assert.Equal((ns / 1e9).ToString("0.00", CultureInfo.InvariantCulture), Scaled(ns, 9, 2));
        }
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]      // DST at 02:00 local, March and November
    [InlineData("Australia/Lord_Howe")]   // half an hour of DST
    [InlineData("Asia/Kathmandu")]        // +05:45
    [InlineData("Europe/Berlin")]
    public void Local_time_of_day_reads_as_DateTime_formatting(string zoneId)
    {
        TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        long offset = (new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100;
        var text = new LocalTimeOfDay(offset, zone);
        var random = new Random(zoneId.Length);
        var buffer = new char[LocalTimeOfDay.Length];
        long t = 0;
        const long Year = 366L * 24 * 3600 * 1_000_000_000;
        for (int i = 0; i < 100_000; i++)
        {
            // mostly forward in small steps (as events come) with jumps, back and forth, across a year
            t = (i % 10) switch
            {
                0 => random.NextInt64(0, Year),
                1 => Math.Max(0, t - random.NextInt64(0, 120_000_000_000)),
                _ => t + random.NextInt64(0, 40_000_000_000),
            };
            DateTime expectedUtc = new WallClock(offset).Utc(t);
            string expected = TimeZoneInfo.ConvertTimeFromUtc(expectedUtc, zone).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            Assert.Equal(LocalTimeOfDay.Length, text.Format(buffer, t));
            Assert.Equal(expected, new string(buffer));
        }
    }

    [Fact]
    public void Local_time_of_day_follows_a_DST_change_within_a_run()
    {
        TimeZoneInfo zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 2026-03-08 06:59:59.999 UTC is 01:59:59.999 EST; a millisecond later it is 03:00:00.000 EDT
        long offset = (new DateTime(2026, 3, 8, 6, 59, 59, 999, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100;
        var text = new LocalTimeOfDay(offset, zone);
        var buffer = new char[LocalTimeOfDay.Length];
        text.Format(buffer, 0);
        Assert.Equal("01:59:59.999", new string(buffer));
        text.Format(buffer, 1_000_000);
        Assert.Equal("03:00:00.000", new string(buffer));
    }

    private static string Scaled(long value, int unitDigits, int decimals)
    {
        var buffer = new char[64];
        var line = new CharLine(buffer);
        line.AppendScaled(value, unitDigits, decimals);
        return new string(buffer, 0, line.Length);
    }
}
