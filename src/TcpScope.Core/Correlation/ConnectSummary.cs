namespace TcpScope.Correlation;

/// <summary>What `connect` says on exit: attempts per destination, failures by outcome, handshake latency.</summary>
public sealed class ConnectSummary
{
    private readonly Dictionary<(uint, string), DestinationStats> destinations = [];
    private readonly DestinationStats all = new(0, "*");

    public IEnumerable<DestinationStats> Destinations =>
        destinations.Values.OrderByDescending(d => d.Attempts).ThenBy(d => d.Remote, StringComparer.Ordinal);

    /// <summary>Every attempt, whatever the destination.</summary>
    public DestinationStats All => all;

    public void Add(ConnectAttempt a)
    {
        var key = (a.Connection.NetNs, a.Remote);
        if (!destinations.TryGetValue(key, out DestinationStats? d))
        {
            destinations[key] = d = new DestinationStats(a.Connection.NetNs, a.Remote);
        }

        d.Add(a);
        all.Add(a);
    }
}
