namespace TcpScope.Correlation;

/// <summary>What `connect` says on exit: attempts per destination, failures by outcome, handshake latency.</summary>
public sealed class ConnectSummary
{
    /// <summary>Destinations listed one by one; attempts to further ones count in <see cref="All"/> and <see cref="Others"/>.</summary>
    public const int MaxDestinations = 4096;

    private readonly Dictionary<(uint, string), DestinationStats> destinations = [];
    private readonly DestinationStats all = new(0, "*");

    public IEnumerable<DestinationStats> Destinations =>
        destinations.Values.OrderByDescending(d => d.Attempts).ThenBy(d => d.Remote, StringComparer.Ordinal);

    /// <summary>Every attempt, whatever the destination.</summary>
    public DestinationStats All => all;

    /// <summary>Attempts to destinations beyond <see cref="MaxDestinations"/>.</summary>
    public int Others { get; private set; }

    public void Add(ConnectAttempt a)
    {
        var key = (a.Connection.NetNs, a.Remote);
        all.Add(a);
        if (!destinations.TryGetValue(key, out DestinationStats? d))
        {
            if (destinations.Count >= MaxDestinations)
            {
                Others++;
                return;
            }

            destinations[key] = d = new DestinationStats(a.Connection.NetNs, a.Remote);
        }

        d.Add(a);
    }
}
