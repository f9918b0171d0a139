using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Records;

namespace TcpScope.Tests;

/// <summary>The helpers every renderer shares: wall-clock time, durations, enum names.</summary>
public class RecordHelpersTests
{
    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000000Z")]
    [InlineData(1_763_902_213_123_456_789L, "2025-11-23T12:50:13.123456Z")]
    [InlineData(4_102_444_799_999_999_000L, "2099-12-31T23:59:59.999999Z")]
    public void Wall_time_is_iso_8601_utc_with_microseconds(long unixNs, string expected)
    {
        Assert.Equal(expected, new WallTime(unixNs).ToString());
    }

    [Fact]
    public void Wall_clock_adds_its_offset_to_monotonic_time()
    {
        var clock = new WallClock(1_763_900_000_000_000_000);
        Assert.Equal(new DateTime(2025, 11, 23, 12, 13, 22, DateTimeKind.Utc), clock.Utc(2_000_000_000));
    }

    [Fact]
    public void Durations_round_for_json_and_keep_their_decimals_in_text()
    {
        Assert.Equal(1.235, Durations.Ms(1_234_567));
        Assert.Equal(1.012346, Durations.Seconds(1_012_345_678, 6));
        Assert.Equal("3100.000", Durations.MsText(3_100_000_000));
        Assert.Equal("1.01", Durations.SecondsText(1_012_000_000, 2));
    }

    [Fact]
    public void Enum_names_are_lower_snake_case()
    {
        Assert.Equal("reset_after_bad_ack", SnakeCase.Of(ConnectOutcome.ResetAfterBadAck));
        Assert.Equal("not_supported", SnakeCase.Of(ProbeStatus.NotSupported));
        Assert.Equal("warning", SnakeCase.Of(Severity.Warning));
    }
}
