using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_stack_event (bpf/tcpscope.h): instruction pointers, innermost first.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct StackEvent
{
    public const int Size = 312;
    public const int Depth = 32;

    public readonly EventHeader Header;
    public readonly ulong SkAddr;
    public readonly StackWhere Where;
    public readonly uint Frames;
    public readonly StackFrames Ips;
}

/// <summary>__u64 ips[TS_STACK_DEPTH].</summary>
[InlineArray(StackEvent.Depth)]
public struct StackFrames
{
    private ulong first;
}
