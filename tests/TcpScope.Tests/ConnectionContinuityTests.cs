using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>
/// A record never folds two sockets together: when events are lost (a full ring) or a socket's
/// address is reused unseen, the record that cannot continue ends as incomplete and the next
/// events start a new one. Sequences are what the kernel emits, with some records left out.
/// </summary>
public class ConnectionContinuityTests
{
    private const ulong Sk = 0xffff888108089280;
    private const long Ms = 1_000_000;
    private const string Client = "198.18.0.1:40170";
    private const string Server = "198.18.0.2:80";

    private readonly List<Connection> closed = [];
    private readonly List<ConnectAttempt> attempts = [];

    private ConnectionTable Table(bool stacks = false) => new([new Recorder(closed, attempts)], null, ConnectionTable.DefaultCapacity, stacks);

    [Fact]
    public void Lost_close_then_a_new_socket_at_the_address_ends_the_old_record_as_incomplete()
    {
        ConnectionTable t = Table();
        // a client, then its FIN_WAIT2 -> CLOSE is lost and the address becomes a server's accepted socket
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        t.OnStateChange(State(2 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, Client, Server));
        t.OnStateChange(State(3 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, Client, Server));
        t.OnStateChange(State(5 * Ms, Sk, TcpState.LISTEN, TcpState.SYN_RECV, Server, Client));
        t.OnStateChange(State(5 * Ms, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, Server, Client));
        t.OnIdle(6 * Ms);

        Connection old = Assert.Single(closed);
        Assert.True(old.Incomplete);
        Assert.Null(old.EndedNs);
        Assert.Equal([TcpState.CLOSE, TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2], old.Path);
        Assert.Equal(3 * Ms, old.LifetimeNs(100 * Ms)); // up to its last event, not to now
        Connection now = Assert.Single(t.Open);
        Assert.Equal([TcpState.LISTEN, TcpState.SYN_RECV, TcpState.ESTABLISHED], now.Path);
        Assert.Equal(ConnectionOrigin.Passive, now.Origin);
        Assert.Equal(1, t.Incomplete);
    }

    [Fact]
    public void A_lost_transition_in_the_middle_splits_the_record()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        // ESTABLISHED -> FIN_WAIT1 lost
        t.OnStateChange(State(3 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, Client, Server));
        t.OnStateChange(State(4 * Ms, Sk, TcpState.FIN_WAIT2, TcpState.CLOSE, Client, Server));
        t.OnIdle(5 * Ms);

