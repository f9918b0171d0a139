using System.Globalization;

namespace TcpScope.Host.Symbols;

/// <summary>A process's file mappings from /proc/PID/maps.</summary>
public sealed class ProcessMaps(IReadOnlyList<ProcessMaps.Mapping> mappings)
{
    public sealed record Mapping(ulong Start, ulong End, ulong Offset, string Path);

    public IReadOnlyList<Mapping> Mappings { get; } = mappings;

    /// <summary>Null if the process is gone.</summary>
    public static ProcessMaps? Read(uint pid)
    {
        try
        {
            return Parse(File.ReadLines($"/proc/{pid}/maps"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Lines like "7f12a000-7f12c000 r-xp 00028000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6".</summary>
    public static ProcessMaps Parse(IEnumerable<string> lines)
    {
        var list = new List<Mapping>();
        foreach (string line in lines)
        {
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5)
            {
                continue;
            }

            int dash = f[0].IndexOf('-');
            if (dash <= 0
                || !ulong.TryParse(f[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(f[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)
                || !ulong.TryParse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong offset))
            {
                continue;
            }

            list.Add(new Mapping(start, end, offset, f.Length > 5 ? f[5].Trim() : ""));
        }

        return new ProcessMaps(list);
    }

    public Mapping? Find(ulong address) => Mappings.FirstOrDefault(m => address >= m.Start && address < m.End);
}
