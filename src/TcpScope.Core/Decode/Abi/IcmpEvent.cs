using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_icmp_event (bpf/tcpscope.h): an ICMP error queued on a socket, with who sent it.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct IcmpEvent
{
    public const int Size = 80;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly AddressBytes Offender;
    public readonly ushort Family;
    public readonly byte Type;
    public readonly byte Code;
    public readonly byte State;
    public readonly byte Pad0;
    public readonly byte Pad1;
    public readonly byte Pad2;
    public readonly int Error;
    public readonly uint Info;
}
