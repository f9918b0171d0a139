using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// A decoded TCP state transition. <see cref="OwnerPid"/> is the process the socket belongs
/// to when known (see <see cref="StateEventFlags"/>), <see cref="TaskPid"/> whatever ran on the CPU.
/// </summary>
public readonly record struct StateChange(
    long TimestampNs,
    uint NetNs,
    ulong Socket,
    uint TaskPid,
    Comm TaskComm,
    uint OwnerPid,
    Comm OwnerComm,
    StateEventFlags Flags,
    AddressFamilyKind Family,
    AddressBytes LocalAddress,
    ushort LocalPort,
    AddressBytes RemoteAddress,
    ushort RemotePort,
    TcpState OldState,
    TcpState NewState,
    long DeltaNs)
{
    public bool OwnerKnown => (Flags & StateEventFlags.OwnerKnown) != 0;

    public bool DeltaKnown => (Flags & StateEventFlags.DeltaKnown) != 0;

    /// <summary>The process to show for this event: the owner if known, else the task on CPU.</summary>
    public uint Pid => OwnerKnown ? OwnerPid : TaskPid;

    public Comm ProcessComm => OwnerKnown ? OwnerComm : TaskComm;
}
