namespace TcpScope.Host.Symbols;

/// <summary>Sorted symbol start addresses with names: the nearest symbol at or below an address.</summary>
public sealed class SymbolTable
{
    private readonly ulong[] starts;
    private readonly string[] names;
    private readonly ulong maxOffset;

    /// <param name="maxOffset">
    /// Offsets at or beyond it are not inside the symbol: a table without sizes cannot tell where
    /// a function ends, and an address in code that has no symbol (any more) would otherwise be
    /// named after whatever lies below it, however far.
    /// </param>
    public SymbolTable(IEnumerable<(ulong Start, string Name)> symbols, ulong maxOffset = ulong.MaxValue)
    {
        this.maxOffset = maxOffset;
        (ulong Start, string Name)[] sorted = [.. symbols.OrderBy(s => s.Start)];
        starts = [.. sorted.Select(s => s.Start)];
        names = [.. sorted.Select(s => s.Name)];
    }

    public int Count => starts.Length;

    /// <summary>"name+0x1a", or null when the address lies below every symbol or too far past the nearest.</summary>
    public string? Resolve(ulong address)
    {
        int i = Array.BinarySearch(starts, address);
        if (i < 0)
        {
            i = ~i - 1;
        }

        if (i < 0)
        {
            return null;
        }

        ulong offset = address - starts[i];
        if (offset >= maxOffset)
        {
            return null;
        }

        return offset == 0 ? names[i] : $"{names[i]}+0x{offset:x}";
    }
}
