using TcpScope.Cli.Verbs;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Diagnosis;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The rules over drops, fed synthetic drops: grouping, counts, examples, words and severity by reason and rate.</summary>
public class DropRulesTests
{
    private const long S = 1_000_000_000;
    private const byte SynFlag = 0x02;
    private const byte AckFlag = 0x10;
    private const byte PshAck = 0x18;

    private static RuleSet Rules() => RuleCatalogue.Create(RuleCatalogue.Select(DropsVerb.Rules), new RuleOptions());

    private static IReadOnlyList<Finding> Feed(params PacketDrop[] drops)
    {
        RuleSet rules = Rules();
        foreach (PacketDrop d in drops)
        {
            rules.OnDrop(in d);
        }

        return rules.Evaluate(drops.Length == 0 ? 0 : drops[^1].TimestampNs);
    }

    /// <summary><paramref name="count"/> drops spread evenly over <paramref name="seconds"/>.</summary>
    private static PacketDrop[] Spread(int count, double seconds, string reason, byte flags = SynFlag, string destination = "198.18.0.2:81") =>
        [.. Enumerable.Range(0, count).Select(i => Drop(
            S + (long)(i * seconds * S / Math.Max(1, count - 1)), reason, tcpFlags: flags, destination: destination, source: $"198.18.0.1:{40000 + (i % 20000)}"))];

    [Fact]
    public void The_drops_verb_runs_six_rules_of_the_catalogue_none_of_which_needs_connections()
    {
        IReadOnlyList<RuleEntry> entries = RuleCatalogue.Select(DropsVerb.Rules);

        Assert.Equal(
            ["TCP-FIREWALL-DROPS", "TCP-ACCEPT-QUEUE-FULL-AT-ACK", "TCP-NO-LISTENER", "TCP-RECEIVE-BUFFER-DROPS", "TCP-CHECKSUM-DROPS", "TCP-DROPS"],
            entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.False(e.NeedsConnections, e.Id));
    }

