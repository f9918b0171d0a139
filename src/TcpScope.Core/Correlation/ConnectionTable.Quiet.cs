using System.Collections;

namespace TcpScope.Correlation;

/// <summary>
/// Open connections that saw no event for a whole batch are kept in their quiet form
/// (<see cref="QuietConnection"/>, under half of what the object costs with its table entry) and
/// made into a <see cref="Connection"/> again by their next event: a table full of long-lived
/// connections costs a fraction of the memory. Observers never hold a connection past the call
/// that gave it, so no one sees the difference.
/// </summary>
public sealed partial class ConnectionTable
{
    private readonly QuietConnections quiet = new();

    // connections made (or made again) since they were last looked at: those that stay without events for a batch become quiet
    private readonly List<Connection> recent = [];

    /// <summary>Open connections now (those kept quiet made on each enumeration).</summary>
    public IReadOnlyCollection<Connection> Open => new OpenConnections(this);

    /// <summary>Open connections kept in their quiet form now.</summary>
    internal int QuietCount => quiet.Count;

    private int OpenCount => live.Count + quiet.Count;

    /// <summary>The open connection of <paramref name="key"/>, made again from its quiet form if it has one.</summary>
    private bool TryGetOpen((uint NetNs, ulong Socket) key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Connection? c)
    {
        if (live.TryGetValue(key, out c))
        {
            return true;
        }

        c = quiet.TryTake(key);
        if (c is null)
        {
            return false;
        }

        live[key] = c;
        recent.Add(c);
        return true;
    }

    private void Made((uint, ulong) key, Connection c)
    {
        live[key] = c;
        recent.Add(c);
    }

    /// <summary>End of a batch: the connections without an event since the last batch ended become quiet.</summary>
    private void Quieten()
    {
        int kept = 0;
        for (int i = 0; i < recent.Count; i++)
        {
            Connection c = recent[i];
            var key = (c.NetNs, c.Socket);
            if (c.Ended || !live.TryGetValue(key, out Connection? now) || now != c)
            {
                continue; // it closed, or was forgotten
            }

            if (c.Touched)
            {
                c.Touched = false;
                recent[kept++] = c;
            }
            else if (quiet.TryAdd(key, c))
            {
                live.Remove(key);
            }

            // else it has what only the object holds, and stays one
        }

        recent.RemoveRange(kept, recent.Count - kept);
    }

    private IEnumerable<Connection> AllOpen()
    {
        foreach (Connection c in live.Values)
        {
            yield return c;
        }

        foreach (var key in quiet.Keys)
        {
            if (quiet.Get(key) is { } c)
            {
                yield return c;
            }
        }
    }

    private sealed class OpenConnections(ConnectionTable table) : IReadOnlyCollection<Connection>
    {
        public int Count => table.OpenCount;

        public IEnumerator<Connection> GetEnumerator() => table.AllOpen().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
