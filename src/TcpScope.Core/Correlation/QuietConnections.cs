using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// The table's quiet connections (<see cref="QuietConnection"/>), found by (network namespace,
/// socket): values in chunks allocated as the table fills, freed slots reused, no object per
/// connection; IPv6 addresses beside, by slot.
/// </summary>
internal sealed class QuietConnections
{
    private const int ChunkBits = 12; // 4 096 a chunk (about half a MiB)
    private const int ChunkMask = (1 << ChunkBits) - 1;

    private readonly Dictionary<(uint NetNs, ulong Socket), int> index = [];
    private readonly List<QuietConnection[]> chunks = [];
    private readonly Stack<int> free = [];
    private readonly Dictionary<int, (AddressBytes Local, AddressBytes Remote)> wide = [];
    private int used;

    public int Count => index.Count;

    public IEnumerable<(uint NetNs, ulong Socket)> Keys => index.Keys;

    /// <summary>Keeps <paramref name="c"/> in its quiet form, if it has one; the table then lets go of the object.</summary>
    public bool TryAdd((uint, ulong) key, Connection c)
    {
        if (!c.TryQuiet(out QuietConnection q))
        {
            return false;
        }

        if (!free.TryPop(out int slot))
        {
            slot = used++;
            if ((slot >> ChunkBits) == chunks.Count)
            {
                chunks.Add(new QuietConnection[1 << ChunkBits]);
            }
        }

        At(slot) = q;
        if ((q.Flags & QuietConnection.WideFlag) != 0)
        {
            wide[slot] = (c.LocalAddress, c.RemoteAddress);
        }

        index.Add(key, slot);
        return true;
    }

    /// <summary>Takes the connection of <paramref name="key"/> out of its quiet form, if it has one.</summary>
    public Connection? TryTake((uint NetNs, ulong Socket) key)
    {
        if (!index.Remove(key, out int slot))
        {
            return null;
        }

        Connection c = Make(key, slot);
        Release(slot);
        return c;
    }

    /// <summary>The connection of <paramref name="key"/>, made from its quiet form, which stays.</summary>
    public Connection? Get((uint NetNs, ulong Socket) key) => index.TryGetValue(key, out int slot) ? Make(key, slot) : null;

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
                Release(slot);
                dropped++;
            }
            else
            {
                oldestKept = Math.Min(oldestKept, last);
            }
        }

        return dropped;
    }

    private Connection Make((uint NetNs, ulong Socket) key, int slot)
    {
        ref QuietConnection q = ref At(slot);
        return Connection.FromQuiet(key.NetNs, key.Socket, in q, (q.Flags & QuietConnection.WideFlag) != 0 ? wide[slot] : default);
    }

    private void Release(int slot)
    {
        if ((At(slot).Flags & QuietConnection.WideFlag) != 0)
        {
            wide.Remove(slot);
        }

        free.Push(slot);
    }

    private ref QuietConnection At(int slot) => ref chunks[slot >> ChunkBits][slot & ChunkMask];
}
