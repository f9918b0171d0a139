namespace TcpScope.Correlation;

/// <summary>
/// The table's quiet connections (<see cref="QuietConnection"/>), found by (network namespace,
/// socket): values in chunks allocated as the table fills, freed slots reused, no object per
/// connection.
/// </summary>
internal sealed class QuietConnections
{
    private const int ChunkBits = 12; // 4 096 a chunk (about half a MiB)
    private const int ChunkMask = (1 << ChunkBits) - 1;

    private readonly Dictionary<(uint NetNs, ulong Socket), int> index = [];
    private readonly List<QuietConnection[]> chunks = [];
    private readonly Stack<int> free = [];
    private int used;

    public int Count => index.Count;

    public IEnumerable<(uint NetNs, ulong Socket)> Keys => index.Keys;

    /// <summary>Keeps <paramref name="q"/> for a socket that has no quiet form here yet.</summary>
    public void Add((uint, ulong) key, in QuietConnection q)
    {
        if (!free.TryPop(out int slot))
        {
            slot = used++;
            if ((slot >> ChunkBits) == chunks.Count)
            {
                chunks.Add(new QuietConnection[1 << ChunkBits]);
            }
        }

        At(slot) = q;
        index.Add(key, slot);
    }

    /// <summary>Takes the quiet form of <paramref name="key"/> out, if it has one.</summary>
    public bool TryTake((uint, ulong) key, out QuietConnection q)
    {
        if (!index.Remove(key, out int slot))
        {
            q = default;
            return false;
        }

        Release(slot, out q);
        return true;
    }

    /// <summary>The quiet form of <paramref name="key"/>, left in place.</summary>
    public bool TryGet((uint, ulong) key, out QuietConnection q)
    {
        if (!index.TryGetValue(key, out int slot))
        {
            q = default;
            return false;
        }

        q = At(slot);
        return true;
    }

    /// <summary>Drops those whose last event is at least <paramref name="expiryNs"/> before <paramref name="nowNs"/>.</summary>
    /// <param name="oldestKept">Lowered to the last event of the oldest one kept.</param>
    /// <returns>How many were dropped.</returns>
    public int ExpireIdle(long nowNs, long expiryNs, ref long oldestKept)
    {
        int dropped = 0;
        foreach ((var key, int slot) in index)
        {
            long last = At(slot).LastSeenNs;
            if (nowNs - last >= expiryNs)
            {
                index.Remove(key); // allowed while enumerating a Dictionary
                Release(slot, out _);
                dropped++;
            }
            else
            {
                oldestKept = Math.Min(oldestKept, last);
            }
        }

        return dropped;
    }

    private void Release(int slot, out QuietConnection q)
    {
        ref QuietConnection at = ref At(slot);
        q = at;
        at = default; // lets go of its wide addresses
        free.Push(slot);
    }

    private ref QuietConnection At(int slot) => ref chunks[slot >> ChunkBits][slot & ChunkMask];
}
