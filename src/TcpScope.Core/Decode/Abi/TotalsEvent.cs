using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_totals_event (bpf/tcpscope.h): a socket's tcp_sock counters as it closes.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct TotalsEvent
{
    public const int Size = 104;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly ulong BytesAcked;
    public readonly ulong BytesReceived;
    public readonly uint SegsOut;
    public readonly uint SegsIn;
    public readonly uint TotalRetrans;
    public readonly uint SrttUs;
    public readonly TotalsFlags Flags;
    public readonly uint Pad;
    public readonly ulong BytesSent;
    public readonly ulong BytesRetrans;
}
