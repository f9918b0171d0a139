namespace TcpScope.Host.Symbols;

/// <summary>
/// Kernel code addresses as "tcp_v4_rcv+0x4e5" (from /proc/kallsyms), or as the address when
/// the kernel hides its addresses or the address is another boot's (a replayed recording).
/// </summary>
public sealed class KernelLocations
{
    private readonly SymbolTable? table;
    private readonly Dictionary<ulong, string> names = [];

    /// <param name="table">null: print addresses.</param>
    public KernelLocations(SymbolTable? table) => this.table = table is { Count: > 0 } ? table : null;

    /// <summary>Whether names are given (false: kallsyms hides its addresses from this user, or the addresses are another boot's).</summary>
    public bool Names => table is not null;

    /// <summary>This host's symbols, or none when /proc/kallsyms cannot be read or shows only zeros.</summary>
    public static KernelLocations OfThisHost()
    {
        try
        {
            return new KernelLocations(KernelSymbols.Load());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new KernelLocations(null);
        }
    }

    public string Name(ulong address)
    {
        if (address == 0)
        {
            return "-";
        }

        if (!names.TryGetValue(address, out string? name))
        {
            // few distinct places drop: each is resolved once
            name = table?.Resolve(address) ?? $"0x{address:x}";
            if (names.Count < 4096)
            {
                names[address] = name;
            }
        }

        return name;
    }

    /// <summary>What to tell the user once when <see cref="Names"/> is false on a live run.</summary>
    public const string HiddenNotice =
        "kernel addresses are hidden in /proc/kallsyms here (kernel.kptr_restrict, or no CAP_SYSLOG): LOCATION shows addresses; "
        + "function names need CAP_SYSLOG (root has it) with sysctl kernel.kptr_restrict 0 or 1, or kernel.kptr_restrict=0 for everyone";
}
