using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// The kernel side learns a listener's owner when listen() runs (bpf/sockets.bpf.h's listeners
/// map), so a listener opened before the trace would leave its passive children, and the drops
/// at its port, without an owner. At start the map is filled from the socket tables instead:
/// every listener of every namespace in sight (sock_diag), named by the process holding its
/// inode (/proc/*/fd). Best effort: a namespace that cannot be entered (no CAP_SYS_ADMIN) or a
/// process whose descriptors cannot be read (no CAP_SYS_PTRACE) is skipped; what the kernel
/// learnt meanwhile is kept (BPF_NOEXIST).
/// </summary>
public static unsafe class ListenerSeed
{
    /// <summary>bpf/maps.bpf.h's struct listener_key.</summary>
    private struct Key
    {
        public uint NetNs;
        public ushort Port;
        public ushort Pad;
    }

    /// <summary>bpf/maps.bpf.h's struct listener_owner.</summary>
    private struct Owner
    {
        public uint Pid;
        public uint Pad;
        public Decode.Abi.Comm Comm;
    }

    /// <summary>Fills the listeners map behind <paramref name="mapFd"/>; returns how many listeners got an owner.</summary>
    public static int Fill(int mapFd)
    {
        var listeners = new List<(uint NetNs, SocketEntry Entry)>();
        foreach ((uint netns, string path) in NetworkNamespaces.AllInSight())
        {
            try
            {
                using SockDiagReader reader = netns == NetworkNamespaces.Current() ? SockDiagReader.OpenCurrentNamespace() : SockDiagReader.OpenNamespace(path);
                foreach (SocketEntry e in reader.Read(KernelEnums.BuiltIn, SockDiagReader.StateMask(TcpState.LISTEN)))
                {
                    listeners.Add((netns, e));
                }
            }
            catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // a namespace this process may not enter, or one that went away: its listeners keep learning at listen()
            }
        }

        if (listeners.Count == 0)
        {
            return 0;
        }

        SocketOwnerMap owners = SocketOwnerScan.Scan(wanted: listeners.Select(l => l.Entry.Inode).ToHashSet());
        int filled = 0;
        foreach ((uint netns, SocketEntry e) in listeners)
        {
            IReadOnlyList<SocketOwner> held = owners.Owners(e.Inode);
            if (held.Count == 0)
            {
                continue;
            }

            // a listener shared after fork(): the first holder, as listen() would have named the one that called it
            var key = new Key { NetNs = netns, Port = (ushort)e.Local.Port };
            var owner = new Owner { Pid = (uint)held[0].Pid, Comm = CommText.From(held[0].Comm) };
            if (Libbpf.bpf_map_update_elem(mapFd, &key, &owner, Libbpf.BPF_NOEXIST) == 0)
            {
                filled++;
            }
        }

        return filled;
    }
}
