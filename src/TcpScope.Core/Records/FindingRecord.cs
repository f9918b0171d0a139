using System.Text.Json.Serialization;
using TcpScope.Diagnosis;

namespace TcpScope.Records;

/// <summary>A finding ("type":"finding"): stable id, severity, title, subject, evidence, why, what to do.</summary>
public sealed record FindingRecord(
    string Id,
    Severity Severity,
    string Title,
    string Subject,
    IReadOnlyList<string> Evidence,
    string Explanation,
    string Remediation) : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "finding";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    public static FindingRecord From(Finding f) => new(f.Id, f.Severity, f.Title, f.Subject, f.Evidence, f.Explanation, f.Remediation);
}
