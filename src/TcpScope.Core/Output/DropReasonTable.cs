namespace TcpScope.Output;

/// <summary>
/// The words for each drop reason TCP users meet: data, not code. A reason that is not here
/// is shown by its name and the kernel function that dropped it; <see cref="Generic"/> lists
/// the TCP-related ones left to that on purpose (the unit test checks the kernel's enum
/// against both).
/// </summary>
public static class DropReasonTable
{
    private const string Md5OrAo = "the segment's TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925) signature did not match what the socket expects";
    private const string KeysRemedy = "check that both ends have the same keys for this peer (BGP and other routing daemons use them)";

    public static IReadOnlyList<DropReasonEntry> Entries { get; } =
    [
        new("NOT_SPECIFIED", "no reason given by the kernel (a path without a reason of its own: the location says where)", null),
        new("NO_SOCKET", "no socket for it: nobody listens on that port, or the connection it belongs to is gone (the kernel answers with RST)", "check that the server runs and listens on this address and port; for segments of old connections, nothing to do"),
        new("SOCKET_CLOSE", "the socket was closing", null),
        new("SOCKET_FILTER", "a socket filter (SO_ATTACH_FILTER, BPF) on the receiving socket rejected it", "check the filters the application attaches to its socket"),
        new("SOCKET_RCVBUFF", "the receiver's buffer is full: the application is not reading fast enough", "make the application read faster, or raise its SO_RCVBUF / net.ipv4.tcp_rmem"),
        new("SOCKET_BACKLOG", "the socket's backlog (segments queued while the application holds the socket lock) is full", "the application holds the socket busy too long, or the buffers are too small (net.ipv4.tcp_rmem)"),
        new("PKT_TOO_SMALL", "the packet is shorter than its headers say: truncated or malformed", "look for a broken sender or middlebox"),
        new("TCP_CSUM", "bad TCP checksum: the segment was corrupted on the way", "look for corruption on the path or a checksum-offload bug (ethtool -K IFACE rx off tx off to test)"),
        new("IP_CSUM", "bad IP header checksum: the packet was corrupted on the way", "look for corruption on the path or a NIC/offload problem"),
        new("NETFILTER_DROP", "a firewall rule dropped it (netfilter: iptables/nftables, in this segment's network namespace)", "list the rules of this namespace (nft list ruleset; iptables-save) and find the DROP or REJECT that matches"),
        new("OTHERHOST", "the packet was for another host (wrong MAC or address)", null),
        new("PROTO_MEM", "TCP is under memory pressure (net.ipv4.tcp_mem): the stack drops instead of queuing", "find the sockets holding memory (ss -tm), raise net.ipv4.tcp_mem, or make receivers read"),
        new("QUEUE_PURGE", "the socket was closed with data still unread in its receive queue: the data is thrown away (and the peer gets RST)", "the application closed without reading everything: read until EOF before close(), or expect the RST"), // FIN-only segments purged at close are not sent (drops.bpf.c)
        new("IP_OUTNOROUTES", "no route to send it", "check the routing table of this namespace (ip route)"),
        new("TCP_MD5NOTFOUND", Md5OrAo + ": the segment has no MD5 signature, the socket requires one", KeysRemedy),
        new("TCP_MD5UNEXPECTED", Md5OrAo + ": the segment is signed, the socket expects no signature", KeysRemedy),
        new("TCP_MD5FAILURE", Md5OrAo + ": wrong MD5 signature", KeysRemedy),
        new("TCP_AONOTFOUND", Md5OrAo + ": no TCP-AO option where one is required", KeysRemedy),
        new("TCP_AOUNEXPECTED", Md5OrAo + ": a TCP-AO option where none is expected", KeysRemedy),
        new("TCP_AOKEYNOTFOUND", Md5OrAo + ": no TCP-AO key matches", KeysRemedy),
        new("TCP_AOFAILURE", Md5OrAo + ": wrong TCP-AO signature", KeysRemedy),
        new("TCP_AUTH_HDR", Md5OrAo + ": the authentication option is malformed or both MD5 and AO are present", KeysRemedy),
        new("TCP_FLAGS", "invalid flags for the socket's state, e.g. an ACK reaching a listener after its request was reset", null),
        new("TCP_ABORT_ON_DATA", "data arrived for a socket the application already closed: the connection is aborted with RST", "the application closed while the peer was still sending: shut down in order (shutdown, read to EOF, close)"),
        new("TCP_ZEROWINDOW", "the receive window is zero: the receiver has no room (its application is not reading)", "make the receiving application read faster, or give it larger buffers"),
        new("TCP_OLD_DATA", "all of its data was received already: a retransmission the receiver did not need (spurious retransmit, or a lost ACK)", "usually harmless; many of them point at lost ACKs or too short retransmission timeouts"),
        new("TCP_OVERWINDOW", "the data lies beyond the receive window (or a SYN with another ISN hit a request socket): a sender ignoring the window, or an old duplicate", null),
        new("TCP_OFOMERGE", "out-of-order data that the out-of-order queue already holds (a duplicate)", null),
        new("TCP_RFC7323_PAWS", "PAWS: its timestamp (TSval) is older than the last one seen on this connection (RFC 7323): typically two clients behind one NAT address, with different timestamp clocks", "look for NAT or load balancers that mix connections of several hosts on one address; net.ipv4.tcp_timestamps on the clients"),
        new("TCP_RFC7323_PAWS_ACK", "PAWS on a pure ACK: its timestamp is older than the last one seen (RFC 7323)", "look for NAT mixing several hosts' connections on one address"),
        new("TCP_RFC7323_TW_PAWS", "a SYN with a timestamp older than the TIME_WAIT socket's ts_recent on the same 4-tuple: PAWS reject, answered with a bare ACK (typically several clients behind one NAT address reusing its port)", "look for NAT that reuses ports quickly (short conntrack timeouts, several NATs on one address); the client's RST to the bare ACK usually heals it one round trip later"),
        new("TCP_RFC7323_TSECR", "its timestamp echo (TSecr) is invalid: it echoes a timestamp this host never sent", "look for middleboxes that rewrite timestamps"),
        new("TCP_LISTEN_OVERFLOW", "the handshake's last ACK found the listener's accept queue full: the connection is not created (the client believes it is)", "make the application call accept() faster, or raise its listen() backlog and net.core.somaxconn"),
        new("TCP_OLD_SEQUENCE", "its sequence numbers are entirely before the receive window: an old duplicate or a spurious retransmit", "usually harmless; many point at spurious retransmits"),
        new("TCP_INVALID_SEQUENCE", "its sequence number is outside the receive window", "look for middleboxes that rewrite sequence numbers, or a peer that lost state"),
        new("TCP_INVALID_END_SEQUENCE", "its end lies beyond the receive window", null),
        new("TCP_INVALID_ACK_SEQUENCE", "it acknowledges data never sent: in SYN_SENT, a bare ACK from the peer's old TIME_WAIT for this 4-tuple (the client answers with RST and retries)", "look for port reuse: many clients behind one NAT address, or a client reconnecting from the same port"),
        new("TCP_RESET", "an RST that the socket processed (the connection is gone)", null),
        new("TCP_INVALID_SYN", "a SYN on a synchronized connection: answered with a challenge ACK (e.g. a retransmitted SYN-ACK at a client that is already ESTABLISHED)", "frequent ones point at a peer that lost its connection state (restart, NAT) or at a full accept queue on the server"),
        new("TCP_CLOSE", "the socket is closed (TCP_CLOSE)", null),
        new("TCP_FASTOPEN", "TCP Fast Open data that could not be accepted", null),
        new("TCP_OLD_ACK", "it acknowledges data that was acknowledged long ago", null),
        new("TCP_TOO_OLD_ACK", "it acknowledges data older than the send window allows", null),
        new("TCP_ACK_UNSENT_DATA", "it acknowledges data not sent yet", "look for middleboxes that rewrite sequence numbers"),
        new("TCP_OFO_QUEUE_PRUNE", "the out-of-order queue was pruned under memory pressure", "raise the receive buffers (net.ipv4.tcp_rmem); check for heavy reordering or loss on the path"),
        new("TCP_OFO_DROP", "out-of-order data dropped because the receive buffer is full", "make the receiver read faster, or raise its buffers"),
        new("TCP_MINTTL", "its TTL is below the socket's minimum (IP_MINTTL, GTSM)", "check IP_MINTTL of the application (routing daemons) and the hop count of the peer"),
        new("IP_RPFILTER", "reverse-path filtering dropped it: the source is not reachable through the interface it came in on", "check net.ipv4.conf.*.rp_filter and the routes"),
        new("IP_INHDR", "bad IP header", null),
        new("IP_NOPROTO", "no handler for its IP protocol", null),
        new("XFRM_POLICY", "an IPsec (xfrm) policy rejected it", "check the IPsec policies (ip xfrm policy)"),
        new("SECURITY_HOOK", "a security module (SELinux, AppArmor, a BPF LSM) rejected it", "check the security policy's audit log"),
        new("BPF_CGROUP_EGRESS", "a cgroup BPF program dropped it on the way out", "check the cgroup BPF programs (bpftool cgroup tree)"),
        new("TC_INGRESS", "a tc ingress filter dropped it", "check the tc filters (tc filter show)"),
        new("TC_EGRESS", "a tc egress filter dropped it", "check the tc filters (tc filter show)"),
        new("XDP", "an XDP program dropped it", "check the XDP programs (ip link, bpftool net)"),
        new("NOMEM", "no memory to handle it", "check the host's memory"),
        new("CPU_BACKLOG", "the CPU's input backlog is full (net.core.netdev_max_backlog)", "raise net.core.netdev_max_backlog or spread the load (RPS)"),
        new("QDISC_DROP", "the queueing discipline dropped it (queue full)", "check the qdisc (tc -s qdisc) and the link's capacity"),
    ];

    /// <summary>TCP-related reasons deliberately left to their name and location: internal or rarely met.</summary>
    public static IReadOnlyList<string> Generic { get; } = [];

    private static readonly Dictionary<string, DropReasonEntry> ByName = Entries.ToDictionary(e => e.Reason, StringComparer.Ordinal);

    public static DropReasonEntry? Find(string? reason) => reason is not null && ByName.TryGetValue(reason, out DropReasonEntry? e) ? e : null;
}
