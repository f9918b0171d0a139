using System.Globalization;

namespace TcpScope.Diagnosis;

/// <summary>Number formats of finding text.</summary>
internal static class FindingNumbers
{
    public static string Seconds(long ns) => (ns / 1e9).ToString("0.0##", CultureInfo.InvariantCulture) + " s";

    /// <summary>Milliseconds with three decimals below 1 ms (a LAN's round trip is tens of microseconds), one above.</summary>
    public static string Ms(long ns) => (ns / 1e6).ToString(ns < 1_000_000 ? "0.000" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
