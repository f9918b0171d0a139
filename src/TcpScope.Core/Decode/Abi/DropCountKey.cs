using System.Runtime.InteropServices;

namespace TcpScope.Decode.Abi;

/// <summary>struct ts_drop_count_key (bpf/tcpscope.h): what drops --count counts by in the kernel.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct DropCountKey
{
    public const int Size = 24;

    /// <summary>TS_DROP_COUNT_KEYS: the most keys the kernel map holds.</summary>
    public const int MaxKeys = 4096;

    public readonly uint NetNs;
    public readonly int Reason;
    public readonly ulong Location;

    /// <summary>TS_DROP_COUNT_STATE_UNKNOWN: no socket owned the segment and the kernel does not say which received it (before 6.11).</summary>
    public const byte StateUnknown = 0xff;

    /// <summary>The receiving socket's skc_state; 0 when no socket received the segment; <see cref="StateUnknown"/>.</summary>
    public readonly byte State;
    public readonly byte Pad0;
    public readonly ushort Pad1;
    public readonly uint Pad2;

    public DropCountKey(uint netNs, int reason, ulong location, byte state)
    {
        NetNs = netNs;
        Reason = reason;
        Location = location;
        State = state;
    }
}
