using TcpScope.Bpf;

namespace TcpScope.Decode;

/// <summary>
/// Kernel enum numbers translated by name, as the running kernel's BTF defines them: enum
/// values differ between kernel versions, names do not.
/// </summary>
public sealed class KernelEnums
{
    private const string ResetReasonPrefix = "SK_RST_REASON_";

    private readonly TcpState[] tcpStates;
    private readonly IReadOnlyDictionary<long, string> resetReasons;

    private KernelEnums(TcpState[] tcpStates, IReadOnlyDictionary<long, string>? resetReasons, string source)
    {
        this.tcpStates = tcpStates;
        this.resetReasons = resetReasons ?? new Dictionary<long, string>();
        Source = source;
    }

    /// <summary>Where the numbers came from: "kernel BTF" or "built-in table".</summary>
    public string Source { get; }

    /// <summary>The kernel's numbering of <c>TCP_*</c> states as defined in tcp_states.h (no BTF needed).</summary>
    public static KernelEnums BuiltIn { get; } = new(IdentityStates(), null, "built-in table");

    /// <summary>Reads the running kernel's enums from its BTF.</summary>
    public static KernelEnums FromBtf(BtfTypes btf) =>
        FromEnums(btf.EnumContaining(TcpStateMember), btf.EnumContaining(ResetReasonMember));

    /// <summary>Reads the enums from raw BTF bytes in one pass (see <see cref="RawBtf"/>).</summary>
    public static KernelEnums FromRawBtf(ReadOnlySpan<byte> btf)
    {
        Dictionary<long, string>?[] found = RawBtf.EnumsContaining(btf, TcpStateMember, ResetReasonMember);
        return FromEnums(found[0], found[1]);
    }

    /// <summary>The running kernel's enums, read from /sys/kernel/btf/vmlinux in one pass.</summary>
    public static KernelEnums FromKernel() => FromRawBtf(File.ReadAllBytes(Host.KernelInfo.VmlinuxBtf));

    private const string TcpStateMember = "TCP_ESTABLISHED";

    // enum sk_rst_reason arrived in 6.10; older kernels send resets without a reason
    private const string ResetReasonMember = ResetReasonPrefix + "NOT_SPECIFIED";

    private static KernelEnums FromEnums(IReadOnlyDictionary<long, string>? states, IReadOnlyDictionary<long, string>? resets)
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

        Dictionary<long, string>? reasons = resets?.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.StartsWith(ResetReasonPrefix, StringComparison.Ordinal) ? kv.Value[ResetReasonPrefix.Length..] : kv.Value);
        return new KernelEnums(map, reasons, "kernel BTF");
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

    /// <summary>The name of an <c>enum sk_rst_reason</c> value without its prefix ("NO_SOCKET"); null when unknown or &lt; 0.</summary>
    public string? ResetReason(int kernelValue) =>
        kernelValue >= 0 && resetReasons.TryGetValue(kernelValue, out string? name) ? name : null;

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
