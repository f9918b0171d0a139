using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>
/// Event timestamps as local "HH:mm:ss.fff", what DateTime.ToLocalTime().ToString("HH:mm:ss.fff")
/// writes, digit by digit: the text lines of `life` and `connect` carry one per line, and the
/// DateTime path (zone lookup, custom format parsing) was a tenth of `life`'s CPU on a connection storm.
/// </summary>
/// <remarks>
/// The zone's offset is looked up once per UTC minute: zones change their offset only at whole
/// minutes, so an offset taken at the start of a minute holds for all of it.
/// </remarks>
public sealed class LocalTimeOfDay(long wallOffsetNs, TimeZoneInfo zone)
{
    /// <summary>Length of the text: "HH:mm:ss.fff".</summary>
    public const int Length = 12;

    private readonly WallClock clock = new(wallOffsetNs);
    private long minute = long.MinValue;
    private long offsetTicks;

    public LocalTimeOfDay(long wallOffsetNs)
        : this(wallOffsetNs, TimeZoneInfo.Local)
    {
    }

    /// <summary>Writes the 12 characters into <paramref name="dest"/>; returns how many.</summary>
    public int Format(Span<char> dest, long monotonicNs)
    {
        long utcTicks = clock.Utc(monotonicNs).Ticks;
        long m = utcTicks / TimeSpan.TicksPerMinute;
        if (m != minute)
        {
            var start = new DateTime(m * TimeSpan.TicksPerMinute, DateTimeKind.Utc);
            offsetTicks = TimeZoneInfo.ConvertTimeFromUtc(start, zone).Ticks - start.Ticks;
            minute = m;
        }

        long ofDay = (utcTicks + offsetTicks) % TimeSpan.TicksPerDay;
        dest = dest[..Length];
        Two(dest, (int)(ofDay / TimeSpan.TicksPerHour));
        dest[2] = ':';
        Two(dest[3..], (int)(ofDay / TimeSpan.TicksPerMinute % 60));
        dest[5] = ':';
        Two(dest[6..], (int)(ofDay / TimeSpan.TicksPerSecond % 60));
        dest[8] = '.';
        int ms = (int)(ofDay % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond);
        dest[9] = (char)('0' + (ms / 100));
        Two(dest[10..], ms % 100);
        return Length;
    }

    private static void Two(Span<char> dest, int value)
    {
        dest[0] = (char)('0' + (value / 10));
        dest[1] = (char)('0' + (value % 10));
    }
}
