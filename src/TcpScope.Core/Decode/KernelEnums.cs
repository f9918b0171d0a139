using TcpScope.Bpf;

namespace TcpScope.Decode;

/// <summary>
/// Kernel enum numbers translated by name, as the running kernel's BTF defines them: enum
/// values differ between kernel versions, names do not.
/// </summary>
public sealed class KernelEnums
{
    private const string ResetReasonPrefix = "SK_RST_REASON_";
    private const string DropReasonPrefix = "SKB_DROP_REASON_";

    private readonly TcpState[] tcpStates;
    private readonly IReadOnlyDictionary<long, string> resetReasons;
    private readonly IReadOnlyDictionary<long, string> dropReasons;

    private KernelEnums(TcpState[] tcpStates, IReadOnlyDictionary<long, string>? resetReasons, IReadOnlyDictionary<long, string>? dropReasons, string source, IReadOnlyList<KernelEnumTable> tables)
    {
        this.tcpStates = tcpStates;
        this.resetReasons = resetReasons ?? new Dictionary<long, string>();
        this.dropReasons = dropReasons ?? new Dictionary<long, string>();
        Source = source;
        Tables = tables;
    }

    /// <summary>Where the numbers came from: "kernel BTF", "built-in table" or "recording".</summary>
    public string Source { get; }

    /// <summary>The enums as the kernel numbers them, by member name: what a recording keeps.</summary>
    public IReadOnlyList<KernelEnumTable> Tables { get; }

    /// <summary>The kernel's numbering of <c>TCP_*</c> states as defined in tcp_states.h (no BTF needed).</summary>
    public static KernelEnums BuiltIn { get; } = FromTables([BuiltInStates()], "built-in table");

    /// <summary>
    /// Enums from name/value tables (a recording's): a name this TcpScope does not know is
    /// ignored, a value out of range is skipped, so any table decodes without failing.
    /// </summary>
    public static KernelEnums FromTables(IEnumerable<KernelEnumTable> tables, string source)
    {
        var states = new TcpState[256];
        Dictionary<long, string>? reasons = null;
        Dictionary<long, string>? drops = null;
        var kept = new List<KernelEnumTable>();
        foreach (KernelEnumTable t in tables)
        {
            if (t.Name == KernelEnumTable.TcpStates)
            {
                FillStates(states, t.Members);
            }
            else if (t.Name == KernelEnumTable.ResetReasons)
            {
                reasons = new Dictionary<long, string>();
                foreach ((long value, string name) in t.Members)
                {
                    reasons[value] = name.StartsWith(ResetReasonPrefix, StringComparison.Ordinal) ? name[ResetReasonPrefix.Length..] : name;
                }
            }
            else if (t.Name == KernelEnumTable.DropReasons)
            {
                drops = new Dictionary<long, string>();
                foreach ((long value, string name) in t.Members)
                {
                    // SKB_DROP_REASON_MAX and the subsystem masks are no reasons
                    if (name.StartsWith(DropReasonPrefix, StringComparison.Ordinal) && !name.EndsWith("_MAX", StringComparison.Ordinal) && !name.EndsWith("_MASK", StringComparison.Ordinal))
                    {
                        drops[value] = name[DropReasonPrefix.Length..];
                    }
                }
            }

            kept.Add(t);
        }

        return new KernelEnums(states, reasons, drops, source, kept);
    }

    /// <summary>Reads the running kernel's enums from its BTF.</summary>
    public static KernelEnums FromBtf(BtfTypes btf) =>
        FromEnums(btf.EnumContaining(TcpStateMember), btf.EnumContaining(ResetReasonMember), btf.EnumContaining(DropReasonMember));

    /// <summary>Reads the enums from raw BTF bytes in one pass (see <see cref="RawBtf"/>).</summary>
    public static KernelEnums FromRawBtf(ReadOnlySpan<byte> btf)
    {
        Dictionary<long, string>?[] found = RawBtf.EnumsContaining(btf, TcpStateMember, ResetReasonMember, DropReasonMember);
        return FromEnums(found[0], found[1], found[2]);
    }

    /// <summary>The running kernel's enums, read from /sys/kernel/btf/vmlinux in one pass.</summary>
    public static KernelEnums FromKernel() => FromRawBtf(File.ReadAllBytes(Host.KernelInfo.VmlinuxBtf));

    private const string TcpStateMember = "TCP_ESTABLISHED";

    // enum sk_rst_reason arrived in 6.10; older kernels send resets without a reason
    private const string ResetReasonMember = ResetReasonPrefix + "NOT_SPECIFIED";

    // enum skb_drop_reason arrived in 5.17
    private const string DropReasonMember = DropReasonPrefix + "NOT_SPECIFIED";

    private static KernelEnums FromEnums(IReadOnlyDictionary<long, string>? states, IReadOnlyDictionary<long, string>? resets, IReadOnlyDictionary<long, string>? drops)
    {
        if (states is null)
        {
            throw new InvalidDataException($"the kernel's BTF has no enum with {TcpStateMember}");
        }

        var tables = new List<KernelEnumTable> { new(KernelEnumTable.TcpStates, Sorted(states)) };
        if (resets is not null)
        {
            tables.Add(new(KernelEnumTable.ResetReasons, Sorted(resets)));
        }

        if (drops is not null)
        {
            tables.Add(new(KernelEnumTable.DropReasons, Sorted(drops)));
        }

        return FromTables(tables, "kernel BTF");
    }

    private static KeyValuePair<long, string>[] Sorted(IReadOnlyDictionary<long, string> members) => [.. members.OrderBy(kv => kv.Key)];

    private static void FillStates(TcpState[] map, IEnumerable<KeyValuePair<long, string>> members)
    {
        foreach ((long value, string name) in members)
        {
            if (value is < 0 or >= 256 || !name.StartsWith("TCP_", StringComparison.Ordinal))
            {
                continue;
            }

            // only names TcpState defines: TryParse also takes numbers ("TCP_7"), which are no names
            string suffix = name["TCP_".Length..];
            if (Enum.TryParse(suffix, out TcpState s) && s != Decode.TcpState.Unknown && s.ToString() == suffix)
            {
                map[value] = s;
            }
        }
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

    /// <summary>The name of an <c>enum skb_drop_reason</c> value without its prefix ("NO_SOCKET"); null when unknown or &lt; 0.</summary>
    public string? DropReason(int kernelValue) =>
        kernelValue >= 0 && dropReasons.TryGetValue(kernelValue, out string? name) ? name : null;

    /// <summary>Every <c>enum skb_drop_reason</c> this kernel (or recording) has, by name without its prefix, with its number.</summary>
    public IReadOnlyDictionary<long, string> DropReasons => dropReasons;

    private static KernelEnumTable BuiltInStates() => new(
        KernelEnumTable.TcpStates,
        [.. Enum.GetValues<TcpState>().Where(s => s != Decode.TcpState.Unknown).Select(s => new KeyValuePair<long, string>((byte)s, "TCP_" + s))]);
}
