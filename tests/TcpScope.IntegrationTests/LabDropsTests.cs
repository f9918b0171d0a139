using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The drops family on the lab's scenarios: the drops and resets it reports match what the lab's
/// own clients, servers and counters observed (never what tcpscope itself printed).
/// </summary>
public class LabDropsTests
{
    private const byte Syn = 0x02;
    private const byte Ack = 0x10;

    private static (LabResult Lab, IReadOnlyList<PacketDrop> Drops) Run(ILabScenario scenario, LabOptions options, Probes.ProbeFamily? family = null) =>
        DropsRun.AroundLab(scenario, options, family);

    private static uint Netns(LabResult lab, string role) => lab.Namespace(role).Inode;

    [PrivilegedFact]
    public void A_syn_to_a_closed_port_is_dropped_no_socket_and_answered_by_a_stack_reset()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new RefusedScenario(), new LabOptions { Variant = "closed-port" });
        ClientOutcome client = Assert.Single(lab.Clients);
        uint server = Netns(lab, LabRun.ServerRole);

        PacketDrop drop = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == server);
        Assert.Equal(("NO_SOCKET", Syn, false), (drop.Reason, drop.TcpFlags, drop.HasSocket));
        Assert.Equal(("198.18.0.1", client.LocalPort, "198.18.0.2", 81), (drop.SourceText, (int)drop.SourcePort, drop.DestinationText, (int)drop.DestinationPort));
        Assert.StartsWith("tcp_v", Host.Symbols.KernelLocations.OfThisHost().Name(drop.Location), StringComparison.Ordinal);

        PacketDrop reset = Assert.Single(drops, d => d.Kind == DropKind.Reset && d.NetNs == server);
        Assert.Equal(("NO_SOCKET", false), (reset.Reason, reset.HasSocket));
        Assert.Equal((drop.SourcePort, drop.Seq), (reset.SourcePort, reset.Seq));
        // the lab's counter agrees that the stack sent one reset
        Assert.Equal(1, lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpOutRsts"));
    }

    [PrivilegedFact]
    public void The_classic_tracepoint_stands_in_with_the_same_record()
    {
        Host.Tracefs.EnsureMounted();
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new RefusedScenario(), new LabOptions { Variant = "closed-port" }, Probes.ProbeFamily.Drops.Without("drops_skb"));
        ClientOutcome client = Assert.Single(lab.Clients);

        PacketDrop drop = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == Netns(lab, LabRun.ServerRole));
        // this kernel's classic record has the reason (5.17+) and rx_sk (6.11+): nothing is missing
        Assert.Equal(("NO_SOCKET", Syn, client.LocalPort, 81), (drop.Reason, drop.TcpFlags, (int)drop.SourcePort, (int)drop.DestinationPort));
        Assert.Equal(Decode.Abi.DropEventFlags.None, drop.Flags & (Decode.Abi.DropEventFlags.NoReason | Decode.Abi.DropEventFlags.NoReceivingSocket));
    }

    [PrivilegedFact]
    public void With_stacks_a_drop_is_followed_by_the_kernel_stack_where_it_was_dropped()
    {
        DropsRun? trace = null;
        uint server = 0;
        try
        {
            LabResult lab = LabRun.Execute(new RefusedScenario(), new LabOptions { Variant = "closed-port" }, CancellationToken.None, t =>
            {
                server = t.Server.Inode;
                trace = DropsRun.Start(stacks: true);
            });
            Assert.NotNull(trace);
            (IReadOnlyList<PacketDrop> drops, _) = trace.Stop(server);
            PacketDrop drop = Assert.Single(drops, d => d.Kind == DropKind.Drop);

            Assert.True(trace.Stacks.TryGetValue(drop.TimestampNs, out ulong[]? frames), "no stack with the drop's timestamp");
            IReadOnlyList<string> named = new Host.Symbols.StackSymbolizer().Kernel(frames);
            // the function that dropped it (its LOCATION) is on the stack
            Assert.Contains(named, f => f.StartsWith("tcp_v4_rcv+", StringComparison.Ordinal));
        }
        finally
        {
            trace?.Dispose();
        }
    }

    [PrivilegedFact]
    public void A_syn_rejected_by_the_firewall_is_dropped_netfilter_drop_without_a_stack_reset()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new RefusedScenario(), new LabOptions { Variant = "firewall-rst" });
        ClientOutcome client = Assert.Single(lab.Clients);
        Assert.Equal(OutcomeKind.Refused, client.Outcome);
        uint server = Netns(lab, LabRun.ServerRole);

        PacketDrop drop = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == server);
        Assert.Equal(("NETFILTER_DROP", Syn, client.LocalPort, 82), (drop.Reason, drop.TcpFlags, (int)drop.SourcePort, (int)drop.DestinationPort));
        Assert.DoesNotContain(drops, d => d.Kind == DropKind.Reset && d.NetNs == server);
        Assert.Equal(0, lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpOutRsts"));
    }

    [PrivilegedFact]
    public void Every_syn_into_a_blackhole_is_one_netfilter_drop()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(2.5) });
        ClientOutcome client = Assert.Single(lab.Clients);
        uint server = Netns(lab, LabRun.ServerRole);
        long retransmits = lab.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans");
        Assert.True(retransmits > 0, "the client's kernel counted no SYN retransmit");

        PacketDrop[] syns = [.. drops.Where(d => d.Kind == DropKind.Drop && d.NetNs == server && d.DestinationPort == 81)];
        Assert.Equal(1 + retransmits, syns.Length);
        Assert.All(syns, d => Assert.Equal(("NETFILTER_DROP", Syn, client.LocalPort), (d.Reason, d.TcpFlags, (int)d.SourcePort)));
        Assert.Single(syns.Select(d => d.Seq).Distinct()); // retransmits of one SYN
    }

    [PrivilegedFact]
    public void A_handshake_ack_at_a_full_accept_queue_is_dropped_on_the_listener_with_its_queue_and_owner()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new AcceptOverflowScenario(), new LabOptions { Variant = "ack-time" });
        uint server = Netns(lab, LabRun.ServerRole);
        long overflows = lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtListenOverflows");

        PacketDrop[] full = [.. drops.Where(d => d.Kind == DropKind.Drop && d.NetNs == server && d.Reason == "TCP_LISTEN_OVERFLOW")];
        Assert.NotEmpty(full);
        // every such drop is counted as an overflow; the counter also counts SYN-time overflows, which kfree_skb never sees
        Assert.InRange(full.Length, 1, overflows);
        Assert.All(full, d =>
        {
            Assert.Equal((TcpState.LISTEN, 8080), (d.State, (int)d.DestinationPort));
            Assert.True(d.HasListenerQueues);
            // backlog 2 holds 3 (the kernel compares with >): full at 3 of 2
            Assert.Equal((3u, 2u), (d.AckBacklog, d.MaxAckBacklog));
            Assert.Equal(Ack, (byte)(d.TcpFlags & (Ack | Syn)));
            Assert.Equal(((uint)Environment.ProcessId, "lab-server"), (d.OwnerPid, CommText.ToString(d.OwnerComm)));
        });
    }
}
