using System.Globalization;

namespace TcpScope.Records;

/// <summary>
/// How durations are written: in JSON as numbers of milliseconds or seconds rounded to a fixed
/// number of decimals, in text with that many decimals always shown.
/// </summary>
public static class Durations
{
    /// <summary>Milliseconds with microsecond resolution, for JSON ("duration_ms": 3100.012).</summary>
    public static double Ms(long ns) => Math.Round(ns / 1e6, 3);

    /// <summary>Seconds rounded to <paramref name="decimals"/>, for JSON ("seconds": 3.012).</summary>
    public static double Seconds(long ns, int decimals = 3) => Math.Round(ns / 1e9, decimals);

    public static double Seconds(TimeSpan t, int decimals = 3) => Math.Round(t.TotalSeconds, decimals);

    /// <summary>"3100.012": milliseconds with three decimals, for text columns.</summary>
    public static string MsText(long ns) => (ns / 1e6).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>"1.01": seconds with <paramref name="decimals"/> decimals, for text.</summary>
    public static string SecondsText(long ns, int decimals = 3) =>
        (ns / 1e9).ToString(decimals switch { 1 => "0.0", 2 => "0.00", _ => "0.000" }, CultureInfo.InvariantCulture);
}
