using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The plain words of a drop or reset line, from the segment and what the socket told.</summary>
public class DropTextTests
{
    private static PacketDrop With(PacketDrop d, uint ackBacklog = 0, uint max = 0, uint seq = 0, uint rcvNxt = 0, uint tsval = 0, uint tsRecent = 0) => d with
    {
        AckBacklog = ackBacklog,
        MaxAckBacklog = max,
        Seq = seq,
        TwRcvNxt = rcvNxt,
        TwSubstate = TcpState.TIME_WAIT,
        TsVal = tsval,
        TwTsRecent = tsRecent,
    };

    [Fact]
    public void A_handshake_ack_at_a_full_accept_queue_names_the_queue_and_the_owner()
    {
        PacketDrop d = With(Drop(1, "TCP_LISTEN_OVERFLOW", tcpFlags: 0x10, state: TcpState.LISTEN, socket: 0xa, ownerPid: 4711, ownerComm: "server", extra: DropEventFlags.Listener), ackBacklog: 3, max: 2);

        Assert.Equal("handshake ACK for :8080 dropped: accept queue full (3/2), owner server[4711]", DropText.Describe(d, "tcp_v4_rcv+0x99"));
    }

    [Fact]
    public void A_syn_at_time_wait_compares_its_seq_with_rcv_nxt()
    {
        PacketDrop d = With(Drop(1, "NOT_SPECIFIED", reasonNumber: 2, state: TcpState.TIME_WAIT, socket: 0xa, extra: DropEventFlags.TimeWait), seq: 2851797340, rcvNxt: 2851797348);

        Assert.StartsWith("SYN seq 2851797340 <= rcv_nxt 2851797348 of the TIME_WAIT socket: answered with a bare ACK", DropText.Describe(d, ""), StringComparison.Ordinal);
    }

    [Fact]
    public void The_seq_comparison_is_serial_arithmetic_across_the_wrap()
    {
        // 10 is after 4294967290 modulo 2^32: not the "<= rcv_nxt" case
        PacketDrop d = With(Drop(1, "NOT_SPECIFIED", reasonNumber: 2, state: TcpState.TIME_WAIT, socket: 0xa, extra: DropEventFlags.TimeWait), seq: 10, rcvNxt: 4294967290);

        Assert.DoesNotContain("<=", DropText.Describe(d, ""), StringComparison.Ordinal);
    }

    [Fact]
    public void A_paws_reject_compares_tsval_with_ts_recent()
    {
        PacketDrop d = With(Drop(1, "TCP_RFC7323_TW_PAWS", reasonNumber: 38, state: TcpState.TIME_WAIT, socket: 0xa, extra: DropEventFlags.TimeWait | DropEventFlags.Timestamp), tsval: 28962444, tsRecent: 869333586);

        Assert.StartsWith("SYN TSval 28962444 older than ts_recent 869333586: PAWS reject", DropText.Describe(d, ""), StringComparison.Ordinal);
    }

    [Fact]
    public void A_syn_to_a_closed_port_and_its_reset_say_connection_refused()
    {
        Assert.Equal("SYN to :8080: nobody listens there (the kernel answers RST: connection refused)", DropText.Describe(Drop(1, "NO_SOCKET"), ""));
        Assert.Equal("RST to 198.18.0.1:41234 for its S: nobody listens on :8080 (connection refused)", DropText.Describe(Drop(1, "NO_SOCKET", kind: DropKind.Reset, reasonNumber: 1), ""));
    }

    [Fact]
    public void A_reset_for_a_segment_that_is_not_a_syn_is_no_refusal()
    {
        Assert.Equal(
            "RST to 198.18.0.1:41234 for its A: no socket on :8080 (the connection it belongs to is gone)",
            DropText.Describe(Drop(1, "NO_SOCKET", kind: DropKind.Reset, reasonNumber: 1, tcpFlags: 0x10), ""));
    }

    [Fact]
    public void A_listener_answering_no_socket_gets_the_accept_queue_remedy_not_the_no_server_one()
    {
        PacketDrop atListener = Drop(1, "NO_SOCKET", tcpFlags: 0x10, state: TcpState.LISTEN, socket: 0xffff888100000000, extra: DropEventFlags.Socket | DropEventFlags.Listener);
        Assert.Contains("accept()", DropText.Remedy(atListener), StringComparison.Ordinal);
        Assert.Contains("listens on this address", DropText.Remedy(Drop(1, "NO_SOCKET")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_drop_without_a_reason_names_where_it_was_freed_and_guesses_nothing()
    {
        Assert.Equal("PA segment to :8080: freed without a reason by __rtnl_unlock+0x4a", DropText.Describe(Drop(1, "NOT_SPECIFIED", reasonNumber: 2, tcpFlags: 0x18), "__rtnl_unlock+0x4a"));
    }

    [Fact]
    public void A_firewall_drop_names_the_namespace()
    {
        Assert.Equal($"SYN to :8080 dropped by a firewall rule in netns {NetNs}", DropText.Describe(Drop(1, "NETFILTER_DROP", reasonNumber: 12), ""));
    }

    [Fact]
    public void A_reason_without_words_falls_back_to_its_name_and_location()
    {
        Assert.Equal("PA segment to :8080: SOME_NEW_REASON at nf_hook_slow+0x1", DropText.Describe(Drop(1, "SOME_NEW_REASON", reasonNumber: 99, tcpFlags: 0x18), "nf_hook_slow+0x1"));
        Assert.Equal("PA segment to :8080: no reason given by this kernel at tcp_v4_rcv+0x2", DropText.Describe(Drop(1, null!, reasonNumber: -1, tcpFlags: 0x18), "tcp_v4_rcv+0x2"));
    }

    [Theory]
    [InlineData(0x02, "S")]
    [InlineData(0x12, "SA")]
    [InlineData(0x10, "A")]
    [InlineData(0x04, "R")]
    [InlineData(0x14, "RA")]
    [InlineData(0x11, "FA")]
    [InlineData(0x18, "PA")]
    [InlineData(0x00, "-")]
    public void Tcp_flags_read_as_tools_print_them(byte flags, string text)
    {
        Assert.Equal(text, TcpFlagsText.Of(flags));
    }
}
