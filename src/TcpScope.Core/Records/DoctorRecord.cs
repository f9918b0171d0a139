using System.Text.Json.Serialization;

namespace TcpScope.Records;

/// <summary>What `tcpscope doctor` found ("type":"doctor"): the host, the capabilities that matter, each probe's verdict.</summary>
public sealed record DoctorRecord(
    string Kernel,
    bool Btf,
    string? Libbpf,
    string? LibbpfProblem,
    IReadOnlyDictionary<string, bool> Capabilities,
    string? Tracefs,
    IReadOnlyList<ProbeRecord> Probes,
    bool CoreWorks,
    IReadOnlyDictionary<string, bool> Verbs) : IOutputRecord
{
    /// <summary>What `drops` can show on this kernel: reason_names, reset_reasons, receiving_socket, locations_named.</summary>
    public IReadOnlyDictionary<string, bool>? DropsShows { get; init; }

    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "doctor";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;
}
