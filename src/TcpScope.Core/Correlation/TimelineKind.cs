namespace TcpScope.Correlation;

/// <summary>What one step of a connection's timeline is.</summary>
public enum TimelineKind
{
    State,
    Retransmit,
    ResetReceived,
    ResetSent,
    SocketError,
    Accept,
    ConnectReturn,
}
