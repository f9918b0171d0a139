using System.Text.Json.Serialization;
using TcpScope.Correlation;

namespace TcpScope.Records;

/// <summary>What `connect` says at exit ("type":"connect_summary"): all attempts, then by destination.</summary>
public sealed record ConnectSummaryRecord : AttemptStatsRecord, IOutputRecord
{
    public ConnectSummaryRecord(ConnectSummary s)
        : base(s.All)
    {
        Destinations = [.. s.Destinations.Select(d => new DestinationRecord(d))];
        OtherDestinationsAttempts = s.Others;
    }

    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "connect_summary";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    [JsonPropertyOrder(1)]
    public IReadOnlyList<DestinationRecord> Destinations { get; }

    /// <summary>Attempts to destinations beyond those listed (counted in the totals).</summary>
    [JsonPropertyOrder(2)]
    public long OtherDestinationsAttempts { get; }
}
