using System.Buffers.Binary;
using System.Net;
using TcpScope.Decode;
using TcpScope.Interop;
using TcpScope.Sources.Sockets;

namespace TcpScope.Tests;

/// <summary>
/// The sock_diag dump parser on the replies this kernel sent (Fixtures/sockdiag-tcp-dump.bin,
/// see Fixtures/README.md); expected values are what `ss` showed of the same sockets
/// (sockdiag-tcp-dump.ss-ltn.txt, sockdiag-tcp-dump.ss-tanei.txt).
/// </summary>
public class SockDiagParsingTests
{
    private static byte[] Dump() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sockdiag-tcp-dump.bin"));

    private static List<SocketEntry> Parse(byte[] bytes)
    {
        var list = new List<SocketEntry>();
        Assert.True(SockDiagParser.Parse(bytes, KernelEnums.BuiltIn, list));
        SockDiagParser.CountHalfOpen(list);
        return list;
    }

    [Fact]
    public void Listeners_carry_the_accept_queue_and_its_limit_as_ss_shows_them()
    {
        List<SocketEntry> s = Parse(Dump());

        Assert.Equal(22, s.Count);
        // ss -ltn: Recv-Q Send-Q Local
        var listeners = s.Where(x => x.State == TcpState.LISTEN).Select(x => (x.ReceiveQueue, x.AcceptQueueLimit, x.Local.ToString())).ToList();
        Assert.Equal(
            [(0u, (uint?)8u, "127.0.0.1:8083"), (0u, 16u, "127.0.0.1:8081"), (3u, 2u, "127.0.0.1:8080"), (2u, 5u, "[::]:8082")],
            listeners);
        SocketEntry full = s.Single(x => x.State == TcpState.LISTEN && x.Local.Port == 8080);
        Assert.Equal(58914437UL, full.Inode);
        Assert.Equal(3UL, full.Cookie); // ss "sk:3"
        Assert.Equal(0u, full.Uid);
        Assert.Equal(0u, full.SendQueue); // the limit is not a byte count
        Assert.Equal("LISTEN 127.0.0.1:8080, 3 of 2 waiting for accept() (full)", full.ToString());
    }

