namespace TcpScope.Sources;

/// <summary>How a BPF source moves events to user space.</summary>
public sealed record TraceOptions
{
    /// <summary>Ring buffer size in bytes (a power of two, at least a page).</summary>
    public uint RingBytes { get; init; } = 8 << 20;

    /// <summary>
    /// The reader drains the ring this often; producers do not wake it (a wake-up costs more
    /// than many events). This bounds how late a live line can be.
    /// </summary>
    public int DrainIntervalMs { get; init; } = 10;
}
