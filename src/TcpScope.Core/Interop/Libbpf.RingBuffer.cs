using System.Runtime.InteropServices;

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    /// <summary>ring_buffer_sample_fn: int (*)(void *ctx, void *data, size_t size).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial RingBufferHandle ring_buffer__new(int map_fd, delegate* unmanaged<nint, byte*, nuint, int> sample_cb, nint ctx, void* opts);

    [LibraryImport(Library)]
    public static partial void ring_buffer__free(nint rb);

    [LibraryImport(Library)]
    public static partial int ring_buffer__poll(RingBufferHandle rb, int timeout_ms);

    [LibraryImport(Library)]
    public static partial int ring_buffer__consume(RingBufferHandle rb);
}
