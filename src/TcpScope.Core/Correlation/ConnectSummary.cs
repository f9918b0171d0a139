namespace TcpScope.Correlation;

/// <summary>What `connect` says on exit: attempts per destination, failures by outcome, handshake latency.</summary>
public sealed class ConnectSummary
{
    /// <summary>Destinations listed one by one; attempts to further ones count in <see cref="All"/> and <see cref="Others"/>.</summary>
    public const int MaxDestinations = 4096;

    // a destination not seen for the expiry gives its place to a new one (its attempts stay in All)
    private readonly BoundedTable<(uint, string), DestinationStats> destinations;
    private readonly DestinationStats all = new(0, "*");

    public ConnectSummary()
        : this(new BoundedTable<(uint, string), DestinationStats>(MaxDestinations))
    {
    }

    /// <summary>A summary over a table of another size or expiry (tests).</summary>
    public ConnectSummary(int maxDestinations, TimeSpan expiry)
        : this(new BoundedTable<(uint, string), DestinationStats>(maxDestinations, TableExpiry.ToNs(expiry)))
    {
    }

    private ConnectSummary(BoundedTable<(uint, string), DestinationStats> table) => destinations = table;

    public IEnumerable<DestinationStats> Destinations =>
        destinations.Values.OrderByDescending(d => d.Attempts).ThenBy(d => d.Remote, StringComparer.Ordinal);

    /// <summary>Every attempt, whatever the destination.</summary>
    public DestinationStats All => all;

    /// <summary>Attempts not listed by destination: the table was full of destinations seen within the expiry.</summary>
    public long Others => destinations.Refused;

    /// <summary>Destinations no longer listed: not seen for the expiry when a new one needed the place.</summary>
    public long ExpiredDestinations => destinations.Expired;

    public TimeSpan Expiry => TimeSpan.FromMilliseconds(destinations.ExpiryNs / 1_000_000);

    public void Add(ConnectAttempt a)
    {
        all.Add(a);
        destinations.GetOrAdd((a.Connection.NetNs, a.Remote), a.EndNs, static k => new DestinationStats(k.Item1, k.Item2))?.Add(a);
    }
}
