using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>
/// Event sequences folded into connections and connect attempts. Each sequence is in the
/// order Linux 6.18 emits it (observed in the lab scenarios of this repository): the error
/// report of a failed attempt comes after its SYN_SENT -> CLOSE, the port is 0 at
/// CLOSE -> SYN_SENT, the accepting process is only known at accept().
/// </summary>
public class ConnectionTableTests
{
    private const ulong Sk = 0xffff888108089280;
    private const long Ms = 1_000_000;
    private const string Client = "198.18.0.1:40170";
    private const string Server = "198.18.0.2:81";

    private readonly Recorder seen = new();

    private ConnectionTable Table(int capacity = ConnectionTable.DefaultCapacity, bool stacks = false) => new([seen], null, capacity, stacks);

    [Fact]
    public void Refused_attempt_takes_the_port_from_the_reset_and_the_error_reported_after_close()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server, 42, "curl"));
        t.OnSocketEvent(Sock(Ms / 10, Sk, SocketEventKind.ResetReceived, TcpState.SYN_SENT));
        t.OnStateChange(State(Ms / 10, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server, 42, "curl"));
        t.OnSocketEvent(Sock(Ms / 10, Sk, SocketEventKind.SocketError, TcpState.CLOSE, 111));
        Assert.Empty(seen.Attempts); // nothing until the batch ends
        t.OnIdle(Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(ConnectOutcome.Refused, a.Outcome);
        Assert.Equal(111, a.Error);
        Assert.Equal(40170, a.Connection.LocalPort);
        Assert.Equal(Client, a.Local);
        Assert.Empty(a.SynRetransmitOffsetsNs);
        Assert.Equal(Ms / 10, a.DurationNs);
        Assert.Equal((42u, "curl", OwnerSource.Syscall), (a.Connection.OwnerPid, a.Connection.OwnerComm, a.Connection.OwnerSource));
        Assert.Equal([TcpState.CLOSE, TcpState.SYN_SENT, TcpState.CLOSE], a.Connection.Path);
        Assert.Equal(["connect-ended", "closed"], seen.Milestones);
        Assert.Empty(t.Open);
    }

    [Fact]
    public void Kernel_timeout_lists_the_syn_retransmits_relative_to_the_connect()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(5 * Ms, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        foreach (long at in new long[] { 1012, 2036, 3060, 4084, 5108 })
        {
            t.OnSocketEvent(Sock((5 + at) * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT));
        }

        t.OnStateChange(State(7129 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server));
        t.OnSocketEvent(Sock(7129 * Ms, Sk, SocketEventKind.SocketError, TcpState.CLOSE, 110));
        t.OnIdle(7130 * Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(ConnectOutcome.TimedOut, a.Outcome);
        Assert.Equal([1012 * Ms, 2036 * Ms, 3060 * Ms, 4084 * Ms, 5108 * Ms], a.SynRetransmitOffsetsNs);
        Assert.Equal(7124 * Ms, a.DurationNs);
        Assert.Equal(110, a.Error);
    }

    [Fact]
    public void Close_in_syn_sent_without_an_error_is_the_application_giving_up()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnSocketEvent(Sock(0, Sk, SocketEventKind.ConnectReturn, TcpState.SYN_SENT, -115, taskPid: 4711, taskComm: "app"));
        t.OnSocketEvent(Sock(1000 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT));
        t.OnStateChange(State(3000 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server));
        t.OnIdle(3001 * Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(ConnectOutcome.Aborted, a.Outcome);
        Assert.Null(a.Error); // EINPROGRESS is not an error the application saw
        Assert.Equal(-115, a.Connection.ConnectReturn);
    }

    [Fact]
    public void Icmp_error_while_connect_held_the_socket_is_unreachable_with_the_errno_so_error_returns()
    {
        // Over veth the ICMP arrives inside connect(): only the queued error, no sk_err; the
        // application reads ECONNREFUSED from SO_ERROR and closes the socket itself.
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnIcmpError(Icmp(Ms / 10, Sk, "198.18.0.2"));
        t.OnSocketEvent(Sock(Ms / 10, Sk, SocketEventKind.ConnectReturn, TcpState.SYN_SENT, -115));
        t.OnStateChange(State(8 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server));
        t.OnIdle(9 * Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(ConnectOutcome.Unreachable, a.Outcome);
        Assert.Equal(111, a.Error);
        Assert.Equal("ICMP port unreachable from 198.18.0.2", a.Connection.Icmp?.Text);
        Assert.Contains(a.Connection.Timeline, x => x.Event == SocketEventKind.IcmpError && x.Value == 111);
    }

    [Fact]
    public void Icmp_error_from_a_router_closed_by_the_kernel_keeps_the_socket_error()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnIcmpError(Icmp(Ms, Sk, "198.18.9.1", type: 3, code: 1, error: 113));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, "198.18.0.1:0", Server));
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.SocketError, TcpState.CLOSE, 113));
        t.OnIdle(2 * Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(ConnectOutcome.Unreachable, a.Outcome);
        Assert.Equal(113, a.Error);
        Assert.Equal("ICMP host unreachable from 198.18.9.1", a.Connection.Icmp?.Text);
    }

    [Theory]
    [InlineData(true, ConnectOutcome.Established)]
    [InlineData(false, ConnectOutcome.ResetAfterBadAck)]
    public void Resets_sent_in_syn_sent_mark_the_unacceptable_ack(bool thenEstablished, ConnectOutcome expected)
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", Server));
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.ResetSent, TcpState.SYN_SENT, 2));
        t.OnSocketEvent(Sock(10 * Ms, Sk, SocketEventKind.Retransmit, TcpState.SYN_SENT));
        t.OnStateChange(thenEstablished
            ? State(11 * Ms, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, Client, Server)
            : State(8000 * Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE, Client, Server));
        t.OnIdle(9000 * Ms);

        ConnectAttempt a = Assert.Single(seen.Attempts);
        Assert.Equal(expected, a.Outcome);
        Assert.Equal(1, a.Connection.ResetsSentInSynSent);
        Assert.Single(a.SynRetransmitOffsetsNs);
    }

    [Fact]
    public void Normal_connection_in_both_namespaces_gives_connect_accept_and_close_with_payload_bytes()
    {
        const ulong ServerSk = 0xffff888100001000;
        const uint ServerNs = 4026532246;
        const string ServerEnd = "198.18.0.2:80";
        const string ClientEnd = "198.18.0.1:36364";
        ConnectionTable t = Table();

        // the handshake completes on the server in the client's softirq: the listener's owner until accept()
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT, "198.18.0.1:0", ServerEnd, 100, "lab-client"));
        t.OnStateChange(State(30_000, ServerSk, TcpState.LISTEN, TcpState.SYN_RECV, ServerEnd, ClientEnd, 100, "lab-server", netns: ServerNs) with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.OwnerFromListener });
        t.OnStateChange(State(31_000, ServerSk, TcpState.SYN_RECV, TcpState.ESTABLISHED, ServerEnd, ClientEnd, 100, "lab-server", netns: ServerNs) with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.OwnerFromListener });
        t.OnStateChange(State(90_000, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED, ClientEnd, ServerEnd, 100, "lab-client"));
        t.OnSocketEvent(Sock(330_000, ServerSk, SocketEventKind.Accept, TcpState.ESTABLISHED, 7, ServerEnd, ClientEnd, 100, "lab-server", ServerNs));
        t.OnIdle(Ms);

        // client closes first; the server then sees CLOSE_WAIT -> LAST_ACK -> CLOSE
        t.OnStateChange(State(2 * Ms, Sk, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, ClientEnd, ServerEnd, 100, "lab-client"));
        t.OnStateChange(State(2 * Ms, ServerSk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, ServerEnd, ClientEnd, 100, "lab-server", netns: ServerNs));
        t.OnStateChange(State(2 * Ms, Sk, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, ClientEnd, ServerEnd, 100, "lab-client"));
        t.OnStateChange(State(3 * Ms, ServerSk, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, ServerEnd, ClientEnd, 100, "lab-server", netns: ServerNs));
        t.OnTotals(Totals(3 * Ms, Sk, acked: 20, received: 26, TotalsFlags.FinAcked | TotalsFlags.FinReceived));
        t.OnStateChange(State(3 * Ms, Sk, TcpState.FIN_WAIT2, TcpState.CLOSE, ClientEnd, ServerEnd, 100, "lab-client"));
        t.OnTotals(Totals(3 * Ms, ServerSk, acked: 26, received: 19, TotalsFlags.FinAcked | TotalsFlags.FinReceived, ServerNs));
        t.OnStateChange(State(3 * Ms, ServerSk, TcpState.LAST_ACK, TcpState.CLOSE, ServerEnd, ClientEnd, 100, "lab-server", netns: ServerNs));
        t.OnIdle(4 * Ms);

        Assert.Equal(["connect-ended", "accepted", "closed", "closed"], seen.Milestones);
        Connection client = seen.Closed[0], server = seen.Closed[1];
        Assert.Equal((ConnectionOrigin.Active, "lab-client", 18ul, 25ul), (client.Origin, client.OwnerComm, client.BytesSent, client.BytesReceived));
        Assert.Equal((ConnectionOrigin.Passive, "lab-server", OwnerSource.Accept, 25ul, 18ul), (server.Origin, server.OwnerComm, server.OwnerSource, server.BytesSent, server.BytesReceived));
        Assert.Equal(90_000, Assert.Single(seen.Attempts).HandshakeNs);
        Assert.Equal(3 * Ms, client.LifetimeNs(0));
        Assert.Equal(
            [TcpState.LISTEN, TcpState.SYN_RECV, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSE],
            server.Path);
        Assert.Contains(server.Timeline, e => e.Event == SocketEventKind.Accept && e.Value == 7);
    }

    [Fact]
    public void Accept_by_another_process_than_the_listener_owner_names_the_accepter()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.LISTEN, TcpState.SYN_RECV, ownerPid: 1, ownerComm: "master") with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.OwnerFromListener });
        t.OnStateChange(State(0, Sk, TcpState.SYN_RECV, TcpState.ESTABLISHED, ownerPid: 1, ownerComm: "master") with { Flags = StateEventFlags.OwnerKnown | StateEventFlags.OwnerFromListener });
        Assert.Equal(OwnerSource.Listener, Assert.Single(t.Open).OwnerSource);
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.Accept, TcpState.ESTABLISHED, 9, taskPid: 2, taskComm: "worker"));
        // the kernel's later events carry the accepter as owner too
        t.OnStateChange(State(2 * Ms, Sk, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, ownerPid: 2, ownerComm: "worker"));

        Connection c = Assert.Single(t.Open);
        Assert.Equal((2u, "worker", OwnerSource.Accept), (c.OwnerPid, c.OwnerComm, c.OwnerSource));
    }

    [Fact]
    public void Accept_of_a_socket_older_than_the_trace_starts_a_connection()
    {
        ConnectionTable t = Table();
        t.OnSocketEvent(Sock(Ms, Sk, SocketEventKind.Accept, TcpState.ESTABLISHED, 5, "198.18.0.2:80", "198.18.0.1:5000", 3, "srv"));
        t.OnIdle(2 * Ms);

        Connection c = Assert.Single(seen.Accepted);
        Assert.Equal((ConnectionOrigin.Passive, 80, 5000), (c.Origin, (int)c.LocalPort, (int)c.RemotePort));
    }

    [Fact]
    public void Full_table_counts_instead_of_growing()
    {
        ConnectionTable t = Table(capacity: 2);
        for (ulong i = 0; i < 5; i++)
        {
            t.OnStateChange(State(0, Sk + (i * 64), TcpState.CLOSE, TcpState.SYN_SENT));
        }

        Assert.Equal(2, t.Open.Count);
        Assert.Equal(3, t.Untracked);
    }

    [Fact]
    public void Full_table_forgets_connections_idle_for_the_expiry_and_counts_them()
    {
        const long Minute = 60_000 * Ms;
        var t = new ConnectionTable([seen], null, capacity: 2, idleExpiry: TimeSpan.FromMinutes(10));
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT));
        t.OnStateChange(State(3 * Minute, Sk + 64, TcpState.CLOSE, TcpState.SYN_SENT));
        t.OnStateChange(State(5 * Minute, Sk, TcpState.SYN_SENT, TcpState.ESTABLISHED)); // the first one is busy again

        // at 12 min neither has been idle for 10 min: the new one is not followed
        t.OnStateChange(State(12 * Minute, Sk + 128, TcpState.CLOSE, TcpState.SYN_SENT));
        Assert.Equal((1L, 0L), (t.Untracked, t.Expired));

        // at 14 min the second one has been: it makes room, the first one stays
        t.OnStateChange(State(14 * Minute, Sk + 192, TcpState.CLOSE, TcpState.SYN_SENT));
        Assert.Equal((1L, 1L), (t.Untracked, t.Expired));
        Assert.Equal([Sk, Sk + 192], t.Open.Select(c => c.Socket).Order());
        Assert.Contains(t.Shortfalls, f => f.Id == "connections_expired" && f.Count == 1);
        t.OnIdle(15 * Minute);
        Assert.Empty(seen.Closed); // forgetting it is not its close
    }

    [Fact]
    public void Long_lives_keep_their_first_steps_and_states_and_count_the_rest()
    {
        ConnectionTable t = Table();
        var expectedPath = new List<TcpState> { TcpState.CLOSE, TcpState.SYN_SENT };
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT));
        TcpState now = TcpState.SYN_SENT;
        for (int i = 1; i <= 40; i++)
        {
            // not a real life: any transition from the current state continues the record
            TcpState next = now == TcpState.ESTABLISHED ? TcpState.CLOSE_WAIT : TcpState.ESTABLISHED;
            t.OnStateChange(State(i * Ms, Sk, now, next));
            expectedPath.Add(next);
            now = next;
        }

        for (int i = 0; i < 30; i++)
        {
            t.OnSocketEvent(Sock((41 + i) * Ms, Sk, SocketEventKind.Retransmit, now, local: "198.18.0.2:8080", remote: "198.18.0.1:41234"));
        }

        Connection c = Assert.Single(t.Open);
        Assert.Equal(expectedPath, c.Path); // 42 states: more than the 16 kept inline
        Assert.Equal(64, c.Timeline.Count); // 41 transitions and 30 retransmits: 7 not kept
        Assert.Equal(7, c.TimelineDropped);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i * Ms), c.Timeline.Select(e => e.TimestampNs));
        Assert.Equal((TcpState.ESTABLISHED, TcpState.CLOSE_WAIT), (c.Timeline[40].From, c.Timeline[40].To)); // even steps leave ESTABLISHED
        Assert.Equal((SocketEventKind?)SocketEventKind.Retransmit, c.Timeline[63].Event);
        Assert.Null(c.Timeline[3].Event);
    }

    [Fact]
    public void Table_with_room_keeps_idle_connections()
    {
        ConnectionTable t = Table(capacity: 4);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT));
        t.OnStateChange(State(24 * 3600_000 * Ms, Sk + 64, TcpState.CLOSE, TcpState.SYN_SENT));

        Assert.Equal((2, 0L), (t.Open.Count, t.Expired));
    }

    [Fact]
    public void Stack_where_the_attempt_ended_goes_to_the_connection_that_just_closed()
    {
        ConnectionTable t = Table(stacks: true);
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.SYN_SENT));
        t.OnStateChange(State(Ms, Sk, TcpState.SYN_SENT, TcpState.CLOSE));
        t.OnStateChange(State(Ms, Sk, TcpState.CLOSE, TcpState.SYN_SENT)); // the address reused at once
        t.OnStack(new StackSample(Ms, NetNs, Sk, 0, StackWhere.KernelAtEnd, [0xffffffff81000010, 0xffffffff81000020]));
        t.OnIdle(2 * Ms);

        Assert.Equal([0xffffffff81000010ul, 0xffffffff81000020], Assert.Single(seen.Attempts).Connection.KernelStack!);
        Assert.Null(Assert.Single(t.Open).KernelStack);
    }

    [Fact]
    public void Listeners_are_not_connections()
    {
        ConnectionTable t = Table();
        t.OnStateChange(State(0, Sk, TcpState.CLOSE, TcpState.LISTEN));
        t.OnStateChange(State(Ms, Sk, TcpState.LISTEN, TcpState.CLOSE));
        t.OnIdle(2 * Ms);

        Assert.Empty(t.Open);
        Assert.Empty(seen.Milestones);
    }

    private sealed class Recorder : IConnectionObserver
    {
        public List<string> Milestones { get; } = [];

        public List<ConnectAttempt> Attempts { get; } = [];

        public List<Connection> Accepted { get; } = [];

        public List<Connection> Closed { get; } = [];

        public void OnConnectEnded(ConnectAttempt a)
        {
            Milestones.Add("connect-ended");
            Attempts.Add(a);
        }

        public void OnAccepted(Connection c)
        {
            Milestones.Add("accepted");
            Accepted.Add(c);
        }

        public void OnClosed(Connection c)
        {
            Milestones.Add("closed");
            Closed.Add(c);
        }

        // not looked at here
        public void OnConnectInProgress(ConnectAttempt a)
        {
        }
    }
}
