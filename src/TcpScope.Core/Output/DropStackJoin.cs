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

    public void OnDrop(in PacketDrop e)
    {
        if (!stacks)
        {
            write(e, null);
            return;
        }

        // resets have no stack, but wait in line to keep the order
        pending.Add(new Pending(e) { Frames = e.Kind == DropKind.Reset ? [] : null });
    }

    public void OnStack(StackSample s)
    {
        if (!stacks || s.Where != StackWhere.KernelAtDrop)
        {
            return;
        }

        foreach (Pending p in pending)
        {
            if (p.Frames is null && p.Drop.TimestampNs == s.TimestampNs && p.Drop.NetNs == s.NetNs)
            {
                p.Frames = s.Frames.ToArray();
                return;
            }
        }
    }

    /// <summary>End of a batch: writes, in order, what has its stack or waited a batch already.</summary>
    public void OnIdle()
    {
        int done = 0;
        while (done < pending.Count && (pending[done].Frames is not null || pending[done].WaitedABatch))
        {
            Pending p = pending[done++];
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
    }

    private sealed class Pending(PacketDrop drop)
    {
        public PacketDrop Drop { get; } = drop;

        public ulong[]? Frames { get; set; }

        public bool WaitedABatch { get; set; }
    }
}
