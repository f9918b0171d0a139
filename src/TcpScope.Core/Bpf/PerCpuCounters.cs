using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>Reads a BPF_MAP_TYPE_PERCPU_ARRAY of __u64 counters, summed over CPUs.</summary>
public sealed unsafe class PerCpuCounters(int mapFd)
{
    private readonly ulong[] perCpu = new ulong[LibbpfRuntime.PossibleCpus()];

    public ulong Sum(uint index)
    {
        fixed (ulong* values = perCpu)
        {
            if (Libbpf.bpf_map_lookup_elem(mapFd, &index, values) != 0)
            {
                throw new LibbpfException($"reading counter {index}", Marshal.GetLastPInvokeError());
            }
        }

        ulong sum = 0;
        foreach (ulong v in perCpu)
        {
            sum += v;
        }

        return sum;
    }
}
