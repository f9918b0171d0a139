using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>Owns a struct bpf_link: destroying it detaches the program.</summary>
internal sealed class BpfLinkHandle : SafeHandle
{
    public BpfLinkHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Libbpf.bpf_link__destroy(handle);
        return true;
    }
}
