using System.Globalization;

namespace TcpScope.Diagnosis;

/// <summary>Number formats of finding text.</summary>
internal static class FindingNumbers
{
    public static string Seconds(long ns) => (ns / 1e9).ToString("0.0##", CultureInfo.InvariantCulture) + " s";

    public static string Ms(long ns) => (ns / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
