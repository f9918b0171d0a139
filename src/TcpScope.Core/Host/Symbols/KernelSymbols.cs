using System.Globalization;

namespace TcpScope.Host.Symbols;

/// <summary>Kernel text symbols from /proc/kallsyms (addresses are real only with CAP_SYSLOG; zeros otherwise).</summary>
public static class KernelSymbols
{
    public const string Path = "/proc/kallsyms";

    /// <summary>
    /// No kernel function is this long (the largest gap between neighbouring text symbols of a
    /// 6.18 x86_64 kernel is 20 KiB, apart from section ends such as _etext): an address further
    /// past its nearest symbol is in code kallsyms does not list, e.g. an unloaded BPF program's
    /// JIT image, which lies above _einittext or a module's last function.
    /// </summary>
    public const ulong MaxFunctionSize = 0x10000;

    public static SymbolTable Load() => Parse(File.ReadLines(Path));

    /// <summary>Lines like "ffffffff81a2b3c0 T tcp_connect [module]"; only text (t/T/w/W) symbols are kept.</summary>
    public static SymbolTable Parse(IEnumerable<string> lines)
    {
        var symbols = new List<(ulong, string)>();
        foreach (string line in lines)
        {
            ReadOnlySpan<char> s = line;
            int a = s.IndexOf(' ');
            if (a <= 0 || a + 3 > s.Length || s[a + 2] != ' ')
            {
                continue;
            }

            char type = s[a + 1];
            if (type is not ('t' or 'T' or 'w' or 'W')
                || !ulong.TryParse(s[..a], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong addr) || addr == 0)
            {
                continue;
            }

            ReadOnlySpan<char> name = s[(a + 3)..];
            int tab = name.IndexOf('\t');
            symbols.Add((addr, (tab >= 0 ? name[..tab] : name).ToString()));
        }

        return new SymbolTable(symbols, MaxFunctionSize);
    }
}
