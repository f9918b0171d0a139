using System.Text.Json.Serialization;
using TcpScope.Lab;

namespace TcpScope.Records;

/// <summary>A lab run ("type":"lab"): the story, each client's outcome, and per namespace the counters that moved and its sockets.</summary>
public sealed record LabRecord(
    string Scenario,
    string Variant,
    double Seconds,
    IReadOnlyList<string> Story,
    IReadOnlyDictionary<string, string> Facts,
    IReadOnlyList<LabClientRecord> Clients,
    IReadOnlyList<LabNamespaceRecord> Namespaces) : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "lab";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    public static LabRecord From(LabResult r) => new(
        r.Scenario,
        r.Variant,
        Durations.Seconds(r.Duration),
        r.Story,
        r.Facts,
        [.. r.Clients.Select(c => new LabClientRecord(c.Client, c.Outcome, Durations.Seconds(c.Elapsed, 4), c.LocalPort, c.Comm, c.Error))],
        [.. r.Namespaces.Select(n => new LabNamespaceRecord(
            n.Role,
            n.Name,
            n.Inode,
            n.CounterDeltas,
            [.. n.Sockets.Select(s => new LabSocketRecord(s.State, s.Local.ToString(), s.Remote.ToString(), s.SendQueue, s.ReceiveQueue))]))]);
}
