using TcpScope.Correlation;

namespace TcpScope.Output;

/// <summary>`tcpscope connect`: one record per connect attempt as it ends, and the summary.</summary>
public sealed class ConnectView(IConnectionRenderer renderer, bool failedOnly, Func<Connection, AttemptStacks?>? stacks = null) : IConnectionObserver, Decode.IShortfalls
{
    public ConnectSummary Summary { get; } = new();

    public IEnumerable<Decode.Shortfall> Shortfalls =>
    [
        new("attempts_not_listed", Summary.Others, $"connect attempts to destinations beyond the first {ConnectSummary.MaxDestinations}: in the totals, not listed one by one"),
    ];

    public void OnConnectEnded(ConnectAttempt a)
    {
        Summary.Add(a);
        if (!failedOnly || a.Failed)
        {
            renderer.WriteAttempt(a, stacks?.Invoke(a.Connection));
        }
    }
}
