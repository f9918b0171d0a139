using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_sock_event (bpf/tcpscope.h): something that happened to a socket other than a state change.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct SockEvent
{
    public const int Size = 96;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly AddressBytes SAddr;
    public readonly AddressBytes DAddr;
    public readonly ushort Family;
    public readonly ushort SPort;
    public readonly ushort DPort;
    public readonly byte State;
    public readonly SockEventFlags Flags;
    public readonly int Value;
    public readonly uint Aux;
}
