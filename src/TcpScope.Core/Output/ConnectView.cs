using TcpScope.Correlation;

namespace TcpScope.Output;

/// <summary>`tcpscope connect`: one record per connect attempt as it ends, and the summary.</summary>
public sealed class ConnectView(IConnectionRenderer renderer, bool failedOnly, Func<Connection, AttemptStacks?>? stacks = null) : IConnectionObserver, Decode.IShortfalls
{
    public ConnectSummary Summary { get; } = new();

    public IEnumerable<Decode.Shortfall> Shortfalls =>
    [
        new("attempts_not_listed", Summary.Others, $"connect attempts to destinations beyond the first {ConnectSummary.MaxDestinations}: in the totals, not listed one by one"),
        new("destinations_expired", Summary.ExpiredDestinations, $"destinations left out of the connect summary after {Summary.Expiry.TotalMinutes:0} min without attempts, to make room for new ones: their attempts are in the totals"),
    ];

    public void OnConnectEnded(ConnectAttempt a)
    {
        Summary.Add(a);
        if (!failedOnly || a.Failed)
        {
            renderer.WriteAttempt(a, stacks?.Invoke(a.Connection));
        }
    }

    public void OnConnectInProgress(ConnectAttempt a) => OnConnectEnded(a);

    // one record per attempt: what follows it is life's to show
    public void OnAccepted(Connection c)
    {
    }

    public void OnClosed(Connection c)
    {
    }
}
