using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>Room in the table: a connection is made only within the bound, and a full table forgets the idle ones first.</summary>
public sealed partial class ConnectionTable
{
    private Connection? Create((uint NetNs, ulong Socket) key, long ns, bool opening)
    {
        if (OpenCount >= Capacity && ns >= nextSweepNs)
        {
            ExpireIdle(ns);
        }

        if (OpenCount >= Capacity)
        {
            // counted once per connection: at its opening (later events of an unfollowed socket are not counted again)
            if (opening)
            {
                Untracked++;
            }

            return null;
        }

        var c = new Connection(key.NetNs, key.Socket, ns);
        Made(key, c);
        return c;
    }

    /// <summary>Forgets every connection idle for the expiry; notes when the next one can be.</summary>
    private void ExpireIdle(long ns)
    {
        long oldestKept = long.MaxValue;
        foreach ((var key, Connection c) in live)
        {
            if (ns - c.LastSeenNs >= idleExpiryNs)
            {
                live.Remove(key); // allowed while enumerating a Dictionary
                Expired++;
            }
            else
            {
                oldestKept = Math.Min(oldestKept, c.LastSeenNs);
            }
        }

        Expired += quiet.ExpireIdle(ns, idleExpiryNs, ref oldestKept);
        nextSweepNs = oldestKept == long.MaxValue ? ns : oldestKept + idleExpiryNs;
    }
}
