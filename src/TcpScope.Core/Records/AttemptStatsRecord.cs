using System.Text.Json.Serialization;
using TcpScope.Correlation;

namespace TcpScope.Records;

/// <summary>Connect attempts counted: by outcome, SYN retransmits, handshake percentiles (null before the first handshake).</summary>
public abstract record AttemptStatsRecord
{
    protected AttemptStatsRecord(DestinationStats d)
    {
        Attempts = d.Attempts;
        Failures = d.Failures;
        SynRetransmits = d.SynRetransmits;
        Outcomes = Enum.GetValues<ConnectOutcome>().ToDictionary(o => o, d.Count);
        HandshakeP50Ms = d.HandshakesNs.Percentile(50) is long p50 ? Durations.Ms(p50) : null;
        HandshakeP99Ms = d.HandshakesNs.Percentile(99) is long p99 ? Durations.Ms(p99) : null;
    }

    public long Attempts { get; }

    public long Failures { get; }

    public long SynRetransmits { get; }

    /// <summary>Every outcome, zero or not.</summary>
    public IReadOnlyDictionary<ConnectOutcome, long> Outcomes { get; }

    [JsonPropertyName("handshake_p50_ms")]
    public double? HandshakeP50Ms { get; }

    [JsonPropertyName("handshake_p99_ms")]
    public double? HandshakeP99Ms { get; }
}
