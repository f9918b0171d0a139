namespace TcpScope.Output;

/// <summary>Columns of the states table.</summary>
public sealed record StatesTextOptions
{
    /// <summary>Prefix each line with the time of day (tcpstates -T).</summary>
    public bool TimeOfDay { get; init; }

    /// <summary>Room for full IPv6 addresses (tcpstates -w).</summary>
    public bool Wide { get; init; }

    /// <summary>Added to event timestamps (CLOCK_MONOTONIC) to get Unix time.</summary>
    public long WallOffsetNs { get; init; }

    /// <summary>Wall time shown in this zone (local by default).</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;
}
