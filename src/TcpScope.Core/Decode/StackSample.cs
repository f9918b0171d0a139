using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>A stack taken in the kernel (instruction pointers, innermost first); valid only during the call.</summary>
public readonly ref struct StackSample(long timestampNs, uint netNs, ulong socket, uint taskPid, StackWhere where, ReadOnlySpan<ulong> frames)
{
    public long TimestampNs { get; } = timestampNs;

    public uint NetNs { get; } = netNs;

    public ulong Socket { get; } = socket;

    /// <summary>The process on the CPU when it was taken (whose address space a user stack belongs to).</summary>
    public uint TaskPid { get; } = taskPid;

    public StackWhere Where { get; } = where;

    public ReadOnlySpan<ulong> Frames { get; } = frames;
}
