using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_event_header (bpf/tcpscope.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct EventHeader
{
    public const int Size = 40;

    public readonly ushort Kind;
    public readonly ushort RecordSize;
    public readonly uint NetNs;
    public readonly ulong TimestampNs;
    public readonly uint Pid;
    public readonly uint Tid;
    public readonly Comm Comm;
}
