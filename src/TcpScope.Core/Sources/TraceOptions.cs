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

    /// <summary>Enough for a busy server (65 536 connections with both ends on this host); about 13 MiB of kernel memory.</summary>
    public const uint DefaultMaxSockets = 131_072;

    /// <summary>
    /// Sockets followed at once: the size of the kernel's sockets map (preallocated) and of the
    /// connection table. Beyond it new sockets are counted, not followed.
    /// </summary>
    public uint MaxSockets { get; init; } = DefaultMaxSockets;

    /// <summary>Sees every raw record and drain end before decoding (a recording is written from it); none by default.</summary>
    public Recording.IRingTap? Tap { get; init; }

    /// <summary>Failed connects kept until their socket is closed: a fraction of the sockets.</summary>
    public uint MaxFailedAttempts => Math.Max(4096, MaxSockets / 8);
}
