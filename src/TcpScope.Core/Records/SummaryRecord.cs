using System.Text.Json;
using System.Text.Json.Serialization;
using TcpScope.Output;
using TcpScope.Records.Json;

namespace TcpScope.Records;

/// <summary>
/// The closing line of every tracing verb ("type":"summary"): events, losses, and one count per
/// thing the run could not follow (its id as the field name, zero or not), how it traced, how long.
/// </summary>
public sealed record SummaryRecord : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "summary";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    public long Events { get; init; }

    public ulong Lost { get; init; }

    public long Malformed { get; init; }

    public ulong LossNotices { get; init; }

    public string Source { get; init; } = "";

    public double Seconds { get; init; }

    /// <summary>Programs the source ran without, each with why (see doctor); empty when complete.</summary>
    public IReadOnlyList<string> Degraded { get; init; } = [];

    /// <summary>The shortfalls by id ("sockets_not_followed": 0, ...): which there are depends on the verb.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Shortfalls { get; } = [];

    public static SummaryRecord From(RunSummary s)
    {
        var r = new SummaryRecord
        {
            Events = s.Stats.Events,
            Lost = s.Stats.Lost,
            Malformed = s.Stats.Malformed,
            LossNotices = s.Stats.LossNotices,
            Source = s.Source,
            Seconds = Durations.Seconds(s.Duration),
            Degraded = s.Stats.Degraded,
        };
        foreach (Decode.Shortfall f in s.Shortfalls)
        {
            r.Shortfalls[f.Id] = JsonSerializer.SerializeToElement(f.Count, RecordJsonContext.Default.Int64);
        }

        return r;
    }
}
