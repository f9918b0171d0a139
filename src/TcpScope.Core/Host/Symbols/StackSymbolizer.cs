namespace TcpScope.Host.Symbols;

/// <summary>
/// Turns stack addresses into "function+0xoff (module)" text: the kernel's from /proc/kallsyms
/// (read once), a process's from the ELF symbols of the files it has mapped (each file read
/// once). Frames it cannot name are shown as addresses, with the module where known.
/// </summary>
public sealed class StackSymbolizer
{
    private const int MaxElfFiles = 64;

    private readonly Lazy<SymbolTable> kernel;
    private readonly Dictionary<string, ElfSymbols?> files = [];

    /// <summary>Kernel symbols from /proc/kallsyms, read at the first kernel stack.</summary>
    public StackSymbolizer() => kernel = new(KernelSymbols.Load);

    public StackSymbolizer(SymbolTable kernelSymbols) => kernel = new(kernelSymbols);

    /// <summary>
    /// The kernel's frames, without the BPF program and tracepoint glue that took the stack. The
    /// glue is known by name only: the top frames are dropped up to the last one named as glue,
    /// together with unnamed ones among them (the BPF program itself once it is unloaded, as when a
    /// recording is replayed). Unnamed frames are never dropped on their own: without kallsyms
    /// addresses every frame is unnamed and the whole stack is printed as addresses.
    /// </summary>
    public IReadOnlyList<string> Kernel(IReadOnlyList<ulong> frames)
    {
        string?[] names = [.. frames.Select(kernel.Value.Resolve)];
        int start = 0;
        for (int i = 0; i < names.Length && (names[i] is not { } n || IsTracingGlue(n)); i++)
        {
            if (names[i] is not null)
            {
                start = i + 1;
            }
        }

        return [.. frames.Skip(start).Select((a, i) => names[start + i] ?? $"0x{a:x}")];
    }

    private static bool IsTracingGlue(string frame) =>
        frame.StartsWith("bpf_prog_", StringComparison.Ordinal) || frame.StartsWith("bpf_trace_run", StringComparison.Ordinal)
        || frame.StartsWith("__bpf_trace_", StringComparison.Ordinal) || frame.StartsWith("__traceiter_", StringComparison.Ordinal);

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
