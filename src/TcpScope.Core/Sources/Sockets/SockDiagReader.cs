using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// Reads a namespace's TCP sockets through netlink sock_diag, one dump per family (IPv4, then
/// IPv6), into a receive buffer reused from dump to dump. The netlink socket is bound to the
/// namespace it was opened in: a reader opened for another namespace reads that one from any
/// thread, without setns per sample. One dump at a time: not for concurrent use.
/// </summary>
public sealed class SockDiagReader : IDisposable
{
    /// <summary>Above the 32 KiB the kernel fills per datagram of a dump (netlink_recvmsg caps max_recvmsg_len there).</summary>
    private const int BufferSize = 64 * 1024;

    private readonly NetlinkSocketHandle socket;
    private readonly byte[] buffer = GC.AllocateUninitializedArray<byte>(BufferSize);
    private uint sequence;

    private SockDiagReader(NetlinkSocketHandle socket) => this.socket = socket;

    /// <summary>Every TCP state (bit N is the kernel's state N, include/net/tcp_states.h).</summary>
    public const uint AllStates = 0xffffffff;

    /// <summary>When set, every datagram received is also written here as it came (test fixtures, bug reports).</summary>
    public Stream? Capture { get; set; }

    /// <summary>True when the kernel flagged the last dump as interrupted: the table changed while it was read.</summary>
    public bool LastDumpInterrupted { get; private set; }

    /// <summary>A reader of the calling thread's namespace.</summary>
    public static SockDiagReader OpenCurrentNamespace() => new(NetlinkSocketHandle.Open(LibC.NETLINK_SOCK_DIAG));

    /// <summary>A reader of the namespace of <paramref name="namespaceFile"/> (a name under /run/netns, or /proc/PID/ns/net).</summary>
    public static SockDiagReader OpenNamespace(string namespaceFile) =>
        NamespaceThread.Run(namespaceFile, OpenCurrentNamespace, "sock-diag-open");

    /// <summary>The bitmask of <paramref name="states"/> (their kernel numbers, which tcp_states.h fixes).</summary>
    public static uint StateMask(params ReadOnlySpan<TcpState> states)
    {
        uint mask = 0;
        foreach (TcpState s in states)
        {
            mask |= 1u << (int)s;
        }

        return mask;
    }

    public List<SocketEntry> Read(KernelEnums enums, uint states = AllStates)
    {
        var list = new List<SocketEntry>();
        Read(enums, states, list);
        return list;
    }

    /// <summary>
    /// Adds the sockets in <paramref name="states"/> to <paramref name="into"/>, listeners with
    /// their half-open count when SYN_RECV is among the states.
    /// </summary>
    public void Read(KernelEnums enums, uint states, List<SocketEntry> into)
    {
        int start = into.Count;
        bool interrupted = false;
        foreach (byte family in (ReadOnlySpan<byte>)[LibC.AF_INET, LibC.AF_INET6])
        {
            sequence = sequence == uint.MaxValue ? 1 : sequence + 1;
            int length = InetDiagRequest.Write(buffer, family, states, sequence);
            socket.Send(buffer.AsSpan(0, length));
            bool done = false;
            while (!done)
            {
                int n = socket.Receive(buffer);
                Capture?.Write(buffer, 0, n);
                done = SockDiagParser.Parse(buffer.AsSpan(0, n), enums, into, out bool cut, sequence);
                interrupted |= cut;
            }
        }

        LastDumpInterrupted = interrupted;
        if ((states & (1u << (int)TcpState.SYN_RECV)) != 0)
        {
            SockDiagParser.CountHalfOpen(into, start);
        }
    }

    public void Dispose() => socket.Dispose();
}
