using System.Globalization;
using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;
using TcpScope.Output;
using Xunit.Abstractions;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The drops family where a SYN meets an old connection's TIME_WAIT (on the server, and on the client
/// that gets the bare ACK) and where a killed server's unread data is purged: the numbers on each drop
/// match what the lab sent and captured on the wire (never what tcpscope itself printed).
/// </summary>
public class LabDropsTimewaitTests(ITestOutputHelper output)
{
    private const byte Syn = 0x02;
    private const byte Rst = 0x04;
    private const byte Ack = 0x10;

    private (LabResult Lab, IReadOnlyList<PacketDrop> Drops) Run(ILabScenario scenario, LabOptions options)
    {
        (LabResult r, IReadOnlyList<PacketDrop> drops) = DropsRun.AroundLab(scenario, options);
        foreach (string line in r.Story.Concat(r.Facts.Select(f => $"fact {f.Key}={f.Value}")))
        {
            output.WriteLine(line);
        }

        foreach (PacketDrop d in drops)
        {
            output.WriteLine($"{d.Kind} netns {d.NetNs} {d.Reason} {d.State} flags 0x{d.TcpFlags:x2} seq {d.Seq} ack {d.Ack} tsval {d.TsVal} payload {d.Payload}: {DropText.Describe(d, "?")}");
        }

        return (r, drops);
    }

    private static uint Fact(LabResult lab, string name) => uint.Parse(lab.Facts[name], CultureInfo.InvariantCulture);

