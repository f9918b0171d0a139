using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>
/// struct ts_drop_event (bpf/tcpscope.h): a TCP segment the kernel freed without delivering it,
/// or a reset it sent, with the segment's headers and what the receiving socket told.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct DropEvent
{
    public const int Size = 176;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly ulong Location;
    public readonly AddressBytes SAddr;
    public readonly AddressBytes DAddr;
    public readonly ushort Family;
    public readonly ushort SPort;
    public readonly ushort DPort;
    public readonly byte TcpFlags;
    public readonly byte State;
    public readonly int Reason;
    public readonly DropEventFlags Flags;
    public readonly uint Seq;
    public readonly uint Ack;
    public readonly uint TsVal;
    public readonly uint TsEcr;
    public readonly uint Payload;
    public readonly uint OwnerPid;
    public readonly Comm OwnerComm;
    public readonly uint AckBacklog;
    public readonly uint MaxAckBacklog;
    public readonly uint SynQueueLength;
    public readonly byte TwSubstate;
    public readonly byte Pad0;
    public readonly byte Pad1;
    public readonly byte Pad2;
    public readonly uint TwRcvNxt;
    public readonly uint TwSndNxt;
    public readonly uint TwTsRecent;
    public readonly int TwTsRecentStamp;
}
