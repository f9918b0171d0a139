namespace TcpScope.Decode;

/// <summary>
/// Receives decoded events in order. Events are passed by reference and are only valid
/// during the call: a sink that keeps one copies it.
/// </summary>
/// <remarks>
/// No method has a default body: a sink in between that forwarded only some kinds would drop
/// the others silently, so each sink says what it does with every kind, if only that it has
/// no use for it. <see cref="EventFanOut"/> forwards every kind to several sinks.
/// </remarks>
public interface IEventSink
{
    void OnStateChange(in StateChange e);

    void OnSocketEvent(in SocketEvent e);

    void OnTotals(in SocketTotals e);

    void OnIcmpError(in IcmpError e);

    void OnStack(StackSample e);

    /// <summary>A TCP segment the kernel threw away, or a reset it sent (the drops family).</summary>
    void OnDrop(in PacketDrop e);

    /// <summary>
    /// Called after each batch, and at least every drain interval while live, with the
    /// source's CLOCK_MONOTONIC time (a recording's own when replayed): the moment to flush
    /// output and check time-based rules.
    /// </summary>
    void OnIdle(long monotonicNowNs);
}
