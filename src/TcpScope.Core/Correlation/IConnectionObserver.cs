namespace TcpScope.Correlation;

/// <summary>
/// Views and rules over <see cref="ConnectionTable"/>: told when a connection reaches a
/// milestone. The connection is complete up to that point; observers must not keep it past
/// the call unless they copy what they need (an open connection without events for a batch is
/// kept in a compact form, and its next event makes a new object of it). No default bodies: each observer
/// says what it does with every milestone, as <see cref="Decode.IEventSink"/>'s sinks do.
/// </summary>
public interface IConnectionObserver
{
    /// <summary>A connect attempt left SYN_SENT: established, or failed (then <see cref="OnClosed"/> follows).</summary>
    void OnConnectEnded(ConnectAttempt a);

    /// <summary>The trace ended while this attempt was still in SYN_SENT (<see cref="ConnectOutcome.InProgress"/>); called once, at the end.</summary>
    void OnConnectInProgress(ConnectAttempt a);

    /// <summary>accept() returned the connection to its process.</summary>
    void OnAccepted(Connection c);

    /// <summary>The socket closed (-> CLOSE); it leaves the table.</summary>
    void OnClosed(Connection c);
}