    /// <summary>The crafted SYN's drop on the server's TIME_WAIT socket: exactly one, on the lab's 4-tuple.</summary>
    private static PacketDrop TimeWaitDrop(LabResult lab, IReadOnlyList<PacketDrop> drops)
    {
        uint server = lab.Namespace(LabRun.ServerRole).Inode;
        PacketDrop d = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == server && (d.TcpFlags & (Syn | Ack)) == Syn);
        Assert.Equal(
            ("198.18.0.1", TimewaitSynScenario.ClientPort, "198.18.0.2", TimewaitSynScenario.Port),
            (d.SourceText, (int)d.SourcePort, d.DestinationText, (int)d.DestinationPort));
        Assert.True(d.HasSocket && d.HasTimeWait, "the SYN's drop carries no TIME_WAIT socket");
        Assert.Equal((TcpState.TIME_WAIT, TcpState.TIME_WAIT), (d.State, d.TwSubstate));
        Assert.Equal(Fact(lab, "syn_seq"), d.Seq);
        // the TIME_WAIT's rcv_nxt: what the server's last ACK of the old connection acknowledged, and what its bare ACK acknowledges now
        Assert.Equal(Fact(lab, "tw_rcv_nxt"), d.TwRcvNxt);
        Assert.Equal(Fact(lab, "reply_ack"), d.TwRcvNxt);
        return d;
    }

    [PrivilegedFact]
    public void A_syn_below_the_time_wait_rcv_nxt_is_dropped_on_the_time_wait_socket_and_answered_with_a_bare_ack()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new TimewaitSynScenario(), new LabOptions { Variant = "lower-seq" });
        Assert.Equal("ack", lab.Facts["reply"]);

        PacketDrop d = TimeWaitDrop(lab, drops);
        Assert.True((int)(d.Seq - d.TwRcvNxt) <= 0, $"SYN seq {d.Seq} is not at or below rcv_nxt {d.TwRcvNxt}");
        Assert.False(d.HasTimestamp); // the lab's SYN carries no timestamp option
        // the seq check has no reason of its own: the kernel frees the SYN without one (KERNEL-SIGNALS 5a)
        Assert.Equal("NOT_SPECIFIED", d.Reason);
        Assert.Equal(0, lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtPAWSTimewait"));
        Assert.Equal(
            $"SYN seq {lab.Facts["syn_seq"]} <= rcv_nxt {lab.Facts["tw_rcv_nxt"]} of the TIME_WAIT socket: answered with a bare ACK (not a new connection)",
            DropText.Describe(d, "tcp_v4_rcv+0x1"));
    }

    [PrivilegedFact]
    public void A_syn_with_an_older_timestamp_is_a_paws_reject_by_the_time_wait_socket()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new TimewaitSynScenario(), new LabOptions { Variant = "paws" });
        Assert.Equal("ack", lab.Facts["reply"]);

        PacketDrop d = TimeWaitDrop(lab, drops);
        Assert.True(d.HasTimestamp, "the SYN's timestamp option was not read");
        Assert.Equal(Fact(lab, "syn_tsval"), d.TsVal);
        // ts_recent is the old connection's last TSval: what the server's last ACK echoed
        Assert.Equal(Fact(lab, "tw_ts_recent"), d.TwTsRecent);
        Assert.True((int)(d.TsVal - d.TwTsRecent) < 0, $"TSval {d.TsVal} is not older than ts_recent {d.TwTsRecent}");
        Assert.Equal("TCP_RFC7323_TW_PAWS", d.Reason);
        Assert.Equal(1, lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtPAWSTimewait"));
        Assert.Equal(
            $"SYN TSval {lab.Facts["syn_tsval"]} older than ts_recent {lab.Facts["tw_ts_recent"]}: PAWS reject by the TIME_WAIT socket, answered with a bare ACK",
            DropText.Describe(d, "tcp_v4_rcv+0x1"));
    }

    [PrivilegedFact]
    public void A_bare_ack_in_syn_sent_is_dropped_invalid_ack_sequence_and_reset_at_its_ack_number()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new SynSentBadAckScenario(), new LabOptions());
        ClientOutcome second = lab.Clients.Single(c => c.Client == 2);
        Assert.Equal(OutcomeKind.Connected, second.Outcome);
        uint client = lab.Namespace(LabRun.ClientRole).Inode;
        uint bareAck = Fact(lab, "bare_ack_ack");
        uint synSeq = Fact(lab, "syn_seq");
        Assert.NotEqual(synSeq + 1, bareAck); // the lab's capture: the ACK does not acknowledge the SYN

        PacketDrop drop = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == client && d.Reason == "TCP_INVALID_ACK_SEQUENCE");
        Assert.Equal((TcpState.SYN_SENT, Ack), (drop.State, drop.TcpFlags));
        Assert.Equal(
            ("198.18.0.2", SynSentBadAckScenario.Port, "198.18.0.1", SynSentBadAckScenario.ClientPort),
            (drop.SourceText, (int)drop.SourcePort, drop.DestinationText, (int)drop.DestinationPort));
        Assert.Equal(bareAck, drop.Ack);
        Assert.Equal(((uint)Environment.ProcessId, "lab-client"), (drop.OwnerPid, CommText.ToString(drop.OwnerComm)));

        // the reset answers that very ACK (a reset's record holds the segment it answers); RFC 793 gives the RST the
        // ACK's ack number as its seq, and the connect that followed shows it: a TIME_WAIT only dies on an RST at rcv_nxt
        PacketDrop reset = Assert.Single(drops, d => d.Kind == DropKind.Reset && d.NetNs == client);
        Assert.Equal(("TCP_INVALID_ACK_SEQUENCE", TcpState.SYN_SENT, Ack), (reset.Reason, reset.State, reset.TcpFlags));
        Assert.Equal((drop.Seq, bareAck), (reset.Seq, reset.Ack));
        Assert.Equal((drop.SourcePort, drop.DestinationPort), (reset.SourcePort, reset.DestinationPort));
        // the RST itself, as the server's TIME_WAIT consumed it: seq = the bare ACK's ack number
        uint server = lab.Namespace(LabRun.ServerRole).Inode;
        PacketDrop rst = Assert.Single(drops, d => d.Kind == DropKind.Drop && d.NetNs == server && (d.TcpFlags & Rst) != 0);
        Assert.Equal((TcpState.TIME_WAIT, bareAck, bareAck), (rst.State, rst.Seq, rst.TwRcvNxt));
        Assert.Equal(1, lab.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpOutRsts"));
    }

    [PrivilegedFact]
    public void A_server_killed_with_unread_data_has_the_queued_connection_s_data_purged()
    {
        (LabResult lab, IReadOnlyList<PacketDrop> drops) = Run(new CloseWaitLeakScenario(), new LabOptions { Variant = "killed" });
        Assert.All(lab.Clients, c => Assert.Equal(OutcomeKind.Connected, c.Outcome));
        int queued = lab.Clients.Single(c => c.Client == 2).LocalPort; // the connection the server never accepted
        uint server = lab.Namespace(LabRun.ServerRole).Inode;

        PacketDrop[] purged = [.. drops.Where(d => d.Kind == DropKind.Drop && d.NetNs == server && d.Reason == "QUEUE_PURGE")];
        Assert.NotEmpty(purged);
        Assert.All(purged, d => Assert.Equal(("198.18.0.1", queued, CloseWaitLeakScenario.Port), (d.SourceText, (int)d.SourcePort, (int)d.DestinationPort)));
        // the one send the server never read: every byte of it purged, in one segment
        Assert.Equal(Fact(lab, "unread_bytes"), (uint)purged.Sum(d => d.Payload));
        Assert.Single(purged, d => d.Payload > 0);

        // the accepted connection's unread data is freed at close without kfree_skb (the kernel counts it
        // TCPAbortOnClose): only its reset tells
        Assert.Single(drops, d => d.Kind == DropKind.Reset && d.NetNs == server && d.Reason == "TCP_ABORT_ON_CLOSE" && !d.HasPacket);
        NamespaceReport counters = lab.Namespace(LabRun.ServerRole);
        Assert.Equal((1L, 2L), (counters.CounterDeltas.GetValueOrDefault("TcpExtTCPAbortOnClose"), counters.CounterDeltas.GetValueOrDefault("TcpOutRsts")));
    }
}