    [Fact]
    public void Syns_eaten_by_a_firewall_are_one_warning_with_their_count_examples_and_the_reasons_words()
    {
        // a SYN and its retransmits 1 s apart: what connect-timeout shows
        Finding f = Assert.Single(Feed(
            Drop(10 * S, "NETFILTER_DROP", destination: "198.18.0.2:81"),
            Drop(11 * S, "NETFILTER_DROP", destination: "198.18.0.2:81"),
            Drop(12 * S, "NETFILTER_DROP", destination: "198.18.0.2:81")));

        Assert.Equal(("TCP-FIREWALL-DROPS", Severity.Warning), (f.Id, f.Severity));
        Assert.Equal("198.18.0.2:81, NETFILTER_DROP, netns 4026532177", f.Subject);
        Assert.Equal("a firewall rule in netns 4026532177 dropped 3 segment(s) to 198.18.0.2:81, 3 of them SYN(s): those connects get no answer", f.Title);
        Assert.Equal("3 segment(s) to 198.18.0.2:81 dropped with reason NETFILTER_DROP in netns 4026532177, 3 of them SYN(s), over 2.0 s (1.5/s)", f.Evidence[0]);
        Assert.Equal(
            ["+0.0 s: S from 198.18.0.1:41234, no socket", "+1.0 s: S from 198.18.0.1:41234, no socket", "+2.0 s: S from 198.18.0.1:41234, no socket"],
            f.Evidence.Skip(1));
        Assert.StartsWith("NETFILTER_DROP: a firewall rule dropped it", f.Explanation, StringComparison.Ordinal);
        Assert.StartsWith("List the rules of this namespace (nft list ruleset; iptables-save)", f.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Firewall_drops_at_a_high_rate_are_an_error()
    {
        Finding f = Assert.Single(Feed(Spread(300, 1.0, "NETFILTER_DROP")));

        Assert.Equal(("TCP-FIREWALL-DROPS", Severity.Error), (f.Id, f.Severity));
    }

    [Fact]
    public void Drops_are_grouped_by_namespace_local_endpoint_and_reason()
    {
        IReadOnlyList<Finding> found = Feed(
            Drop(S, "NETFILTER_DROP", destination: "198.18.0.2:81"),
            Drop(S, "NETFILTER_DROP", destination: "198.18.0.2:81", source: "198.18.0.9:5000"),
            Drop(S, "NETFILTER_DROP", destination: "198.18.0.2:82"),
            Drop(S, "NETFILTER_DROP", destination: "198.18.0.2:81", netns: 7),
            Drop(S, "TCP_CSUM", destination: "198.18.0.2:81"));

        Assert.Equal(
            [
                ("TCP-FIREWALL-DROPS", "198.18.0.2:81, NETFILTER_DROP, netns 7"),
                ("TCP-FIREWALL-DROPS", "198.18.0.2:81, NETFILTER_DROP, netns 4026532177"),
                ("TCP-FIREWALL-DROPS", "198.18.0.2:82, NETFILTER_DROP, netns 4026532177"),
                ("TCP-CHECKSUM-DROPS", "198.18.0.2:81, TCP_CSUM, netns 4026532177"),
            ],
            found.Select(f => (f.Id, f.Subject)));
        Assert.StartsWith("2 segment(s) to 198.18.0.2:81", found[1].Evidence[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Handshake_acks_at_a_full_accept_queue_are_an_error_with_the_listeners_queue_and_owner()
    {
        PacketDrop Ack(long ts, uint backlog) => Drop(ts, "TCP_LISTEN_OVERFLOW", tcpFlags: AckFlag, state: TcpState.LISTEN, socket: 0xa, ownerPid: 4711, ownerComm: "server", extra: DropEventFlags.Listener)
            with { AckBacklog = backlog, MaxAckBacklog = 2, SynQueueLength = 1 };

        Finding f = Assert.Single(Feed(Ack(S, 3), Ack(2 * S, 3)));

        Assert.Equal(("TCP-ACCEPT-QUEUE-FULL-AT-ACK", Severity.Error), (f.Id, f.Severity));
        Assert.Equal("the listener 198.18.0.2:8080 of server (pid 4711) dropped 2 ACK(s) of clients completing their handshake: its accept queue was full (accept queue 3/2); those clients believe they are connected", f.Title);
        Assert.Contains("listener 198.18.0.2:8080: accept queue 3/2 (at most 3 seen), SYN queue 1, owner server (pid 4711)", f.Evidence);
        Assert.Contains("+0.0 s: A from 198.18.0.1:41234, LISTEN socket, accept queue 3/2, SYN queue 1, owner server[4711]", f.Evidence);
        Assert.StartsWith("Make the application call accept() faster", f.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_that_find_no_request_at_a_full_listener_are_the_accept_queue_story_told_apart()
    {
        PacketDrop AtListener(long ts, string reason, uint backlog) => Drop(ts, reason, tcpFlags: PshAck, state: TcpState.LISTEN, socket: 0xa, ownerPid: 4711, ownerComm: "server", extra: DropEventFlags.Listener)
            with { AckBacklog = backlog, MaxAckBacklog = 2 };

        IReadOnlyList<Finding> found = Feed(AtListener(S, "TCP_LISTEN_OVERFLOW", 3), AtListener(2 * S, "NO_SOCKET", 3), AtListener(3 * S, "NO_SOCKET", 3), AtListener(4 * S, "NO_SOCKET", 1));

        Assert.Equal(
            [
                ("TCP-ACCEPT-QUEUE-FULL-AT-ACK", "198.18.0.2:8080, NO_SOCKET, netns 4026532177"),
                ("TCP-ACCEPT-QUEUE-FULL-AT-ACK", "198.18.0.2:8080, TCP_LISTEN_OVERFLOW, netns 4026532177"),
                ("TCP-DROPS", "all endpoints, NO_SOCKET, netns 4026532177"), // the queue had room: another story
            ],
            found.Select(f => (f.Id, f.Subject)));
        Assert.Equal("the listener 198.18.0.2:8080 of server (pid 4711) dropped 2 segment(s) of handshakes it never completed: its accept queue was full (accept queue 3/2)", found[0].Title);
        Assert.StartsWith("NO_SOCKET: the listener found no pending connection for the segment", found[0].Explanation, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, found[0].Severity);
    }

    [Fact]
    public void A_syn_to_a_closed_port_is_no_listener_with_the_reset_the_kernel_sent_for_it()
    {
        // the kernel sends the reset before it frees the SYN
        Finding f = Assert.Single(Feed(
            Drop(S, "NO_SOCKET", kind: DropKind.Reset, reasonNumber: 1, destination: "198.18.0.2:81"),
            Drop(S + 1000, "NO_SOCKET", reasonNumber: 2, destination: "198.18.0.2:81")));

        Assert.Equal(("TCP-NO-LISTENER", Severity.Warning), (f.Id, f.Severity));
        Assert.Equal("1 SYN(s) to 198.18.0.2:81 in netns 4026532177 found nobody listening: connection refused", f.Title);
        Assert.Contains("1 RST(s) sent by the kernel in answer (no socket: reset reason NO_SOCKET)", f.Evidence);
    }

    [Fact]
    public void No_socket_for_a_segment_of_a_gone_connection_is_normal_life_not_a_missing_listener()
    {
        Finding f = Assert.Single(Feed(Drop(S, "NO_SOCKET", tcpFlags: PshAck), Drop(2 * S, "NO_SOCKET", tcpFlags: 0x11)));

        Assert.Equal(("TCP-DROPS", Severity.Info), (f.Id, f.Severity));
    }

    [Fact]
    public void Receive_buffer_and_memory_pressure_are_one_rule_two_groups()
    {
        IReadOnlyList<Finding> found = Feed(
            Drop(S, "SOCKET_RCVBUFF", tcpFlags: PshAck, state: TcpState.ESTABLISHED, socket: 0xb, ownerPid: 42, ownerComm: "slowreader"),
            Drop(S, "PROTO_MEM", tcpFlags: PshAck, state: TcpState.ESTABLISHED, socket: 0xb));

        Assert.Equal(
            [("TCP-RECEIVE-BUFFER-DROPS", Severity.Warning, "198.18.0.2:8080, PROTO_MEM, netns 4026532177"), ("TCP-RECEIVE-BUFFER-DROPS", Severity.Warning, "198.18.0.2:8080, SOCKET_RCVBUFF, netns 4026532177")],
            found.Select(f => (f.Id, f.Severity, f.Subject)));
        Assert.Equal("1 segment(s) to 198.18.0.2:8080 dropped: the receiving socket's buffer was full (slowreader (pid 42) is not reading fast enough)", found[1].Title);
    }

    [Fact]
    public void Bad_checksums_are_a_warning()
    {
        Finding f = Assert.Single(Feed(Drop(S, "TCP_CSUM", tcpFlags: PshAck)));

        Assert.Equal(("TCP-CHECKSUM-DROPS", Severity.Warning), (f.Id, f.Severity));
        Assert.StartsWith("Look for corruption on the path or a checksum-offload bug", f.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_drops_of_normal_tcp_life_in_small_numbers_are_info()
    {
        IReadOnlyList<Finding> found = Feed(
            [.. Spread(50, 10, "NOT_SPECIFIED", AckFlag, "198.18.0.2:80"), .. Spread(20, 10, "TCP_OLD_DATA", PshAck, "198.18.0.2:80"), Drop(11 * S, "QUEUE_PURGE", tcpFlags: PshAck)]);

        Assert.Equal(3, found.Count);
        Assert.All(found, f => Assert.Equal(("TCP-DROPS", Severity.Info), (f.Id, f.Severity)));
    }

    [Fact]
    public void Normal_life_at_the_ephemeral_ports_of_a_storm_is_one_finding_per_namespace_and_reason()
    {
        PacketDrop[] purged = [.. Enumerable.Range(0, 3000).Select(i => Drop(S + (i * 1_000_000L), "QUEUE_PURGE", tcpFlags: PshAck, source: "127.0.0.1:8080", destination: $"127.0.0.1:{32768 + i}"))];

        Finding f = Assert.Single(Feed(purged));

        Assert.Equal(("TCP-DROPS", Severity.Info, "all endpoints, QUEUE_PURGE, netns 4026532177"), (f.Id, f.Severity, f.Subject));
        Assert.Equal("3000 segment(s) dropped with reason QUEUE_PURGE in netns 4026532177 (normal TCP life; all endpoints together)", f.Title);
        Assert.StartsWith("3000 segment(s) dropped with reason QUEUE_PURGE in netns 4026532177, over 2.999 s", f.Evidence[0], StringComparison.Ordinal);
        Assert.Equal("+0.0 s: PA from 127.0.0.1:8080, no socket", f.Evidence[1]);
    }

    [Fact]
    public void Segments_without_a_reason_never_warn_even_in_a_storm()
    {
        Finding f = Assert.Single(Feed(Spread(20_000, 2, "NOT_SPECIFIED", AckFlag)));

        Assert.Equal(Severity.Info, f.Severity);
    }

    [Fact]
    public void Spurious_retransmits_warn_only_in_large_numbers_at_a_high_rate()
    {
        Assert.Equal(Severity.Info, Assert.Single(Feed(Spread(500, 1, "TCP_OLD_DATA", PshAck))).Severity);
        Assert.Equal(Severity.Warning, Assert.Single(Feed([.. Spread(12_000, 5, "TCP_OLD_DATA", PshAck).Select(d => d with { Payload = 100 })])).Severity);
    }

    [Fact]
    public void Fins_purged_at_close_by_a_storm_of_connections_stay_info_data_purged_as_fast_warns()
    {
        // every connection closed after its peer's FIN purges that FIN: 5000/s in a storm
        PacketDrop[] fins = Spread(50_000, 10, "QUEUE_PURGE", 0x11);
        Assert.Equal(Severity.Info, Assert.Single(Feed(fins)).Severity);
        Assert.Equal(Severity.Warning, Assert.Single(Feed([.. fins.Select(d => d with { TcpFlags = PshAck, Payload = 64 })])).Severity);
    }

    [Fact]
    public void Another_reason_is_info_at_a_low_rate_and_a_warning_at_a_high_one()
    {
        Finding low = Assert.Single(Feed(Spread(5, 10, "TCP_INVALID_SEQUENCE", PshAck)));
        Assert.Equal(("TCP-DROPS", Severity.Info), (low.Id, low.Severity));
        Assert.Equal(Severity.Warning, Assert.Single(Feed(Spread(300, 1, "TCP_INVALID_SEQUENCE", PshAck))).Severity);
    }

    [Fact]
    public void A_reason_without_words_is_named_and_the_remedy_says_so()
    {
        Finding f = Assert.Single(Feed(Drop(S, "SOME_NEW_REASON", tcpFlags: PshAck)));

        Assert.StartsWith("The kernel dropped these segments with reason SOME_NEW_REASON. ", f.Explanation, StringComparison.Ordinal);
        Assert.Equal("1 segment(s) to 198.18.0.2:8080 dropped with reason SOME_NEW_REASON", f.Title);
    }

    [Fact]
    public void Examples_are_capped_and_the_rest_counted()
    {
        Finding f = Assert.Single(Feed(Spread(12, 1, "NETFILTER_DROP")));

        // the count line, 5 examples, the rest
        Assert.Equal(7, f.Evidence.Count);
        Assert.Equal("... and 7 more", f.Evidence[^1]);
    }

    [Fact]
    public void A_full_table_counts_the_drops_it_did_not_keep()
    {
        var rule = new FirewallDropsRule();
        for (int port = 1; port <= 1025; port++)
        {
            PacketDrop d = Drop(S, "NETFILTER_DROP", destination: $"198.18.0.2:{port}");
            rule.OnDrop(in d);
        }

        Assert.Equal(1024, rule.Evaluate(S).Count);
        Assert.Equal(1, rule.Shortfalls.Single(s => s.Id == "firewall_drops_drops_not_kept").Count);
    }

    [Fact]
    public void Resets_and_drops_of_other_reasons_do_not_reach_the_wrong_rule()
    {
        Assert.Empty(Feed(Drop(S, "TCP_INVALID_ACK_SEQUENCE", kind: DropKind.Reset, reasonNumber: 9, tcpFlags: AckFlag)));
    }
}