        Assert.Equal(2, closed.Count);
        Assert.Equal((true, false), (closed[0].Incomplete, closed[1].Incomplete));
        Assert.Equal([TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.CLOSE], closed[1].Path);
        Assert.False(closed[1].OpenSeen);
        Assert.Equal(ConnectionOrigin.Unknown, closed[1].Origin);
    }

    [Fact]
    public void A_socket_event_in_another_state_does_not_join_the_record()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.LISTEN, TcpState.SYN_RECV, Server, Client));
        t.OnStateChange(State(0, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, Server, Client));
        // this socket closed unseen and the address became a client now retransmitting its SYN
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT, local: Client, remote: Server));
        t.OnIdle(2 * Ms);

        Connection old = Assert.Single(closed);
        Assert.True(old.Incomplete);
        Assert.Equal(0, old.Retransmits);
        Connection now = Assert.Single(t.Open);
        Assert.Equal(1, now.Retransmits);
        Assert.Equal([TcpState.SYN_SENT], now.Path);
    }

    [Fact]
    public void Totals_belong_to_the_close_that_follows_them_and_not_to_a_later_socket()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        t.OnStateChange(State(2 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, Client, Server));
        t.OnStateChange(State(3 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, Client, Server));
        t.OnTotals(Totals(4 * Ms, Sk, acked: 66, received: 65, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
        // its FIN_WAIT2 -> CLOSE lost: the totals wait two batches for a CLOSE that does not come
        t.OnIdle(5 * Ms);
        t.OnIdle(6 * Ms);
        t.OnStateChange(State(7 * Ms, Sk, TcpState.FIN_WAIT2, TcpState.CLOSE, Client, Server));
        t.OnIdle(8 * Ms);

        Connection c = Assert.Single(closed);
        Assert.Null(c.Totals);
        Assert.Null(c.BytesSent);
    }

    [Fact]
    public void A_socket_whose_first_records_were_lost_is_not_taken_for_one_older_than_the_trace()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, Client, Server) with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.AfterLoss });
        t.OnStateChange(State(2 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, Client, Server));
        t.OnStateChange(State(3 * Ms, Sk, TcpState.FIN_WAIT2, TcpState.CLOSE, Client, Server));
        t.OnIdle(4 * Ms);

        Connection c = Assert.Single(closed);
        Assert.Equal((true, true, false), (c.Incomplete, c.StartLost, c.EndLost));
        Assert.Equal(1, t.Incomplete);
    }

    [Fact]
    public void A_lost_close_ends_the_record_when_the_kernel_says_the_socket_is_gone()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        t.OnSocketEvent(Sock(5 * Ms, Sk, SocketEventKind.Gone, TcpState.CLOSE, local: Client, remote: Server) with { AfterLoss = true });
        t.OnIdle(6 * Ms);

        Connection c = Assert.Single(closed);
        Assert.Equal((true, false, true), (c.Incomplete, c.StartLost, c.EndLost));
        Assert.Empty(t.Open);
    }

    [Fact]
    public void A_listener_s_own_resets_are_not_a_connection()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.LISTEN, "198.18.0.2:8080", "0.0.0.0:0"));
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.ResetSent, TcpState.LISTEN, 6, "198.18.0.2:8080", "0.0.0.0:0"));
        t.OnStateChange(State(2 * Ms, Sk, TcpState.LISTEN, TcpState.CLOSE, "198.18.0.2:8080", "0.0.0.0:0"));
        t.OnIdle(3 * Ms);

        Assert.Empty(closed);
        Assert.Equal(0, t.Incomplete);
    }

    [Fact]
    public void Totals_drained_a_batch_before_their_close_still_reach_it()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.LISTEN, TcpState.SYN_RECV, Server, Client));
        t.OnStateChange(State(0, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, Server, Client));
        t.OnStateChange(State(Ms, Sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, Server, Client));
        t.OnStateChange(State(Ms, Sk, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, Server, Client));
        t.OnTotals(Totals(2 * Ms, Sk, acked: 65, received: 65, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
        t.OnIdle(2 * Ms); // the drain came between the totals and the CLOSE the same program run sent next
        t.OnStateChange(State(2 * Ms, Sk, TcpState.LAST_ACK, TcpState.CLOSE, Server, Client));
        t.OnIdle(3 * Ms);

        Connection c = Assert.Single(closed);
        Assert.Equal((64ul, 64ul), (c.BytesSent, c.BytesReceived));
    }

    [Fact]
    public void After_a_loss_a_record_that_seems_to_continue_is_not_continued()
    {
        ConnectionTable t = Table();
        // a client's end and its socket's destruction lost; the address now a server's child whose start was lost too
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        t.OnStateChange(State(9 * Ms, Sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, Server, Client) with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.AfterLoss });
        t.OnIdle(10 * Ms);

        Connection old = Assert.Single(closed);
        Assert.Equal([TcpState.CLOSE, TcpState.SYN_SENT, TcpState.ESTABLISHED], old.Path);
        Assert.True(old.EndLost);
        Connection now = Assert.Single(t.Open);
        Assert.Equal([TcpState.ESTABLISHED, TcpState.CLOSE_WAIT], now.Path);
        Assert.Equal((true, true), (now.StartLost, now.Incomplete));
        Assert.Equal(2, t.Incomplete);
    }

    [Fact]
    public void The_reset_an_abortive_close_sends_after_close_joins_its_record_and_never_starts_one()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.LISTEN, TcpState.SYN_RECV, Server, Client));
        t.OnStateChange(State(0, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, Server, Client));
        t.OnStateChange(State(Ms, Sk, TcpState.ESTABLISHED, TcpState.CLOSE, Server, Client));
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.ResetSent, TcpState.CLOSE, 16, Server, Client));
        t.OnIdle(2 * Ms);
        // a late one, a batch after the socket ended, has no record to go to
        t.OnSocketEvent(Sock(3 * Ms, Sk, SocketEventKind.ResetSent, TcpState.CLOSE, 16, Server, Client));
        t.OnIdle(4 * Ms);

        Connection c = Assert.Single(closed);
        Assert.Equal((1, TcpState.CLOSE), (c.ResetsSent, c.LastResetSentIn));
        Assert.Empty(t.Open);
    }

    [Fact]
    public void Stacks_go_to_their_attempt_when_the_address_is_reused_twice_in_one_batch()
    {
        ConnectionTable t = Table(stacks: true);
        ulong[] refused = [0xffffffff81000010, 0xffffffff81000020];
        ulong[] connected = [0xffffffff81000030];
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server));
        t.OnStack(new StackSample(Ms, NetNs, Sk, 0, StackWhere.KernelAtEnd, refused));
        t.OnStateChange(State(Ms + 10, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnStateChange(State(2 * Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server));
        t.OnStack(new StackSample(2 * Ms, NetNs, Sk, 0, StackWhere.KernelAtEnd, connected));
        t.OnSocketEvent(Sock(2 * Ms + 5, Sk, SocketEventKind.ConnectReturn, TcpState.ESTABLISHED));
        t.OnIdle(3 * Ms);
        // the user stack of the second connect() arrives a batch later
        t.OnStack(new StackSample(2 * Ms + 5, NetNs, Sk, 77, StackWhere.UserAtConnect, [0x401000]));
        t.OnIdle(4 * Ms);

        Assert.Equal(2, attempts.Count);
        Assert.Equal(refused, attempts[0].Connection.KernelStack!);
        Assert.Null(attempts[0].Connection.UserStack);
        Assert.Equal(connected, attempts[1].Connection.KernelStack!);
        Assert.Equal([0x401000ul], attempts[1].Connection.UserStack!);
    }

    [Fact]
    public void A_socket_older_than_the_trace_has_a_lower_bound_lifetime_and_its_payload_without_syn()
    {
        ConnectionTable t = Table();
        // a client connected before the trace: it sent nothing; the kernel counted its SYN and FIN
        t.OnStateChange(State(10 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, Client, Server));
        t.OnStateChange(State(11 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, Client, Server));
        t.OnTotals(new SocketTotals(12 * Ms, NetNs, Sk, BytesAcked: 2, BytesReceived: 1, 3, 3, 0, 40, TotalsFlags.FinAcked | TotalsFlags.FinReceived, BytesSent: 0));
        t.OnStateChange(State(12 * Ms, Sk, TcpState.FIN_WAIT2, TcpState.CLOSE, Client, Server));
        t.OnIdle(13 * Ms);

        Connection c = Assert.Single(closed);
        Assert.False(c.OpenSeen);
        Assert.False(c.Incomplete);
        Assert.Equal(2 * Ms, c.LifetimeNs(0));
        Assert.Equal(0ul, c.BytesSent);
        Assert.Equal(0ul, c.BytesReceived);
    }

    [Theory]
    [InlineData(true, 66ul, 64ul, 0ul, 64ul)]   // active open: SYN and FIN in the count
    [InlineData(false, 65ul, 64ul, 0ul, 64ul)]  // passive open: FIN only
    [InlineData(null, 66ul, 64ul, 0ul, 64ul)]   // unknown: never more than what was sent once
    [InlineData(null, 65ul, 64ul, 0ul, 64ul)]
    [InlineData(null, 66ul, 80ul, 16ul, 64ul)]  // retransmitted bytes are not sent twice
    [InlineData(null, 1ul, 0ul, 0ul, 0ul)]      // a client that sent nothing, its FIN not acked
    public void Payload_sent_takes_out_what_the_syn_and_fin_count(bool? active, ulong acked, ulong sent, ulong retrans, ulong payload)
    {
        var totals = new SocketTotals(0, NetNs, Sk, acked, 0, 0, 0, 0, 0, TotalsFlags.FinAcked, sent, retrans);
        if (acked == 1)
        {
            totals = totals with { Flags = TotalsFlags.None };
        }

        Assert.Equal(payload, totals.PayloadSent(active));
    }

    private sealed class Recorder(List<Connection> closed, List<ConnectAttempt> attempts) : IConnectionObserver
    {
        public void OnConnectEnded(ConnectAttempt a) => attempts.Add(a);

        public void OnClosed(Connection c) => closed.Add(c);

        // not looked at here
        public void OnAccepted(Connection c)
        {
        }

        // not looked at here
        public void OnConnectInProgress(ConnectAttempt a)
        {
        }
    }
}
