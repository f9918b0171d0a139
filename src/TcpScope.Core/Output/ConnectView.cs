using TcpScope.Correlation;

namespace TcpScope.Output;

/// <summary>`tcpscope connect`: one record per connect attempt as it ends, and the summary.</summary>
public sealed class ConnectView(IConnectionRenderer renderer, bool failedOnly, Func<Connection, AttemptStacks?>? stacks = null) : IConnectionObserver
{
    public ConnectSummary Summary { get; } = new();

    public void OnConnectEnded(ConnectAttempt a)
    {
        Summary.Add(a);
        if (!failedOnly || a.Failed)
        {
            renderer.WriteAttempt(a, stacks?.Invoke(a.Connection));
        }
    }
}
