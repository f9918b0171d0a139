using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

public sealed unsafe partial class BpfObject
{
    /// <summary>
    /// Sets a <c>const volatile</c> global before load. The verifier then sees it as a
    /// constant and prunes the filter branches it disables.
    /// </summary>
    public void SetConstant<T>(string name, T value)
        where T : unmanaged => SetConstant(name, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Sets a <c>const volatile</c> array global; unused trailing elements stay zero.</summary>
    public void SetConstantArray<T>(string name, ReadOnlySpan<T> values)
        where T : unmanaged => SetConstant(name, MemoryMarshal.AsBytes(values), allowShorter: true);

    private void SetConstant(string name, ReadOnlySpan<byte> bytes, bool allowShorter = false)
    {
        EnsureNotLoaded();
        BtfVariable v = Btf.DataSectionVariables(".rodata").FirstOrDefault(x => x.Name == name)
            ?? throw new ArgumentException($"{Name} has no constant {name}", nameof(name));
        if (bytes.Length > v.Size || (!allowShorter && bytes.Length != v.Size))
        {
            throw new ArgumentException($"{Name}: constant {name} is {v.Size} bytes, not {bytes.Length}", nameof(name));
        }

        nuint size;
        byte* data = (byte*)Libbpf.bpf_map__initial_value(Map(".rodata"), &size);
        if (data is null || v.Offset + v.Size > size)
        {
            throw new InvalidOperationException($"{Name}: .rodata is not writable here");
        }

        var target = new Span<byte>(data + v.Offset, (int)v.Size);
        target.Clear();
        bytes.CopyTo(target);
    }
}
