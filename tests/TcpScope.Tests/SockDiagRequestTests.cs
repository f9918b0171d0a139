using TcpScope.Decode;
using TcpScope.Interop;
using TcpScope.Sources.Sockets;

namespace TcpScope.Tests;

/// <summary>
/// The sock_diag structs and the dump request against the uapi layout. Sizes and offsets are
/// those a C program printed on the development machine from linux/netlink.h and linux/inet_diag.h
/// (sizeof, offsetof): nlmsghdr 16, inet_diag_sockid 48 (src at 4, dst at 20, cookie at 40),
/// inet_diag_req_v2 56, inet_diag_msg 72 (id at 4, rqueue 56, wqueue 60, uid 64, inode 68).
/// </summary>
public unsafe class SockDiagRequestTests
{
    [Fact]
    public void Structs_have_the_kernels_sizes()
    {
        Assert.Equal(16, sizeof(LibC.nlmsghdr));
        Assert.Equal(20, sizeof(LibC.nlmsgerr));
        Assert.Equal(12, sizeof(LibC.sockaddr_nl));
        Assert.Equal(48, sizeof(LibC.inet_diag_sockid));
        Assert.Equal(56, sizeof(LibC.inet_diag_req_v2));
        Assert.Equal(72, sizeof(LibC.inet_diag_msg));
        Assert.Equal(4 + 4, InetDiagMessage.SourceOffset);
        Assert.Equal(4 + 20, InetDiagMessage.DestinationOffset);
    }

    [Fact]
    public void Fields_sit_at_the_kernels_offsets()
    {
        var m = default(LibC.inet_diag_msg);
        byte* b = (byte*)&m;
        Assert.Equal(4, (byte*)&m.id - b);
        Assert.Equal(4 + 40, (byte*)m.id.idiag_cookie - b);
        Assert.Equal(52, (byte*)&m.idiag_expires - b);
        Assert.Equal(56, (byte*)&m.idiag_rqueue - b);
        Assert.Equal(60, (byte*)&m.idiag_wqueue - b);
        Assert.Equal(64, (byte*)&m.idiag_uid - b);
        Assert.Equal(68, (byte*)&m.idiag_inode - b);
    }

    [Fact]
    public void A_dump_request_is_byte_exact()
    {
        var buffer = new byte[100];
        buffer.AsSpan().Fill(0xAA); // what the request does not cover stays as it was

        uint states = SockDiagReader.StateMask(TcpState.LISTEN, TcpState.SYN_RECV);
        int n = InetDiagRequest.Write(buffer, LibC.AF_INET6, states, 0x01020304);

        byte[] expected =
        [
            72, 0, 0, 0, // nlmsg_len: 16 + 56
            20, 0, // nlmsg_type SOCK_DIAG_BY_FAMILY
            0x01, 0x03, // nlmsg_flags NLM_F_REQUEST | NLM_F_ROOT | NLM_F_MATCH (0x301)
            4, 3, 2, 1, // nlmsg_seq
            0, 0, 0, 0, // nlmsg_pid: the kernel
            10, 6, 0, 0, // sdiag_family AF_INET6, sdiag_protocol IPPROTO_TCP, idiag_ext none, pad
            0x08, 0x04, 0, 0, // idiag_states: 1 << 10 (LISTEN) | 1 << 3 (SYN_RECV)
            .. new byte[48], // id: any socket
        ];
        Assert.Equal(72, n);
        Assert.Equal(expected, buffer[..n]);
        Assert.All(buffer[n..], b => Assert.Equal(0xAA, b));
    }
}
