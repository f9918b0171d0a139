using TcpScope.Correlation;

namespace TcpScope.Output;

/// <summary>
/// `tcpscope life`: C when an active open completes, A when accept() hands a connection to
/// its process, X when a socket closes (failed attempts included, their path says so).
/// </summary>
public sealed class LifeView(IConnectionRenderer renderer) : IConnectionObserver
{
    public void OnConnectEnded(ConnectAttempt a)
    {
        if (a.Connection.EstablishedNs is long at)
        {
            renderer.WriteLife(LifeEventKind.Connect, at, a.Connection);
        }
    }

    public void OnAccepted(Connection c) => renderer.WriteLife(LifeEventKind.Accept, c.AcceptedNs ?? c.FirstSeenNs, c);

    public void OnClosed(Connection c) => renderer.WriteLife(LifeEventKind.Close, c.EndedNs ?? c.LastSeenNs, c);

    // life shows a connect once it completes; one still pending is connect's to show
    public void OnConnectInProgress(ConnectAttempt a)
    {
    }
}
