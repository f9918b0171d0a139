using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>
/// One inet_diag_msg (the start of a SOCK_DIAG_BY_FAMILY reply; attributes may follow and are
/// not read), under names the layers above use. Ports are returned in host order, addresses
/// as the 4 or 16 bytes of network order.
/// </summary>
internal readonly unsafe ref struct InetDiagMessage
{
    public static readonly int Size = sizeof(LibC.inet_diag_msg);

    /// <summary>Offsets of id.idiag_src and id.idiag_dst in inet_diag_msg (4 bytes of family..retrans, then the ports).</summary>
    internal const int SourceOffset = 8;
    internal const int DestinationOffset = 24;

    private readonly ReadOnlySpan<byte> raw;

    private InetDiagMessage(ReadOnlySpan<byte> raw) => this.raw = raw;

    public static bool TryRead(ReadOnlySpan<byte> payload, out InetDiagMessage message)
    {
        message = payload.Length >= Size ? new InetDiagMessage(payload[..Size]) : default;
        return payload.Length >= Size;
    }

    private ref readonly LibC.inet_diag_msg Msg => ref MemoryMarshal.AsRef<LibC.inet_diag_msg>(raw);

    public byte Family => Msg.idiag_family;

    /// <summary>The kernel's state number; request sockets are reported as TCP_SYN_RECV, TIME_WAIT ones by their substate.</summary>
    public byte State => Msg.idiag_state;

    /// <summary>0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero window probe (as /proc/net/tcp's "tr").</summary>
    public byte Timer => Msg.idiag_timer;

    public byte Retransmits => Msg.idiag_retrans;

    public ushort LocalPort => BinaryPrimitives.ReverseEndianness(Msg.id.idiag_sport);

    public ushort RemotePort => BinaryPrimitives.ReverseEndianness(Msg.id.idiag_dport);

    public ReadOnlySpan<byte> LocalAddress => AddressAt(SourceOffset);

    public ReadOnlySpan<byte> RemoteAddress => AddressAt(DestinationOffset);

    /// <summary>The socket cookie (SO_COOKIE, bpf_get_socket_cookie).</summary>
    public ulong Cookie => Msg.id.idiag_cookie[0] | ((ulong)Msg.id.idiag_cookie[1] << 32);

    /// <summary>Milliseconds until the timer fires.</summary>
    public uint ExpiresMs => Msg.idiag_expires;

    /// <summary>For a listener: connections waiting for accept(); otherwise bytes received, unread.</summary>
    public uint ReceiveQueue => Msg.idiag_rqueue;

    /// <summary>For a listener: the accept queue's limit (the backlog in force); otherwise bytes not yet acknowledged.</summary>
    public uint SendQueue => Msg.idiag_wqueue;

    public uint Uid => Msg.idiag_uid;

    public uint Inode => Msg.idiag_inode;

    private ReadOnlySpan<byte> AddressAt(int offset) => raw.Slice(offset, Family == LibC.AF_INET6 ? 16 : 4);
}
