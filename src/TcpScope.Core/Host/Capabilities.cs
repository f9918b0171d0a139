using System.Globalization;

namespace TcpScope.Host;

/// <summary>The effective capabilities of this process (CapEff in /proc/self/status).</summary>
public sealed class Capabilities(ulong effective)
{
    public ulong Effective { get; } = effective;

    /// <summary>The ambient set (CapAmb): what programs this process runs keep without being root.</summary>
    public ulong Ambient { get; init; }

    /// <summary>The effective user id (second field of the Uid line); -1 when unknown.</summary>
    public long EffectiveUid { get; init; } = -1;

    public static Capabilities OfThisProcess() => Parse(File.ReadAllText("/proc/self/status"));

    /// <summary>Reads the CapEff, CapAmb and Uid lines of a /proc/PID/status text.</summary>
    public static Capabilities Parse(string status)
    {
        ulong? effective = null;
        ulong ambient = 0;
        long uid = -1;
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
            {
                effective = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("CapAmb:", StringComparison.Ordinal))
            {
                ambient = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                string[] ids = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                uid = ids.Length > 1 ? long.Parse(ids[1], CultureInfo.InvariantCulture) : -1;
            }
        }

        return effective is { } e
            ? new Capabilities(e) { Ambient = ambient, EffectiveUid = uid }
            : throw new InvalidDataException("no CapEff line in the process status");
    }

    /// <summary>Whether a program this process runs (ip, iptables) has <paramref name="c"/> too: as root, or through the ambient set.</summary>
    public bool PassesOn(Capability c) => Has(c) && (EffectiveUid == 0 || (Ambient & (1UL << (int)c)) != 0);

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
