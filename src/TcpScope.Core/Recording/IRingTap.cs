namespace TcpScope.Recording;

/// <summary>
/// Sees the ring as it is drained: every raw record, and the end of each drain with the
/// CLOCK_MONOTONIC "now" the session was given then. A recording is written from a tap and
/// replayed into one.
/// </summary>
public interface IRingTap
{
    /// <summary>A raw ring record, valid only during the call.</summary>
    void OnRecord(ReadOnlySpan<byte> record);

    /// <summary>The ring was drained; the session's idle moment comes next, with this time.</summary>
    void OnBatchEnd(long monotonicNowNs);
}
