using TcpScope.Host;

namespace TcpScope.Records;

/// <summary>Whether one shipped program loads and attaches here ("works", "not_supported", "failed"), and why not.</summary>
public sealed record ProbeRecord(string Object, string Program, string Section, ProbeStatus Status, string Detail)
{
    public static ProbeRecord From(ProbeResult p) => new(p.Object, p.Program, p.Section, p.Status, p.Detail);
}
