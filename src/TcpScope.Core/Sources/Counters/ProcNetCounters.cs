using System.Globalization;

namespace TcpScope.Sources.Counters;

/// <summary>
/// Parses /proc/net/netstat and /proc/net/snmp: pairs of lines "Prefix: name name ..." and
/// "Prefix: value value ...". The files show the namespace of the reading thread when read
/// through /proc/thread-self/net.
/// </summary>
public static class ProcNetCounters
{
    /// <summary>Both files of the calling thread's network namespace.</summary>
    public static CounterSnapshot ReadCurrentNamespace()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        Parse(File.ReadAllText("/proc/thread-self/net/netstat"), values);
        Parse(File.ReadAllText("/proc/thread-self/net/snmp"), values);
        return new CounterSnapshot(values);
    }

    /// <summary>Adds "PrefixName" -> value for every pair of header and value lines in <paramref name="text"/>.</summary>
    public static void Parse(string text, Dictionary<string, long> into)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < lines.Length; i += 2)
        {
            string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length != values.Length || names.Length == 0 || names[0] != values[0] || !names[0].EndsWith(':'))
            {
                throw new InvalidDataException($"unpaired counter lines: '{lines[i]}' / '{lines[i + 1]}'");
            }

            string prefix = names[0][..^1];
            for (int k = 1; k < names.Length; k++)
            {
                into[prefix + names[k]] = long.Parse(values[k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
        }
    }
}
