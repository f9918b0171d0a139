namespace TcpScope.IntegrationTests;

/// <summary>What the kernel says about this process's memory (/proc/self).</summary>
internal static class ProcSelf
{
    /// <summary>A "kB" field of /proc/self/status (VmRSS, RssFile, ...), in bytes.</summary>
    public static long StatusBytes(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                string[] parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }

    /// <summary>Lines of /proc/self/maps that map a BPF map (a ring's pages show as "anon_inode:bpf-map").</summary>
    public static IReadOnlyList<MapsLine> BpfMapMappings() =>
        File.ReadLines("/proc/self/maps").Where(l => l.EndsWith("anon_inode:bpf-map", StringComparison.Ordinal)).Select(MapsLine.Parse).ToList();
}
