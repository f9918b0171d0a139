using System.Text.Json.Serialization;
using TcpScope.Decode;

namespace TcpScope.Records;

/// <summary>
/// One row of `drops --count --json` ("type":"drop_count"): the drops of one (netns, reason,
/// location, socket state) counted in the kernel over a span — an interval ("span":"interval",
/// rows that gained only) or, at the end, the whole run ("span":"run", every row).
/// </summary>
public sealed record DropCountRecord : IOutputRecord
{
    public const string IntervalSpan = "interval";
    public const string RunSpan = "run";

    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "drop_count";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    /// <summary>The end of the span (CLOCK_MONOTONIC).</summary>
    [JsonPropertyName("ts_ns")]
    public long TsNs { get; init; }

    public WallTime Time { get; init; }

    public required string Span { get; init; }

    /// <summary>The span's length in seconds; the rate is over it.</summary>
    public double Seconds { get; init; }

    public uint Netns { get; init; }

    /// <summary>The skb_drop_reason name without prefix; null when this kernel gives none (or the number is unknown).</summary>
    public string? Reason { get; init; }

    public int ReasonCode { get; init; }

    public required string Location { get; init; }

    /// <summary>The receiving socket's state; null when no socket received the segments, or when the kernel does not say (<see cref="SocketUnknown"/>).</summary>
    public TcpState? State { get; init; }

    /// <summary>True when this kernel does not say which socket received the segments (kfree_skb before 6.11).</summary>
    public bool SocketUnknown { get; init; }

    /// <summary>Drops in the span.</summary>
    public ulong Count { get; init; }

    /// <summary>Drops since the start.</summary>
    public ulong Total { get; init; }

    [JsonPropertyName("rate_per_s")]
    public double RatePerS { get; init; }

    public static DropCountRecord From(DropCountRow r, string span, long nowNs, double seconds, WallClock clock, string location) => new()
    {
        TsNs = nowNs,
        Time = clock.At(nowNs),
        Span = span,
        Seconds = Math.Round(seconds, 3),
        Netns = r.NetNs,
        Reason = r.Reason,
        ReasonCode = r.ReasonNumber,
        Location = location,
        State = r.State,
        SocketUnknown = r.SocketUnknown,
        Count = r.Count,
        Total = r.Total,
        RatePerS = Math.Round(r.RatePerSecond, 1),
    };
}
