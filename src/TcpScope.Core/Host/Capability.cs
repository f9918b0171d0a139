namespace TcpScope.Host;

/// <summary>Linux capabilities TcpScope cares about, with their kernel numbers.</summary>
public enum Capability
{
    CAP_NET_ADMIN = 12,
    CAP_SYS_ADMIN = 21,
    CAP_PERFMON = 38,
    CAP_BPF = 39,
}