    [Fact]
    public void Request_sockets_are_syn_recv_without_inode_and_counted_for_their_listener()
    {
        List<SocketEntry> s = Parse(Dump());

        List<SocketEntry> requests = s.Where(x => x.State == TcpState.SYN_RECV).ToList();
        Assert.Equal([33262, 33256], requests.Select(r => r.Remote.Port));
        Assert.All(requests, r =>
        {
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8081), r.Local);
            Assert.Equal(0UL, r.Inode);
            Assert.Equal(1, r.Timer); // SYN-ACK retransmit timer, ss "timer:(on,...)"
            Assert.Null(r.AcceptQueueLimit);
        });
        Assert.Equal([0, 2, 0, 0], s.Where(x => x.State == TcpState.LISTEN).Select(x => x.HalfOpen));
        Assert.Equal("LISTEN 127.0.0.1:8081, 0 of 16 waiting for accept(), 2 half-open", s.Single(x => x.State == TcpState.LISTEN && x.HalfOpen > 0).ToString());
    }

    [Fact]
    public void Other_states_keep_their_queues_and_addresses()
    {
        List<SocketEntry> s = Parse(Dump());

        SocketEntry unread = s.Single(x => x.State == TcpState.ESTABLISHED && x.ReceiveQueue > 0);
        Assert.Equal((5u, 58914456UL, 55016), (unread.ReceiveQueue, unread.Inode, unread.Remote.Port));
        SocketEntry waiting = Assert.Single(s, x => x.State == TcpState.SYN_SENT);
        Assert.Equal((1u, 50098, 8080), (waiting.SendQueue, waiting.Local.Port, waiting.Remote.Port));
        SocketEntry tw = Assert.Single(s, x => x.State == TcpState.TIME_WAIT);
        Assert.Equal((8083, 55022, 3), (tw.Local.Port, tw.Remote.Port, (int)tw.Timer));
        Assert.Contains(s, x => x.Local.Equals(IPEndPoint.Parse("[::ffff:127.0.0.1]:8082")) && x.Inode == 0); // an IPv4 client of [::]
        Assert.Contains(s, x => x.Local.Equals(IPEndPoint.Parse("[::1]:41002")) && x.Inode == 58914450);
        Assert.Equal(5, s.Count(x => x.State == TcpState.ESTABLISHED && x.Inode == 0)); // unaccepted: 3 at :8080, 2 at :8082
    }

    [Fact]
    public void A_dump_is_done_only_at_its_last_done_message()
    {
        byte[] bytes = Dump();
        int last = LastMessageOffset(bytes);

        var list = new List<SocketEntry>();
        Assert.False(SockDiagParser.Parse(bytes.AsSpan(0, last), KernelEnums.BuiltIn, list));
        Assert.Equal(22, list.Count);
    }

    [Fact]
    public void Replies_to_another_request_are_skipped()
    {
        // the capture holds the IPv4 dump (sequence 1), then the IPv6 dump (sequence 2)
        var v6 = new List<SocketEntry>();
        Assert.True(SockDiagParser.Parse(Dump(), KernelEnums.BuiltIn, v6, out bool interrupted, sequence: 2));

        Assert.False(interrupted);
        Assert.Equal(4, v6.Count);
        Assert.All(v6, x => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, x.Local.AddressFamily));
        var v4 = new List<SocketEntry>();
        Assert.True(SockDiagParser.Parse(Dump(), KernelEnums.BuiltIn, v4, out _, sequence: 1));
        Assert.Equal(18, v4.Count);
    }

    [Fact]
    public void An_error_answer_throws_with_its_errno()
    {
        byte[] error = Message(LibC.NLMSG_ERROR, [.. Int32(-1), .. new byte[16]]); // -EPERM and the request's header

        var e = Assert.Throws<NetlinkException>(() => SockDiagParser.Parse(error, KernelEnums.BuiltIn, []));
        Assert.Equal(1, e.Errno);
        Assert.Contains("EPERM", e.Message);
    }

    [Fact]
    public void A_done_carrying_an_error_throws()
    {
        var e = Assert.Throws<NetlinkException>(() => SockDiagParser.Parse(Message(LibC.NLMSG_DONE, Int32(-105)), KernelEnums.BuiltIn, []));
        Assert.Equal(105, e.Errno); // ENOBUFS
    }

    [Fact]
    public void A_cut_message_is_refused()
    {
        byte[] bytes = Dump();
        Assert.Throws<NetlinkException>(() => SockDiagParser.Parse(bytes.AsSpan(0, 100), KernelEnums.BuiltIn, []));
    }

    [Fact]
    public void Half_open_requests_go_to_the_exact_listener_before_a_wildcard()
    {
        List<SocketEntry> s =
        [
            Listener("0.0.0.0:80"),
            Listener("10.0.0.1:80"),
            Listener("[::]:443"),
            Request("10.0.0.1:80"),
            Request("10.0.0.2:80"),
            Request("10.0.0.2:80"),
            Request("10.0.0.3:443"), // IPv4 to a dual-stack listener
            Request("[fd00::1]:443"),
            Request("10.0.0.1:8080"), // no listener
        ];

        SockDiagParser.CountHalfOpen(s);

        Assert.Equal([2, 1, 2], s.Take(3).Select(x => x.HalfOpen));
    }

    private static SocketEntry Listener(string local) =>
        new(IPEndPoint.Parse(local), new IPEndPoint(IPAddress.Any, 0), TcpState.LISTEN, 0, 0, 0, 0, 0, 1) { AcceptQueueLimit = 4096 };

    private static SocketEntry Request(string local) =>
        new(IPEndPoint.Parse(local), IPEndPoint.Parse("192.0.2.9:40000"), TcpState.SYN_RECV, 0, 0, 1, 1000, 0, 0);

    private static byte[] Int32(int v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] Message(ushort type, byte[] payload)
    {
        var m = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), type);
        payload.CopyTo(m, 16);
        return m;
    }

    private static int LastMessageOffset(byte[] bytes)
    {
        int at = 0;
        int last = 0;
        while (at < bytes.Length)
        {
            last = at;
            at += (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)) + 3) & ~3;
        }

        return last;
    }
}
