using TcpScope.Diagnosis;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>A finding as plain text: title, evidence, explanation, remediation.</summary>
public static class FindingText
{
    public static void Write(TextWriter w, Finding f)
    {
        w.WriteLine($"FINDING {f.Id} [{SnakeCase.Of(f.Severity)}]: {f.Title}");
        foreach (string e in f.Evidence)
        {
            w.WriteLine($"  evidence: {e}");
        }

        w.WriteLine($"  why: {f.Explanation}");
        w.WriteLine($"  fix: {f.Remediation}");
    }
}
