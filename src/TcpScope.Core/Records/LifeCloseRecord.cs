using System.Text.Json.Serialization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Output;

namespace TcpScope.Records;

/// <summary>A connection closed ("type":"life", "event":"close"): how long it lived, what it carried, the states it went through, how it ended.</summary>
public sealed record LifeCloseRecord : ConnectionRecord
{
    public LifeCloseRecord(long timestampNs, WallClock clock, Connection c)
        : base("life", timestampNs, clock, c)
    {
        double lived = Durations.Ms(c.LifetimeNs(timestampNs));

        // a socket older than the trace, or whose record ends early: only the time it was seen
        if (ConnectionText.LifetimeKnown(c))
        {
            LifetimeMs = lived;
        }
        else
        {
            SeenMs = lived;
        }

        OpenSeen = c.OpenSeen;
        Complete = !c.Incomplete;
        StartLost = c.StartLost;
        EndLost = c.EndLost;
        if (c.Totals is { } t)
        {
            BytesSent = c.BytesSent ?? 0;
            BytesReceived = c.BytesReceived ?? 0;
            Retransmits = t.Retransmits;
            SrttUs = t.SmoothedRttUs;
        }

        Path = c.Path;
        ResetReceivedIn = c.ResetReceivedIn;
        ResetsSent = c.ResetsSent;
        ResetSentReason = c.LastResetReason;
        if (c.SocketError is int err && err != 0)
        {
            Errno = err;
            Error = Interop.Errors.Name(err);
        }
    }

    [JsonPropertyOrder(-50)]
    public LifeEventKind Event => LifeEventKind.Close;

    /// <summary>Null when the trace did not see it open or close (then <see cref="SeenMs"/>).</summary>
    public double? LifetimeMs { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SeenMs { get; }

    public bool OpenSeen { get; }

    public bool Complete { get; }

    public bool StartLost { get; }

    public bool EndLost { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? BytesSent { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? BytesReceived { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Retransmits { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonPropertyName("srtt_us")]
    public uint? SrttUs { get; }

    public IReadOnlyList<TcpState> Path { get; }

    public TcpState? ResetReceivedIn { get; }

    public int ResetsSent { get; }

    public string? ResetSentReason { get; }

    public int? Errno { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; }
}
