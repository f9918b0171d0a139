using System.Runtime.CompilerServices;
using System.Text;
using TcpScope.Bpf;
using TcpScope.Decode.Abi;

namespace TcpScope.Sources;

/// <summary>Writes a <see cref="StatesFilter"/> into the filter globals of bpf/filters.bpf.h before load.</summary>
internal static class FilterConstants
{
    public static void Apply(BpfObject obj, StatesFilter filter)
    {
        if (filter.LocalPorts.Count > StatesFilter.MaxPorts || filter.RemotePorts.Count > StatesFilter.MaxPorts)
        {
            throw new ArgumentException($"at most {StatesFilter.MaxPorts} local and {StatesFilter.MaxPorts} remote ports", nameof(filter));
        }

        obj.SetConstant("filter_family", (ushort)filter.Family);
        obj.SetConstant("filter_netns", filter.NetNs);
        obj.SetConstant("filter_pid", filter.Pid);
        obj.SetConstant("filter_lport_count", (uint)filter.LocalPorts.Count);
        obj.SetConstantArray<ushort>("filter_lports", filter.LocalPorts.ToArray());
        obj.SetConstant("filter_rport_count", (uint)filter.RemotePorts.Count);
        obj.SetConstantArray<ushort>("filter_rports", filter.RemotePorts.ToArray());
        if (filter.Comm is { } comm)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(comm);
            if (bytes.Length >= Unsafe.SizeOf<Comm>())
            {
                throw new ArgumentException($"a command name has at most {Unsafe.SizeOf<Comm>() - 1} bytes ('{comm}' has {bytes.Length})", nameof(filter));
            }

            obj.SetConstant("filter_comm_set", true);
            obj.SetConstantArray<byte>("filter_comm", bytes);
        }

        if (obj.Name == EmbeddedObjects.Drops && filter.DropReasons.Count > 0)
        {
            obj.SetConstant("filter_reason_set", true);
            obj.SetConstantArray<ulong>("filter_reasons", ReasonBitmap(filter.DropReasons));
        }
    }

    /// <summary>The bitmap of drops.bpf.c's filter_reasons: bit N of word N / 64 for reason N.</summary>
    public static ulong[] ReasonBitmap(IReadOnlyList<int> reasons)
    {
        var words = new ulong[ReasonWords];
        foreach (int r in reasons)
        {
            if (r is < 0 or >= ReasonWords * 64)
            {
                throw new ArgumentException($"drop reason {r} is beyond what the kernel filter holds (0-{(ReasonWords * 64) - 1})", nameof(reasons));
            }

            words[r / 64] |= 1UL << (r % 64);
        }

        return words;
    }

    /// <summary>TS_DROP_REASON_WORDS of bpf/drops.bpf.c.</summary>
    public const int ReasonWords = StatesFilter.DropReasonLimit / 64;
}
