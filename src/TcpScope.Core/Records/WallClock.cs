namespace TcpScope.Records;

/// <summary>
/// Turns event timestamps (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns) into wall-clock
/// time with one offset taken once per run, so that every line of a run agrees.
/// </summary>
public readonly record struct WallClock(long OffsetNs)
{
    public WallTime At(long monotonicNs) => new(monotonicNs + OffsetNs);

    public DateTime Utc(long monotonicNs) => At(monotonicNs).Utc;
}
