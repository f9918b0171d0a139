using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>Owns a struct bpf_object, closed with bpf_object__close.</summary>
internal sealed class BpfObjectHandle : SafeHandle
{
    public BpfObjectHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.bpf_object__close(handle);
        return true;
    }
}
