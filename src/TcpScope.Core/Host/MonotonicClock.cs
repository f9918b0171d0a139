using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(), and its offset to wall time.</summary>
public static unsafe class MonotonicClock
{
    public static long NowNs() => Read(LibC.CLOCK_MONOTONIC);

    /// <summary>Nanoseconds to add to a monotonic timestamp to get Unix time, taken now.</summary>
    public static long WallOffsetNs() => Read(LibC.CLOCK_REALTIME) - Read(LibC.CLOCK_MONOTONIC);

    private static long Read(int clock)
    {
        LibC.timespec ts;
        LibC.clock_gettime(clock, &ts);
        return (ts.tv_sec * 1_000_000_000) + ts.tv_nsec;
    }
}
