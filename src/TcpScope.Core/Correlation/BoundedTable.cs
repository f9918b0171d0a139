namespace TcpScope.Correlation;

/// <summary>
/// A table of at most <see cref="Capacity"/> entries that forgets entries nobody touched for
/// <see cref="ExpiryNs"/>, and counts what it dropped: what a summary or rule keeps per
/// destination or per socket, so that a run of months stays within its memory.
/// </summary>
/// <remarks>
/// Entries expire only when the table needs room for a new key: a short run loses nothing, and
/// findings about a quiet destination stay until something newer needs the place. Then the
/// entries untouched for longer than the expiry are dropped, least recently touched first
/// (<see cref="Expired"/>); if none is that old, the new key is not kept (<see cref="Refused"/>),
/// as the table's entries are all in use. Time is the clock of event timestamps.
/// </remarks>
public sealed class BoundedTable<TKey, TValue>(int capacity, long expiryNs)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> index = [];

    // least recently touched first
    private readonly LinkedList<Entry> byAge = new();

    public BoundedTable(int capacity)
        : this(capacity, TableExpiry.DefaultNs)
    {
    }

    public int Capacity { get; } = capacity;

    public long ExpiryNs { get; } = expiryNs;

    public int Count => index.Count;

    /// <summary>Entries dropped because they were not touched for <see cref="ExpiryNs"/> when room was needed.</summary>
    public long Expired { get; private set; }

    /// <summary>New keys not kept (one per call of <see cref="GetOrAdd"/>): the table was full of entries in use.</summary>
    public long Refused { get; private set; }

    /// <summary>The entries, least recently touched first.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries => byAge.Select(e => KeyValuePair.Create(e.Key, e.Value));

    public IEnumerable<TValue> Values => byAge.Select(e => e.Value);

    /// <summary>The entry of <paramref name="key"/>, touched at <paramref name="nowNs"/>; made by <paramref name="create"/> if new; null if not kept.</summary>
    public TValue? GetOrAdd(TKey key, long nowNs, Func<TKey, TValue> create)
    {
        if (index.TryGetValue(key, out LinkedListNode<Entry>? node))
        {
            node.ValueRef.TouchedNs = Math.Max(node.ValueRef.TouchedNs, nowNs);
            byAge.Remove(node);
            byAge.AddLast(node);
            return node.Value.Value;
        }

        if (index.Count >= Capacity)
        {
            Expire(nowNs);
            if (index.Count >= Capacity)
            {
                Refused++;
                return default;
            }
        }

        TValue value = create(key);
        index[key] = byAge.AddLast(new Entry(key, value, nowNs));
        return value;
    }

    /// <summary>The entry of <paramref name="key"/>, not touched.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        if (index.TryGetValue(key, out LinkedListNode<Entry>? node))
        {
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    private void Expire(long nowNs)
    {
        while (byAge.First is { } oldest && nowNs - oldest.Value.TouchedNs >= ExpiryNs)
        {
            byAge.RemoveFirst();
            index.Remove(oldest.Value.Key);
            Expired++;
        }
    }

    private struct Entry(TKey key, TValue value, long touchedNs)
    {
        public readonly TKey Key = key;

        public readonly TValue Value = value;

        public long TouchedNs = touchedNs;
    }
}
