namespace TcpScope.Host.Symbols;

/// <summary>
/// Turns stack addresses into "function+0xoff (module)" text: the kernel's from /proc/kallsyms
/// (read once), a process's from the ELF symbols of the files it has mapped (each file read
/// once). Frames it cannot name are shown as addresses, with the module where known.
/// </summary>
public sealed class StackSymbolizer
{
    private const int MaxElfFiles = 64;

    private readonly Lazy<SymbolTable> kernel = new(KernelSymbols.Load);
    private readonly Dictionary<string, ElfSymbols?> files = [];

    /// <summary>The kernel's frames, without the BPF program and tracepoint glue that took the stack.</summary>
    public IReadOnlyList<string> Kernel(IReadOnlyList<ulong> frames) =>
        [.. frames.Select(a => kernel.Value.Resolve(a) ?? $"0x{a:x}").SkipWhile(IsTracingGlue)];

    private static bool IsTracingGlue(string frame) =>
        frame.StartsWith("bpf_prog_", StringComparison.Ordinal) || frame.StartsWith("bpf_trace_run", StringComparison.Ordinal)
        || frame.StartsWith("__bpf_trace_", StringComparison.Ordinal) || frame.StartsWith("0x", StringComparison.Ordinal);

    /// <summary>The frames of a user stack of <paramref name="pid"/>, or null if the process is gone (its mappings went with it).</summary>
    public IReadOnlyList<string>? User(uint pid, IReadOnlyList<ulong> frames)
    {
        ProcessMaps? maps = ProcessMaps.Read(pid);
        if (maps is null)
        {
            return null;
        }

        return [.. frames.Select(a => UserFrame(maps, a))];
    }

    private string UserFrame(ProcessMaps maps, ulong address)
    {
        ProcessMaps.Mapping? m = maps.Find(address);
        if (m is null || m.Path.Length == 0 || m.Path[0] != '/')
        {
            return $"0x{address:x} ({(m is null || m.Path.Length == 0 ? "anonymous, e.g. JIT code" : m.Path)})";
        }

        string module = Path.GetFileName(m.Path);
        ulong fileOffset = address - m.Start + m.Offset;
        ElfSymbols? elf = Elf(m.Path);
        if (elf?.VirtualAddress(fileOffset) is ulong vaddr && elf.Table.Resolve(vaddr) is string name)
        {
            return $"{name} ({module})";
        }

        return $"0x{address:x} ({module}+0x{fileOffset:x})";
    }

    private ElfSymbols? Elf(string path)
    {
        if (files.TryGetValue(path, out ElfSymbols? elf))
        {
            return elf;
        }

        try
        {
            elf = ElfSymbols.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OverflowException or ArgumentException)
        {
            elf = null;
        }

        if (files.Count < MaxElfFiles)
        {
            files[path] = elf;
        }

        return elf;
    }
}
