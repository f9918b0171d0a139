namespace TcpScope.Host;

/// <summary>Whether one shipped BPF program loads and attaches on this host.</summary>
public sealed record ProbeResult(string Object, string Program, string Section, ProbeStatus Status, string Detail)
{
    public bool Works => Status == ProbeStatus.Works;
}
