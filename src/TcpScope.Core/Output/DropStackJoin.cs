using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Output;

/// <summary>
/// With --stacks, holds each drop until its kernel stack arrives (a stack record with the drop's
/// timestamp, right after it in the ring), so the renderers write the two together, in order.
/// A stack can be drained one batch after its drop: a drop waits one idle at most, then is
/// written without it. Without stacks every drop is written at once.
/// </summary>
public sealed class DropStackJoin(bool stacks, DropStackJoin.Writer write)
{
    public delegate void Writer(in PacketDrop drop, ulong[]? frames);

    private readonly List<Pending> pending = [];

    // the drops still without their stack, by the stack's key: a drop storm with --stacks holds
    // thousands per batch, and a scan of the list per stack would be quadratic
    private readonly Dictionary<(long TimestampNs, uint NetNs), List<Pending>> waiting = [];

    public void OnDrop(in PacketDrop e)
    {
        if (!stacks)
        {
            write(e, null);
            return;
        }

        // resets have no stack, but wait in line to keep the order
        var p = new Pending(e) { Frames = e.Kind == DropKind.Reset ? [] : null };
        pending.Add(p);
        if (p.Frames is null)
        {
            (long, uint) key = (e.TimestampNs, e.NetNs);
            if (!waiting.TryGetValue(key, out List<Pending>? same))
            {
                waiting[key] = same = [];
            }

            same.Add(p);
        }
    }

    public void OnStack(StackSample s)
    {
        if (!stacks || s.Where != StackWhere.KernelAtDrop)
        {
            return;
        }

        if (waiting.TryGetValue((s.TimestampNs, s.NetNs), out List<Pending>? same))
        {
            same[0].Frames = s.Frames.ToArray();
            Forget(same[0]);
        }
    }

    /// <summary>End of a batch: writes, in order, what has its stack or waited a batch already.</summary>
    public void OnIdle()
    {
        int done = 0;
        while (done < pending.Count && (pending[done].Frames is not null || pending[done].WaitedABatch))
        {
            Pending p = pending[done++];
            Forget(p);
            write(p.Drop, p.Frames is { Length: > 0 } f ? f : null);
        }

        pending.RemoveRange(0, done);
        foreach (Pending p in pending)
        {
            p.WaitedABatch = true;
        }
    }

    /// <summary>The end: everything still waiting is written.</summary>
    public void Flush()
    {
        foreach (Pending p in pending)
        {
            write(p.Drop, p.Frames is { Length: > 0 } f ? f : null);
        }

        pending.Clear();
        waiting.Clear();
    }

    /// <summary>A drop that got its stack, or is written without it, no longer waits for one.</summary>
    private void Forget(Pending p)
    {
        (long, uint) key = (p.Drop.TimestampNs, p.Drop.NetNs);
        if (waiting.TryGetValue(key, out List<Pending>? same) && same.Remove(p) && same.Count == 0)
        {
            waiting.Remove(key);
        }
    }

    private sealed class Pending(PacketDrop drop)
    {
        public PacketDrop Drop { get; } = drop;

        public ulong[]? Frames { get; set; }

        public bool WaitedABatch { get; set; }
    }
}
