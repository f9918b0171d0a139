using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>
/// A sock_diag dump request: nlmsghdr (SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP) followed
/// by inet_diag_req_v2 for TCP of one address family, with a bitmask of states (bit N = state N).
/// No extensions and no bytecode filter: only what inet_diag_msg carries.
/// </summary>
internal static unsafe class InetDiagRequest
{
    public static readonly int Size = sizeof(LibC.nlmsghdr) + sizeof(LibC.inet_diag_req_v2);

    /// <summary>Writes the request into <paramref name="destination"/> (at least <see cref="Size"/> bytes); returns its length.</summary>
    public static int Write(Span<byte> destination, byte family, uint states, uint sequence)
    {
        var header = new LibC.nlmsghdr
        {
            nlmsg_len = (uint)Size,
            nlmsg_type = LibC.SOCK_DIAG_BY_FAMILY,
            nlmsg_flags = LibC.NLM_F_REQUEST | LibC.NLM_F_DUMP,
            nlmsg_seq = sequence,
            nlmsg_pid = 0,
        };
        var request = new LibC.inet_diag_req_v2
        {
            sdiag_family = family,
            sdiag_protocol = LibC.IPPROTO_TCP,
            idiag_states = states,
        };
        Span<byte> d = destination[..Size];
        d.Clear();
        MemoryMarshal.Write(d, in header);
        MemoryMarshal.Write(d[sizeof(LibC.nlmsghdr)..], in request);
        return Size;
    }
}
