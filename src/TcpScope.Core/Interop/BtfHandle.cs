using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>Owns a struct btf parsed or loaded by libbpf.</summary>
internal sealed class BtfHandle : SafeHandle
{
    public BtfHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.btf__free(handle);
        return true;
    }
}
