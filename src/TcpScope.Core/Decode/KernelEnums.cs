using TcpScope.Bpf;

namespace TcpScope.Decode;

/// <summary>
/// Kernel enum numbers translated by name, as the running kernel's BTF defines them: enum
/// values differ between kernel versions, names do not.
/// </summary>
public sealed class KernelEnums
{
    private readonly TcpState[] tcpStates;

    private KernelEnums(TcpState[] tcpStates, string source)
    {
        this.tcpStates = tcpStates;
        Source = source;
    }

    /// <summary>Where the numbers came from: "kernel BTF" or "built-in table".</summary>
    public string Source { get; }

    /// <summary>The kernel's numbering of <c>TCP_*</c> states as defined in tcp_states.h (no BTF needed).</summary>
    public static KernelEnums BuiltIn { get; } = new(IdentityStates(), "built-in table");

    /// <summary>Reads the running kernel's enums from its BTF.</summary>
    public static KernelEnums FromBtf(BtfTypes btf) => FromStateEnum(btf.EnumContaining(TcpStateMember));

    /// <summary>Reads the enums from raw BTF bytes in one pass (see <see cref="RawBtf"/>).</summary>
    public static KernelEnums FromRawBtf(ReadOnlySpan<byte> btf) => FromStateEnum(RawBtf.EnumContaining(btf, TcpStateMember));

    /// <summary>The running kernel's enums, read from /sys/kernel/btf/vmlinux in one pass.</summary>
    public static KernelEnums FromKernel() => FromRawBtf(File.ReadAllBytes(Host.KernelInfo.VmlinuxBtf));

    private const string TcpStateMember = "TCP_ESTABLISHED";

    private static KernelEnums FromStateEnum(IReadOnlyDictionary<long, string>? states)
    {
        if (states is null)
        {
            throw new InvalidDataException($"the kernel's BTF has no enum with {TcpStateMember}");
        }

        var map = new TcpState[256];
        foreach ((long value, string name) in states)
        {
            if (value is >= 0 and < 256 && name.StartsWith("TCP_", StringComparison.Ordinal)
                && Enum.TryParse(name["TCP_".Length..], out TcpState s))
            {
                map[value] = s;
            }
        }

        return new KernelEnums(map, "kernel BTF");
    }

    /// <summary>The kernel's BTF if it can be read, else the built-in table.</summary>
    public static KernelEnums LoadOrBuiltIn()
    {
        try
        {
            return FromKernel();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return BuiltIn;
        }
    }

    public TcpState TcpState(byte kernelValue) => tcpStates[kernelValue];

    private static TcpState[] IdentityStates()
    {
        var map = new TcpState[256];
        foreach (TcpState s in Enum.GetValues<TcpState>())
        {
            map[(byte)s] = s;
        }

        return map;
    }
}
