using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// What a connection carried, read from its tcp_sock as it closed. The kernel's byte counts
/// include the sequence numbers a SYN and a FIN take; <see cref="PayloadSent"/> and
/// <see cref="PayloadReceived"/> are the application's bytes.
/// </summary>
public readonly record struct SocketTotals(
    long TimestampNs,
    uint NetNs,
    ulong Socket,
    ulong BytesAcked,
    ulong BytesReceived,
    uint SegmentsOut,
    uint SegmentsIn,
    uint Retransmits,
    uint SmoothedRttUs,
    TotalsFlags Flags,
    ulong BytesSent = 0,
    ulong BytesRetransmitted = 0)
{
    public ulong PayloadReceived => Less(BytesReceived, (Flags & TotalsFlags.FinReceived) != 0 ? 1u : 0u);

    /// <summary>Payload sent and acknowledged.</summary>
    /// <param name="activeOpen">
    /// The socket connected (its SYN's sequence number is in the acknowledged count), did not
    /// (a passive open), or null when the trace did not see how it opened (a socket older than
    /// the trace): then the payload is the acknowledged count without the FIN, but never more
    /// than the payload bytes transmitted once, which takes the SYN out unless data was still
    /// unacknowledged at the end.
    /// </param>
    public ulong PayloadSent(bool? activeOpen)
    {
        ulong acked = Less(BytesAcked, (Flags & TotalsFlags.FinAcked) != 0 ? 1u : 0u);
        return activeOpen switch
        {
            true => Less(acked, 1),
            false => acked,
            null => Math.Min(acked, BytesSent >= BytesRetransmitted ? BytesSent - BytesRetransmitted : 0),
        };
    }

    private static ulong Less(ulong v, uint n) => v > n ? v - n : 0;
}
