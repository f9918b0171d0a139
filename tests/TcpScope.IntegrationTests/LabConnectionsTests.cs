using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Host.Symbols;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>
/// `connect` and `life` on the lab's scenarios: what the connection table folds out of the
/// kernel's events matches what the lab's own clients and servers observed.
/// </summary>
public class LabConnectionsTests
{
    private static readonly uint Pid = (uint)Environment.ProcessId;

    private static (LabResult Lab, ConnectionsRun Trace) Run(ILabScenario scenario, LabOptions options, bool stacks = false)
    {
        ConnectionsRun? trace = null;
        try
        {
            LabResult r = LabRun.Execute(scenario, options, CancellationToken.None, _ => trace = ConnectionsRun.OfThisProcess(stacks));
            Assert.NotNull(trace);
            Assert.Equal(0ul, trace.Stop().Lost);
            return (r, trace);
        }
        catch
        {
            trace?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The record's SYN retransmits are the ones the kernel counted in the client's namespace
    /// (TcpExtTCPSynRetrans), in order, none before the initial RTO (1 s) nor after the end.
    /// </summary>
    private static void AssertRetransmitsAsCounted(LabResult lab, ConnectAttempt a)
    {
        IReadOnlyList<long> offsets = a.SynRetransmitOffsetsNs;
        long counted = lab.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans");
        string text = string.Join(", ", offsets.Select(o => $"{o / 1e9:0.000} s"));
        Assert.True(counted > 0, "the kernel counted no SYN retransmit");
        Assert.True(counted == offsets.Count, $"the kernel counted {counted} SYN retransmits, the record has [{text}]");
        Assert.Equal(offsets.Order(), offsets);
        Assert.InRange(offsets[0], 900_000_000, a.DurationNs);
        Assert.InRange(offsets[^1], offsets[0], a.DurationNs);
    }

    [PrivilegedFact]
    public void Connect_abandoned_by_the_application_is_aborted_with_its_syn_retransmits()
    {
        (LabResult lab, ConnectionsRun trace) = Run(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(2.5) });
        using (trace)
        {
            ClientOutcome client = Assert.Single(lab.Clients);
            ConnectAttempt a = Assert.Single(trace.Attempts);

            Assert.Equal(ConnectOutcome.Aborted, a.Outcome);
            Assert.Null(a.Error);
            Assert.InRange(a.DurationNs / 1e9, 2.5 * 0.9, 2.5 * 1.1);
            // 1 s apart on this kernel (tcp_syn_linear_timeouts): at about 1 s and 2 s, unless a
            // busy machine fires the timer late; every one the kernel counted is in the record
            AssertRetransmitsAsCounted(lab, a);
            Assert.InRange(a.SynRetransmitOffsetsNs.Count, 1, 2);
            Assert.Equal(client.LocalPort, a.Connection.LocalPort);
            Assert.Equal((Pid, client.Comm), (a.Connection.OwnerPid, a.Connection.OwnerComm));
            Assert.Equal(-115, a.Connection.ConnectReturn); // a non-blocking connect: EINPROGRESS
        }
    }

    [PrivilegedFact]
    public void Connect_the_kernel_gave_up_on_is_timed_out_with_etimedout()
    {
        (LabResult lab, ConnectionsRun trace) = Run(new ConnectTimeoutScenario(), new LabOptions { Variant = "kernel-timeout", SynRetries = 2 });
        using (trace)
        {
            ClientOutcome client = Assert.Single(lab.Clients);
            ConnectAttempt a = Assert.Single(trace.Attempts);

            Assert.Equal(OutcomeKind.KernelTimedOut, client.Outcome);
            Assert.Equal(ConnectOutcome.TimedOut, a.Outcome);
            Assert.Equal(110, a.Error);
            Assert.InRange(a.DurationNs / 1e9, client.Elapsed.TotalSeconds * 0.9, client.Elapsed.TotalSeconds * 1.1);
            // tcp_syn_retries=2 gives up once 7 s have passed since the first SYN (a time budget,
            // not a count): usually after 5 retransmits 1 s apart, fewer when timers fire late on
            // a busy machine. Every retransmit the kernel counted is in the record, in order.
            AssertRetransmitsAsCounted(lab, a);
            Assert.Equal(client.LocalPort, a.Connection.LocalPort);
            Assert.Equal((Pid, client.Comm), (a.Connection.OwnerPid, a.Connection.OwnerComm));
        }
    }

    [PrivilegedTheory]
    [InlineData("closed-port", ConnectOutcome.Refused)]
    [InlineData("firewall-rst", ConnectOutcome.Refused)]
    [InlineData("firewall-icmp", ConnectOutcome.Unreachable)]
    public void Refused_connects_end_at_once_without_retransmits(string variant, ConnectOutcome expected)
    {
        (LabResult lab, ConnectionsRun trace) = Run(new RefusedScenario(), new LabOptions { Variant = variant });
        using (trace)
        {
            ClientOutcome client = Assert.Single(lab.Clients);
            ConnectAttempt a = Assert.Single(trace.Attempts);
            Assert.Equal(expected, a.Outcome);
            Assert.Equal(client.LocalPort, a.Connection.LocalPort);

            // The answer to the first SYN ended it: no retransmit, and within what the client
            // measured around its connect(). An RST closes the socket in the kernel at once. The
            // ICMP arrives while connect() holds the socket, so it is only a soft error: the
            // application reads it from SO_ERROR and closes the socket itself, which a busy
            // machine can delay (once seen: 560 ms) but never past the first retransmit (1 s).
            Assert.Empty(a.SynRetransmitOffsetsNs);
            long bound = expected == ConnectOutcome.Refused ? 100_000_000 : 1_000_000_000;
            Assert.True(a.DurationNs < bound, $"{variant}: {a.DurationNs / 1e6} ms");
            Assert.True(a.DurationNs <= client.Elapsed.Ticks * 100, $"{variant}: traced {a.DurationNs / 1e6} ms, client saw {client.Elapsed.TotalMilliseconds} ms");
            Assert.Equal(111, a.Error); // ECONNREFUSED, as the client saw it
            Assert.Equal(OutcomeKind.Refused, client.Outcome);
            if (expected == ConnectOutcome.Unreachable)
            {
                // iptables REJECT's ICMP, sent by the server's host: the message and its sender
                IcmpError icmp = Assert.NotNull(a.Connection.Icmp);
                Assert.Equal(((byte)3, (byte)3), (icmp.Type, icmp.Code));
                Assert.Equal(LabTopology.ServerAddress.ToString(), icmp.OffenderText);
            }
            else
            {
                Assert.Null(a.Connection.Icmp);
            }

            Assert.Equal(Pid, a.Connection.OwnerPid);
        }
    }

    [PrivilegedFact]
    public void Accept_overflow_clients_stuck_in_syn_sent_retransmit_and_give_up()
    {
        (LabResult lab, ConnectionsRun trace) = Run(new AcceptOverflowScenario(), new LabOptions { Backlog = 2, Clients = 6, Timeout = TimeSpan.FromSeconds(3) });
        using (trace)
        {
            Assert.Equal(6, trace.Attempts.Count);
            List<ConnectAttempt> established = [.. trace.Attempts.Where(a => a.Outcome == ConnectOutcome.Established)];
            List<ConnectAttempt> stuck = [.. trace.Attempts.Where(a => a.Failed)];
            Assert.Equal(lab.Count(OutcomeKind.Connected), established.Count);
            Assert.Equal(3, established.Count);
            Assert.All(stuck, a =>
            {
                Assert.True(a.Outcome is ConnectOutcome.Aborted or ConnectOutcome.TimedOut, a.Outcome.ToString());
                Assert.NotEmpty(a.SynRetransmitOffsetsNs);
            });
            var ports = lab.Clients.Where(c => c.Outcome == OutcomeKind.TimedOut).Select(c => c.LocalPort).Order();
            Assert.Equal(ports, stuck.Select(a => (int)a.Connection.LocalPort).Order());
        }
    }

    [PrivilegedFact]
    public void Reset_of_an_established_client_by_an_overflowing_listener_is_in_its_life_record()
    {
        (LabResult lab, ConnectionsRun trace) = Run(new AcceptOverflowScenario(), new LabOptions { Variant = "ack-time", AbortOnOverflow = true });
        using (trace)
        {
            NamespaceReport client = lab.Namespace(LabRun.ClientRole);
            long counted = client.CounterDeltas.GetValueOrDefault("TcpEstabResets");
            List<Connection> reset = [.. trace.Life.Where(l => l.Kind == "X" && l.Connection.NetNs == client.Inode && l.Connection.ResetReceivedIn == TcpState.ESTABLISHED).Select(l => l.Connection)];

            Assert.True(counted > 0, "no client connection was reset: the scenario did not overflow at ACK time");
            Assert.Equal(counted, reset.Count);
            Assert.Equal(counted, lab.Count(OutcomeKind.Reset)); // the lab's own clients say so too
            Assert.Equal(reset.Select(c => (int)c.LocalPort).Order(), lab.Clients.Where(c => c.Outcome == OutcomeKind.Reset).Select(c => c.LocalPort).Order());
            Assert.All(reset, c =>
            {
                Assert.Equal(104, c.SocketError); // ECONNRESET, what the application's next call gets
                Assert.Equal(TcpState.CLOSE, c.Path[^1]);
                Assert.Contains("RST received in ESTABLISHED; error ECONNRESET (104)", ConnectionText.Ending(c));
            });
        }
    }

    [PrivilegedFact]
    public void Normal_connection_shows_connect_accept_and_close_with_owners_lifetimes_and_bytes()
    {
        (LabResult lab, ConnectionsRun trace) = Run(new NormalScenario(), new LabOptions());
        using (trace)
        {
            ClientOutcome client = Assert.Single(lab.Clients);
            ConnectAttempt a = Assert.Single(trace.Attempts);
            Assert.Equal(ConnectOutcome.Established, a.Outcome);
            Assert.True(a.HandshakeNs > 0);

            Assert.Equal(["C", "A", "X", "X"], trace.Life.Select(l => l.Kind)); // in time order, as `life` prints them
            Connection connected = trace.Life.Single(l => l.Kind == "C").Connection;
            Connection accepted = trace.Life.Single(l => l.Kind == "A").Connection;
            Assert.Equal((Pid, client.Comm, client.LocalPort), (connected.OwnerPid, connected.OwnerComm, (int)connected.LocalPort));

            // the handshake completed in the client's softirq; the server side still belongs to whoever accept()ed it
            Assert.Equal((Pid, "lab-server", OwnerSource.Accept), (accepted.OwnerPid, accepted.OwnerComm, accepted.OwnerSource));
            Assert.Equal(client.LocalPort, accepted.RemotePort);

            foreach (Connection c in trace.Life.Where(l => l.Kind == "X").Select(l => l.Connection))
            {
                Assert.NotNull(c.EndedNs);
                Assert.True(c.LifetimeNs(0) > 0);
                bool isClient = c.Origin == ConnectionOrigin.Active;
                Assert.Equal((ulong)(isClient ? HttpCloseFirst.Request : HttpCloseFirst.Reply).Length, c.BytesSent);
                Assert.Equal((ulong)(isClient ? HttpCloseFirst.Reply : HttpCloseFirst.Request).Length, c.BytesReceived);
                Assert.Equal(TcpScope.Decode.TcpState.CLOSE, c.Path[^1]);
            }
        }
    }

    [PrivilegedFact]
    public void Stacks_show_where_the_kernel_ended_the_attempt_and_where_connect_was_called()
    {
        (_, ConnectionsRun trace) = Run(new RefusedScenario(), new LabOptions(), stacks: true);
        using (trace)
        {
            Connection c = Assert.Single(trace.Attempts).Connection;
            AttemptStacks stacks = StackText.Describe(c, new StackSymbolizer());

            Assert.NotNull(stacks.Kernel);
            Assert.Contains(stacks.Kernel, f => f.StartsWith("tcp_done", StringComparison.Ordinal));
            Assert.NotNull(stacks.User);
            Assert.Contains(stacks.User, f => f.StartsWith("connect", StringComparison.Ordinal) && f.Contains("libc", StringComparison.Ordinal));
        }
    }

    [PrivilegedFact]
    public void Comm_filter_in_the_kernel_leaves_out_other_processes()
    {
        ConnectionsRun? trace = null;
        LabResult lab = LabRun.Execute(new RefusedScenario(), new LabOptions(), CancellationToken.None, _ => trace = ConnectionsRun.Start(new StatesFilter { Comm = "no-such-comm" }));
        using (trace)
        {
            trace!.Stop();
            Assert.NotEmpty(lab.Clients);
            Assert.Empty(trace.Attempts);
        }
    }
}
