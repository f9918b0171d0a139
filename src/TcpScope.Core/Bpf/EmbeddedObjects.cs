namespace TcpScope.Bpf;

/// <summary>The BPF objects compiled by the build (bpf/*.bpf.c) and embedded in the assembly.</summary>
public static class EmbeddedObjects
{
    public const string States = "states";
    public const string Probes = "probes";
    public const string Connections = "conn";
    public const string Drops = "drops";

    /// <summary>The drops family's segment parser as a syscall program, for tests (bpf/segment_check.bpf.c).</summary>
    public const string SegmentCheck = "segment_check";

    public static byte[] Read(string name)
    {
        using Stream s = typeof(EmbeddedObjects).Assembly.GetManifestResourceStream($"bpf/{name}.bpf.o")
            ?? throw new ArgumentException($"no embedded BPF object {name}", nameof(name));
        var bytes = new byte[s.Length];
        s.ReadExactly(bytes);
        return bytes;
    }
}
