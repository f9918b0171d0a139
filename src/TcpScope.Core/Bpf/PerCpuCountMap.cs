using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>Reads a BPF_MAP_TYPE_PERCPU_HASH of __u64 counts by <typeparamref name="TKey"/>, each summed over CPUs.</summary>
public sealed unsafe class PerCpuCountMap<TKey>(int mapFd)
    where TKey : unmanaged
{
    private const int ENOENT = 2;

    private readonly ulong[] perCpu = new ulong[LibbpfRuntime.PossibleCpus()];

    /// <summary>Every key and its count now, into <paramref name="into"/> (cleared first).</summary>
    public void ReadAll(Dictionary<TKey, ulong> into)
    {
        into.Clear();
        TKey key = default, next = default;
        bool first = true;
        fixed (ulong* values = perCpu)
        {
            while (true)
            {
                if (Libbpf.bpf_map_get_next_key(mapFd, first ? null : &key, &next) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == ENOENT)
                    {
                        return;
                    }

                    throw new LibbpfException("listing the keys of a count map", errno);
                }

                first = false;
                key = next;
                // keys are never deleted by the kernel side, but a key that is gone is simply not counted
                if (Libbpf.bpf_map_lookup_elem(mapFd, &key, values) != 0)
                {
                    continue;
                }

                ulong sum = 0;
                foreach (ulong v in perCpu)
                {
                    sum += v;
                }

                into[key] = sum;
            }
        }
    }
}
