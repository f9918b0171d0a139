namespace TcpScope.Lab;

/// <summary>A program a lab needs (ip, iptables, tc) is not installed.</summary>
public sealed class MissingToolException(string tool, string package)
    : Exception($"the lab needs `{tool}`, which is not on PATH; install it with: sudo apt-get install {package}")
{
    public string Tool { get; } = tool;

    public string Package { get; } = package;
}
