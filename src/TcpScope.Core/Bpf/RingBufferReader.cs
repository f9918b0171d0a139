using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// Consumes a BPF_MAP_TYPE_RINGBUF map. The producers submit without waking anyone (see
/// common.bpf.h): the caller drains, then sleeps one interval, so records come in batches and
/// nothing wakes per event. (Waiting on the map's fd would not help: epoll reports it ready
/// again whenever a record arrived since the last drain, so a steady stream would turn the
/// interval into a spin of tiny batches.)
/// </summary>
/// <remarks>
/// <para>
/// Not libbpf's ring_buffer__*: it maps the data area twice, back to back, so that a record
/// wrapping past the end reads as one piece; the kernel inserts every page of a ring mapping
/// at mmap time, so a ring of N MiB cost 2N MiB of resident memory. Here the data area is
/// mapped once and the rare record that wraps is copied into a buffer that is kept.
/// </para>
/// <para>
/// Layout (kernel/bpf/ringbuf.c): page 0 holds consumer_pos, the only page user space may
/// map writable; page 1 producer_pos; the data area (max_entries bytes, a power-of-two
/// multiple of the page size) follows. A record is an 8-byte header (u32 length with the
/// BUSY and DISCARD bits, u32 page offset) and the data, 8-byte aligned. Positions count
/// bytes from the start and never wrap; masking gives the offset in the area.
/// </para>
/// </remarks>
public sealed unsafe class RingBufferReader : IDisposable
{
    private const uint BusyBit = 1u << 31;
    private const uint DiscardBit = 1u << 30;
    private const int HeaderSize = 8;

    private readonly IRecordHandler handler;
    private readonly MappedMemoryHandle consumerPage;
    private readonly MappedMemoryHandle producerAndData;
    private readonly ulong* consumerPos;
    private readonly ulong* producerPos;
    private readonly byte* data;
    private readonly ulong ringSize;
    private readonly ulong releaseEvery;
    private byte[] wrapped = new byte[512];
    private bool disposed;

    public RingBufferReader(int mapFd, IRecordHandler handler)
    {
        this.handler = handler;
        ringSize = RingSize(mapFd);
        int page = Environment.SystemPageSize;

        // consumer_pos is ours to write; every producer reads it on each reserve, so it is
        // written once per pass over what the producers published, and within a long pass
        // every quarter ring (so space frees up while a full ring is read), not per record
        releaseEvery = ringSize / 4;
        try
        {
            consumerPage = MappedMemoryHandle.Map(mapFd, 0, (nuint)page, LibC.PROT_READ | LibC.PROT_WRITE, "the ring buffer's consumer page");
            producerAndData = MappedMemoryHandle.Map(mapFd, page, (nuint)page + (nuint)ringSize, LibC.PROT_READ, "the ring buffer's producer page and data");
        }
        catch
        {
            producerAndData?.Dispose();
            consumerPage?.Dispose();
            throw;
        }

        consumerPos = (ulong*)consumerPage.DangerousGetHandle();
        producerPos = (ulong*)producerAndData.DangerousGetHandle();
        data = (byte*)producerAndData.DangerousGetHandle() + page;
    }

    /// <summary>The ring's data area in bytes (the map's max_entries).</summary>
    public long Size => (long)ringSize;

    /// <summary>Records that wrapped past the end of the data area and were handed over as a copy.</summary>
    internal long WrappedRecords { get; private set; }

    /// <summary>
    /// Takes every record now in the ring without waiting, until a record still being written
    /// or the producers' position. An exception from the handler propagates; the record that
    /// threw counts as consumed, the ones after it stay for the next call.
    /// </summary>
    public int Drain()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        bool dataRef = false, consumerRef = false;
        producerAndData.DangerousAddRef(ref dataRef);
        consumerPage.DangerousAddRef(ref consumerRef);
        long handled = 0;
        ulong cons = *consumerPos; // only this reader writes it
        ulong released = cons;
        try
        {
            ulong prod;

            // acquire: pairs with the producer's release store, so the headers before it are seen
            while (cons < (prod = Volatile.Read(ref *producerPos)))
            {
                while (cons < prod)
                {
                    byte* header = data + (cons & (ringSize - 1));

                    // acquire: pairs with the commit's xchg, so the record's bytes are seen
                    uint len = Volatile.Read(ref *(uint*)header);
                    if ((len & BusyBit) != 0)
                    {
                        return Count(handled); // reserved, not committed yet: the rest waits for it
                    }

                    uint size = len & ~(BusyBit | DiscardBit);
                    cons += (size + HeaderSize + 7) & ~7ul;
                    if ((len & DiscardBit) == 0)
                    {
                        handled++;
                        handler.OnRecord(Record(header, size));
                    }

                    if (cons - released >= releaseEvery)
                    {
                        Volatile.Write(ref *consumerPos, cons);
                        released = cons;
                    }
                }

                // release: the kernel must not reuse the space before we are done reading it
                Volatile.Write(ref *consumerPos, cons);
                released = cons;
            }

            return Count(handled);
        }
        finally
        {
            if (cons != released)
            {
                Volatile.Write(ref *consumerPos, cons);
            }

            if (consumerRef)
            {
                consumerPage.DangerousRelease();
            }

            if (dataRef)
            {
                producerAndData.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        producerAndData.Dispose();
        consumerPage.Dispose();
    }

    private static int Count(long handled) => (int)Math.Min(handled, int.MaxValue);

    private ReadOnlySpan<byte> Record(byte* header, uint size)
    {
        // headers are 8-byte aligned and the area a multiple of 8, so a header never wraps;
        // its data may start at the very end (then all of it is at the start) or straddle it
        ulong start = (ulong)(header - data) + HeaderSize;
        if (start + size <= ringSize)
        {
            return new ReadOnlySpan<byte>(data + start, (int)size);
        }

        if (size > ringSize - HeaderSize)
        {
            // the kernel never reserves this much; reading on would leave the mapping
            throw new InvalidDataException($"ring buffer record of {size} bytes in a {ringSize}-byte ring");
        }

        if (wrapped.Length < size)
        {
            wrapped = new byte[Math.Max(size, 2 * (uint)wrapped.Length)];
        }

        int first = (int)(ringSize - start);
        new ReadOnlySpan<byte>(data + start, first).CopyTo(wrapped);
        new ReadOnlySpan<byte>(data, (int)size - first).CopyTo(wrapped.AsSpan(first));
        WrappedRecords++;
        return wrapped.AsSpan(0, (int)size);
    }

    private static ulong RingSize(int mapFd)
    {
        Libbpf.bpf_map_info info = default;
        uint len = (uint)sizeof(Libbpf.bpf_map_info);
        int err = Libbpf.bpf_obj_get_info_by_fd(mapFd, &info, &len);
        if (err != 0)
        {
            throw new LibbpfException($"reading the ring buffer map's info (fd {mapFd})", -err);
        }

        if (info.type != Libbpf.BPF_MAP_TYPE_RINGBUF)
        {
            throw new LibbpfException($"map fd {mapFd} is of type {info.type}, not a ring buffer", LibC.EINVAL);
        }

        return info.max_entries;
    }
}
