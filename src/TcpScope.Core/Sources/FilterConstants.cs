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
    }
}
