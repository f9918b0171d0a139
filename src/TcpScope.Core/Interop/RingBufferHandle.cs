using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>Owns a struct ring_buffer, libbpf's consumer of a BPF ring buffer map.</summary>
internal sealed class RingBufferHandle : SafeHandle
{
    public RingBufferHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.ring_buffer__free(handle);
        return true;
    }
}
