using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_state_event (bpf/tcpscope.h): one TCP state transition.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct StateEvent
{
    public const int Size = 120;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly ulong DeltaNs;
    public readonly AddressBytes SAddr;
    public readonly AddressBytes DAddr;
    public readonly ushort Family;
    public readonly ushort SPort;
    public readonly ushort DPort;
    public readonly byte OldState;
    public readonly byte NewState;
    public readonly uint OwnerPid;
    public readonly StateEventFlags Flags;
    public readonly Comm OwnerComm;
}
