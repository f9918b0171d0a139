namespace TcpScope.Correlation;

/// <summary>How long the summaries' and rules' tables keep an entry nobody touched, when its place is needed.</summary>
public static class TableExpiry
{
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(10);

    public static long DefaultNs => ToNs(Default);

    public static long ToNs(TimeSpan t) => (long)t.TotalMilliseconds * 1_000_000;
}
