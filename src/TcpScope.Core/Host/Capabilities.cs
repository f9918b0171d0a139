using System.Globalization;

namespace TcpScope.Host;

/// <summary>The effective capabilities of this process (CapEff in /proc/self/status).</summary>
public sealed class Capabilities(ulong effective)
{
    public ulong Effective { get; } = effective;

    public static Capabilities OfThisProcess() => Parse(File.ReadAllText("/proc/self/status"));

    /// <summary>Reads the CapEff line of a /proc/PID/status text.</summary>
    public static Capabilities Parse(string status)
    {
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
            {
                return new Capabilities(ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidDataException("no CapEff line in the process status");
    }

    public bool Has(Capability c) => (Effective & (1UL << (int)c)) != 0;

    /// <summary>
    /// What loading tracing programs needs that is missing: CAP_BPF and CAP_PERFMON
    /// (kernel 5.8+), or CAP_SYS_ADMIN which implies both. Empty when nothing is missing.
    /// </summary>
    public IReadOnlyList<Capability> MissingForTracing()
    {
        if (Has(Capability.CAP_SYS_ADMIN))
        {
            return [];
        }

        return new[] { Capability.CAP_BPF, Capability.CAP_PERFMON }.Where(c => !Has(c)).ToArray();
    }
}
