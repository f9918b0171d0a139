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
    TotalsFlags Flags)
{
    public ulong PayloadReceived => Less(BytesReceived, (Flags & TotalsFlags.FinReceived) != 0 ? 1u : 0u);

    /// <summary>Payload sent and acknowledged.</summary>
    /// <param name="activeOpen">The socket connected (its SYN's sequence number is in the count).</param>
    public ulong PayloadSent(bool activeOpen) =>
        Less(BytesAcked, (activeOpen ? 1u : 0u) + ((Flags & TotalsFlags.FinAcked) != 0 ? 1u : 0u));

    private static ulong Less(ulong v, uint n) => v > n ? v - n : 0;
}
