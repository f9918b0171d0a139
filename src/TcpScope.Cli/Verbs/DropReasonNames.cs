using TcpScope.Decode;

namespace TcpScope.Cli.Verbs;

/// <summary>--reason NAME against the running kernel's <c>enum skb_drop_reason</c>: numbers differ between kernels, names do not.</summary>
internal static class DropReasonNames
{
    private const string Prefix = "SKB_DROP_REASON_";

    /// <summary>This kernel's numbers for <paramref name="names"/> (with or without the SKB_DROP_REASON_ prefix, any case); a usage error names a bad one and lists the valid ones.</summary>
    public static IReadOnlyList<int> Resolve(IReadOnlyList<string> names, KernelEnums enums)
    {
        if (names.Count == 0)
        {
            return [];
        }

        if (enums.DropReasons.Count == 0)
        {
            throw new CliException("--reason: this kernel has no drop reasons (enum skb_drop_reason came in 5.17); run without --reason", ExitCodes.Usage);
        }

        Dictionary<string, long> byName = enums.DropReasons.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);
        var numbers = new List<int>();
        foreach (string given in names)
        {
            string name = given.Trim();
            if (name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[Prefix.Length..];
            }

            if (!byName.TryGetValue(name, out long n) || n is < 0 or >= Sources.StatesFilter.DropReasonLimit)
            {
                throw new CliException(
                    $"--reason: '{given}' is not a drop reason of this kernel; valid names: {string.Join(", ", enums.DropReasons.Where(kv => kv.Key < Sources.StatesFilter.DropReasonLimit).Select(kv => kv.Value).Order(StringComparer.Ordinal))}",
                    ExitCodes.Usage);
            }

            if (!numbers.Contains((int)n))
            {
                numbers.Add((int)n);
            }
        }

        return numbers;
    }
}
