namespace TcpScope.Sources.Counters;

/// <summary>
/// The kernel's SNMP and extended TCP counters of one network namespace at one moment, named
/// as nstat names them ("TcpExtListenOverflows", "TcpAttemptFails").
/// </summary>
public sealed class CounterSnapshot(IReadOnlyDictionary<string, long> values)
{
    public IReadOnlyDictionary<string, long> Values { get; } = values;

    public long this[string name] => Values.TryGetValue(name, out long v) ? v : 0;

    /// <summary>What moved from <paramref name="before"/> to this snapshot (non-zero deltas only), by name.</summary>
    public IReadOnlyDictionary<string, long> DeltaSince(CounterSnapshot before) =>
        Values.Where(p => p.Value != before[p.Key])
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.Value - before[p.Key]);
}
