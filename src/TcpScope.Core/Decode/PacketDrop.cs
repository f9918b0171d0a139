using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// A TCP segment the kernel threw away (<see cref="DropKind.Drop"/>), or a reset it sent
/// (<see cref="DropKind.Reset"/>): the segment as received (<see cref="SourceAddress"/> is its
/// sender), the socket that received it as it was at that moment, and that socket's owner.
/// </summary>
/// <param name="TaskPid">The task on the CPU: usually a bystander (softirq); <see cref="OwnerPid"/> is the socket's.</param>
/// <param name="ReasonNumber">The kernel's number (<c>skb_drop_reason</c> or <c>sk_rst_reason</c>); -1 when the kernel gives none.</param>
/// <param name="Reason">Its name without prefix ("NO_SOCKET") from the kernel's (or the recording's) BTF; null when unknown.</param>
/// <param name="Location">The kernel address that freed it (a drop); 0 for a reset.</param>
/// <param name="Socket">The receiving socket's kernel address (see <see cref="HasSocket"/>).</param>
/// <param name="State">The receiving socket's state (TIME_WAIT for a mini-socket, NEW_SYN_RECV for a request).</param>
/// <param name="TwSubstate">A TIME_WAIT mini-socket's substate: TIME_WAIT, or FIN_WAIT2 for an orphan.</param>
/// <param name="TwTsRecentStamp">When <see cref="TwTsRecent"/> was taken, in the kernel's seconds since boot.</param>
public readonly record struct PacketDrop(
    DropKind Kind,
    long TimestampNs,
    uint NetNs,
    uint TaskPid,
    Comm TaskComm,
    int ReasonNumber,
    string? Reason,
    ulong Location,
    DropEventFlags Flags,
    ulong Socket,
    TcpState State,
    AddressFamilyKind Family,
    AddressBytes SourceAddress,
    ushort SourcePort,
    AddressBytes DestinationAddress,
    ushort DestinationPort,
    byte TcpFlags,
    uint Seq,
    uint Ack,
    uint TsVal,
    uint TsEcr,
    uint Payload,
    uint OwnerPid,
    Comm OwnerComm,
    uint AckBacklog,
    uint MaxAckBacklog,
    uint SynQueueLength,
    TcpState TwSubstate,
    uint TwRcvNxt,
    uint TwSndNxt,
    uint TwTsRecent,
    int TwTsRecentStamp)
{
    public bool HasSocket => (Flags & DropEventFlags.Socket) != 0;

    /// <summary>The segment's headers were read (false for a reset a socket sent on its own, as it aborted).</summary>
    public bool HasPacket => (Flags & DropEventFlags.Packet) != 0;

    public bool HasTimestamp => (Flags & DropEventFlags.Timestamp) != 0;

    public bool OwnerKnown => (Flags & DropEventFlags.OwnerKnown) != 0;

    public bool HasListenerQueues => (Flags & DropEventFlags.Listener) != 0;

    public bool HasTimeWait => (Flags & DropEventFlags.TimeWait) != 0;

    /// <summary>The local port of the segment as received: its destination.</summary>
    public ushort LocalPort => DestinationPort;

    public string SourceText => AddressText.ToString(Family, SourceAddress);

    public string DestinationText => AddressText.ToString(Family, DestinationAddress);
}
