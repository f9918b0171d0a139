using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// Turns the kernel's running counts (drop_counts, read every interval) into the rows of one
/// interval: what each key gained since the last read, at what rate, sorted by that count.
/// </summary>
public sealed class DropCountDeltas(KernelEnums enums)
{
    private Dictionary<DropCountKey, ulong> previous = [];
    private Dictionary<DropCountKey, ulong> spare = [];

    /// <summary>Drops counted since the start, over all keys.</summary>
    public ulong Total { get; private set; }

    /// <summary>
    /// The keys that gained since the last call (all keys on the first), most first. The caller's
    /// dictionary is copied, so it may be reused for the next read.
    /// </summary>
    public IReadOnlyList<DropCountRow> Advance(IReadOnlyDictionary<DropCountKey, ulong> now, double seconds)
    {
        var rows = new List<DropCountRow>();
        spare.Clear();
        ulong total = 0;
        foreach ((DropCountKey key, ulong count) in now)
        {
            spare[key] = count;
            total += count;
            ulong before = previous.GetValueOrDefault(key);
            if (count > before)
            {
                rows.Add(Row(key, count - before, count, seconds));
            }
        }

        (previous, spare) = (spare, previous);
        Total = total;
        rows.Sort(ByCount);
        return rows;
    }

    /// <summary>Every key with its total since the start, most first; the rate over <paramref name="seconds"/>, the run's length.</summary>
    public IReadOnlyList<DropCountRow> Totals(double seconds)
    {
        List<DropCountRow> rows = [.. previous.Where(p => p.Value > 0).Select(p => Row(p.Key, p.Value, p.Value, seconds))];
        rows.Sort(ByCount);
        return rows;
    }

    private DropCountRow Row(DropCountKey key, ulong count, ulong total, double seconds) => new(
        key.NetNs,
        key.Reason,
        key.Reason < 0 ? null : enums.DropReason(key.Reason),
        key.Location,
        key.State is 0 or DropCountKey.StateUnknown ? null : enums.TcpState(key.State),
        count,
        total,
        seconds > 0 ? count / seconds : 0,
        key.State == DropCountKey.StateUnknown);

    // most first; ties in a fixed order so that equal intervals print alike
    private static int ByCount(DropCountRow a, DropCountRow b)
    {
        int c = b.Count.CompareTo(a.Count);
        if (c == 0)
        {
            c = b.Total.CompareTo(a.Total);
        }

        if (c == 0)
        {
            c = a.NetNs.CompareTo(b.NetNs);
        }

        if (c == 0)
        {
            c = a.ReasonNumber.CompareTo(b.ReasonNumber);
        }

        if (c == 0)
        {
            c = a.Location.CompareTo(b.Location);
        }

        return c == 0 ? Nullable.Compare(a.State, b.State) : c;
    }
}
