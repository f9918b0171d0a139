namespace TcpScope.Decode;

/// <summary>
/// Receives decoded events in order. Events are passed by reference and are only valid
/// during the call: a sink that keeps one copies it. A sink implements what it needs; the
/// other kinds are ignored.
/// </summary>
public interface IEventSink
{
    void OnStateChange(in StateChange e);

    void OnSocketEvent(in SocketEvent e)
    {
    }

    void OnTotals(in SocketTotals e)
    {
    }

    void OnIcmpError(in IcmpError e)
    {
    }

    void OnStack(StackSample e)
    {
    }

    /// <summary>
    /// Called after each batch, and at least every drain interval while live, with the
    /// current CLOCK_MONOTONIC time: the moment to flush output and check time-based rules.
    /// </summary>
    void OnIdle(long monotonicNowNs)
    {
    }
}
