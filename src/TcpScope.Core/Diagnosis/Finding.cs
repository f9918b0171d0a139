namespace TcpScope.Diagnosis;

/// <summary>
/// One thing found wrong, in plain words. <see cref="Id"/> is stable across versions (for
/// alerting and docs); <see cref="Subject"/> names what it is about (a listener, a process).
/// </summary>
public sealed record Finding(
    string Id,
    Severity Severity,
    string Title,
    string Subject,
    IReadOnlyList<string> Evidence,
    string Explanation,
    string Remediation)
{
    /// <summary>Identity of a finding over time: the same problem of the same subject.</summary>
    public string Key => $"{Id}|{Subject}";
}
