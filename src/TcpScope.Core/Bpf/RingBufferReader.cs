using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>Receives each record of a ring buffer as a span valid only during the call.</summary>
public interface IRecordHandler
{
    void OnRecord(ReadOnlySpan<byte> record);
}

/// <summary>
/// Drains a BPF ring buffer map through libbpf's consumer. The producers submit without
/// waking us (see common.bpf.h): the caller drains, then <see cref="Wait"/>s one interval,
/// so there is one wake-up per interval, not one per event.
/// </summary>
public sealed unsafe class RingBufferReader : IDisposable
{
    private readonly RingBufferHandle handle;
    private readonly IRecordHandler handler;
    private GCHandle self;
    private Exception? failure;

    public RingBufferReader(int mapFd, IRecordHandler handler)
    {
        this.handler = handler;
        self = GCHandle.Alloc(this);
        handle = Libbpf.ring_buffer__new(mapFd, &OnSample, GCHandle.ToIntPtr(self), null);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            self.Free();
            throw new LibbpfException("creating the ring buffer reader", errno);
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for a wake-up (records submitted without one
    /// stay until the next <see cref="Drain"/>); returns the records a wake-up let it handle.
    /// </summary>
    public int Wait(int timeoutMs)
    {
        int n = Libbpf.ring_buffer__poll(handle, timeoutMs);
        if (n < 0 && n != -LibC.EINTR)
        {
            Throw(n, "ring_buffer__poll");
        }

        return Math.Max(n, 0);
    }

    /// <summary>Takes every record now in the ring without waiting.</summary>
    public int Drain()
    {
        int n = Libbpf.ring_buffer__consume(handle);
        if (n < 0)
        {
            Throw(n, "ring_buffer__consume");
        }

        return n;
    }

    public void Dispose()
    {
        handle.Dispose();
        if (self.IsAllocated)
        {
            self.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSample(nint ctx, byte* data, nuint size)
    {
        var reader = (RingBufferReader)GCHandle.FromIntPtr(ctx).Target!;
        try
        {
            reader.handler.OnRecord(new ReadOnlySpan<byte>(data, (int)size));
            return 0;
        }
        catch (Exception e)
        {
            // must not unwind through libbpf: stop consuming and rethrow on our side
            reader.failure = e;
            return -1;
        }
    }

    private void Throw(int err, string operation)
    {
        if (failure is { } e)
        {
            failure = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }

        throw new LibbpfException(operation, -err);
    }
}
