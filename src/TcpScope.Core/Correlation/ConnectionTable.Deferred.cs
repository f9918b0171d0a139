using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// Records that belong to another record of the same socket and may reach the table a batch
/// apart from it: byte totals come just before the CLOSE they belong to, a stack just after
/// the record it shares its timestamp with. Each is kept for two batches.
/// </summary>
public sealed partial class ConnectionTable
{
    // totals precede the CLOSE they belong to, possibly by a batch boundary: kept for two batches
    private Dictionary<(uint, ulong), SocketTotals> closingTotals = [];
    private Dictionary<(uint, ulong), SocketTotals> previousClosingTotals = [];

    // the record a stack belongs to, by the timestamp it shares with it (struct ts_stack_event);
    // kept for two batches, as a stack can be drained one batch after its record
    private Dictionary<(uint, ulong, long), Connection> stackOwners = [];
    private Dictionary<(uint, ulong, long), Connection> previousStackOwners = [];

    public void OnStack(StackSample e)
    {
        var key = (e.NetNs, e.Socket, e.TimestampNs);
        if (!stackOwners.TryGetValue(key, out Connection? c) && !previousStackOwners.TryGetValue(key, out c))
        {
            return;
        }

        if (e.Where == StackWhere.KernelAtEnd)
        {
            c.KernelStack = e.Frames.ToArray();
        }
        else
        {
            c.UserStack = e.Frames.ToArray();
            c.UserStackPid = e.TaskPid;
        }
    }

    private SocketTotals? TakeTotals((uint, ulong) key) =>
        closingTotals.Remove(key, out SocketTotals t) || previousClosingTotals.Remove(key, out t) ? t : null;

    /// <summary>End of a batch: what waited since the one before is given up.</summary>
    private void AgeDeferred()
    {
        (previousClosingTotals, closingTotals) = (closingTotals, previousClosingTotals);
        closingTotals.Clear();
        (previousStackOwners, stackOwners) = (stackOwners, previousStackOwners);
        stackOwners.Clear();
    }
}
