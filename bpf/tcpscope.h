/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel/user ABI of TcpScope: every record that crosses the ring buffer.
 * Only this file is shared with user space; the C# mirror is checked against the
 * compiled objects' BTF by the ABI contract test, so change both together.
 * Rules: fixed layout, __u* fields, explicit padding, 16-byte address slots
 * (IPv4 in the first 4 bytes), sizes asserted below.
 */
#ifndef TCPSCOPE_H
#define TCPSCOPE_H

#define TS_COMM_LEN 16
#define TS_MAX_PORT_FILTERS 8
#define TS_STACK_DEPTH 32

/* ts_event_header.kind */
enum ts_event_kind {
	TS_EVENT_STATE = 1,		/* ts_state_event */
	TS_EVENT_RETRANSMIT = 2,	/* ts_sock_event: tcp_retransmit_skb */
	TS_EVENT_RESET_RECEIVED = 3,	/* ts_sock_event: tcp_receive_reset */
	TS_EVENT_RESET_SENT = 4,	/* ts_sock_event: tcp_send_reset from a socket; value = enum sk_rst_reason, -1 if the kernel has none */
	TS_EVENT_SOCK_ERROR = 5,	/* ts_sock_event: inet_sk_error_report; value = sk_err, else sk_err_soft */
	TS_EVENT_ACCEPT = 6,		/* ts_sock_event: accept()/accept4() returned this socket; value = fd */
	TS_EVENT_CONNECT_RETURN = 7,	/* ts_sock_event: connect() returned; value = 0 or -errno, aux = fd */
	TS_EVENT_TOTALS = 8,		/* ts_totals_event: what the socket carried, taken as it closes */
	TS_EVENT_STACK = 9,		/* ts_stack_event */
	TS_EVENT_ICMP_ERROR = 10,	/* ts_icmp_event: an ICMP error queued on the socket (inet_sk_error_report) */
	TS_EVENT_GONE = 11,		/* ts_sock_event: a followed socket was destroyed whose CLOSE record was lost */
	TS_EVENT_DROP = 12,		/* ts_drop_event: a TCP segment freed without delivery (kfree_skb) */
	TS_EVENT_DROP_RESET = 13,	/* ts_drop_event: tcp_send_reset, with the segment it answers (socket or not) */
};

/* Indexes of the per-CPU counters map of every object. */
enum ts_counter {
	TS_COUNTER_LOST = 0,		/* ring-buffer reservations that failed: events lost */
	TS_COUNTER_SOCKETS_FULL = 1,	/* sockets not followed: the sockets map was full */
	TS_COUNTER_LISTENERS_FULL = 2,	/* listeners not followed: the listeners map was full */
	TS_COUNTER_ATTEMPTS_FULL = 3,	/* failed connects not followed to their error: failed_attempts full */
	TS_COUNTER_GONE = 4,		/* TS_EVENT_GONE records meant to be sent: records of the tracer itself */
	TS_COUNTER_DROP_KEYS_FULL = 5,	/* drops --count: drops not counted, the drop_counts map was full */
	TS_COUNTER_MAX = 6,
};

struct ts_event_header {
	__u16 kind;		/* enum ts_event_kind */
	__u16 size;		/* size of the whole record */
	__u32 netns;		/* network namespace inode number */
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;		/* tgid of the task on CPU (may be an innocent bystander in softirq) */
	__u32 tid;
	char comm[TS_COMM_LEN];	/* comm of the task on CPU */
};

/* ts_state_event.flags (enums, not macros: their values are in the objects' BTF for the contract test) */
enum ts_state_flags {
	TS_STATE_DELTA_KNOWN = 1u << 0,		/* delta_ns is valid (the old state's start was seen) */
	TS_STATE_OWNER_KNOWN = 1u << 1,		/* owner_pid/owner_comm name the socket's process */
	TS_STATE_OWNER_LISTENER = 1u << 2,	/* owner inherited from the listener (passive open) */
	TS_STATE_AFTER_LOSS = 1u << 3,		/* a record of this socket before this one was lost (ring full) */
};

/* One sock:inet_sock_set_state transition of a TCP socket. */
struct ts_state_event {
	struct ts_event_header hdr;
	__u64 skaddr;		/* kernel address of the socket: an identity, never dereferenced */
	__u64 delta_ns;		/* time spent in oldstate */
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 family;		/* AF_INET or AF_INET6 */
	__u16 sport;		/* host byte order */
	__u16 dport;		/* host byte order */
	__u8 oldstate;		/* kernel TCP state numbers (names come from BTF) */
	__u8 newstate;
	__u32 owner_pid;	/* tgid of the process that owns the socket, 0 if unknown */
	__u32 flags;		/* TS_STATE_* */
	char owner_comm[TS_COMM_LEN];
};

/*
 * Something that happened to a socket other than a state change. The hdr task is the one on
 * the CPU: the owner for ACCEPT and CONNECT_RETURN (syscalls), anyone for the rest (softirq).
 */
struct ts_sock_event {
	struct ts_event_header hdr;
	__u64 skaddr;
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 family;
	__u16 sport;		/* host byte order */
	__u16 dport;
	__u8 state;		/* the socket's state when it happened (kernel numbers) */
	__u8 flags;		/* TS_SOCK_* */
	__s32 value;		/* per kind, see enum ts_event_kind */
	__u32 aux;
};

/* ts_sock_event.flags */
enum ts_sock_flags {
	TS_SOCK_AFTER_LOSS = 1u << 0,		/* a record of this socket before this one was lost (ring full) */
};

/* ts_totals_event.flags: the sequence numbers a SYN or FIN took, counted in the byte counts */
enum ts_totals_flags {
	TS_TOTALS_FIN_RECEIVED = 1u << 0,	/* the peer's FIN arrived (counted in bytes_received) */
	TS_TOTALS_FIN_ACKED = 1u << 1,		/* our FIN was sent and acknowledged (counted in bytes_acked) */
	TS_TOTALS_AFTER_LOSS = 1u << 2,		/* a record of this socket before this one was lost (ring full) */
};

/* struct tcp_sock's counters as the socket closes (any state but SYN_SENT and LISTEN). */
struct ts_totals_event {
	struct ts_event_header hdr;
	__u64 skaddr;
	__u64 bytes_acked;	/* acknowledged by the peer, incl. an active open's SYN and an acked FIN (RFC 4898 HCThruOctetsAcked) */
	__u64 bytes_received;	/* received in order, incl. the peer's FIN (HCThruOctetsReceived) */
	__u32 segs_out;
	__u32 segs_in;
	__u32 total_retrans;
	__u32 srtt_us;		/* smoothed RTT, microseconds */
	__u32 flags;		/* TS_TOTALS_* */
	__u32 pad;
	__u64 bytes_sent;	/* payload bytes transmitted, retransmissions included (no SYN or FIN) */
	__u64 bytes_retrans;	/* of those, retransmitted */
};

/* An ICMP error that arrived for a socket, as the kernel queued it (struct sock_extended_err). */
struct ts_icmp_event {
	struct ts_event_header hdr;
	__u64 skaddr;
	__u8 offender[16];	/* source of the ICMP message: the host or router that sent it */
	__u16 family;		/* of offender: AF_INET (ICMP) or AF_INET6 (ICMPv6) */
	__u8 type;		/* ICMP type and code as received */
	__u8 code;
	__u8 state;		/* the socket's state when it arrived (kernel numbers) */
	__u8 pad[3];
	__s32 error;		/* the errno the kernel made of it (ee_errno): what SO_ERROR returns */
	__u32 info;		/* ee_info: the next-hop MTU of "fragmentation needed" / "packet too big" */
};

/* ts_stack_event.where */
enum ts_stack_where {
	TS_STACK_KERNEL_AT_END = 1,	/* kernel stack where a connect attempt ended (SYN_SENT left) */
	TS_STACK_USER_AT_CONNECT = 2,	/* user stack of the connect() call */
	TS_STACK_KERNEL_AT_DROP = 3,	/* kernel stack where a segment was dropped (drops --stacks) */
};

/*
 * hdr.ts_ns is the ts_ns of the record the stack belongs to (the state event where the attempt
 * ended, the connect() return, or the drop), so a reader matches it to that record exactly even when the
 * socket's address is reused for the next connection within the same batch.
 */
struct ts_stack_event {
	struct ts_event_header hdr;
	__u64 skaddr;
	__u32 where;		/* enum ts_stack_where */
	__u32 frames;
	__u64 ips[TS_STACK_DEPTH];
};

/* ts_drop_event.flags */
enum ts_drop_flags {
	TS_DROP_SOCKET = 1u << 0,		/* skaddr/state name the receiving socket (rx_sk, or tcp_send_reset's sk) */
	TS_DROP_PACKET = 1u << 1,		/* the segment's headers were read (addresses, ports, flags, seq, ack) */
	TS_DROP_TIMESTAMP = 1u << 2,		/* the segment carries the timestamp option: tsval, tsecr */
	TS_DROP_OWNER_KNOWN = 1u << 3,		/* owner_pid/owner_comm name the socket's process */
	TS_DROP_OWNER_LISTENER = 1u << 4,	/* the owner is the listener's on the segment's local port */
	TS_DROP_LISTENER = 1u << 5,		/* ack_backlog, max_ack_backlog, syn_qlen: the listener's queues */
	TS_DROP_TIMEWAIT = 1u << 6,		/* tw_*: the TIME_WAIT / FIN_WAIT2 mini-socket's fields */
	TS_DROP_NO_REASON = 1u << 7,		/* the kernel gives no reason (classic tracepoint before 5.17, reset before 6.10) */
	TS_DROP_NO_RX_SK = 1u << 8,		/* the kernel does not say which socket received it (before 6.11's rx_sk) */
};

/*
 * One TCP segment the kernel freed without delivering it (TS_EVENT_DROP), or a reset it sent
 * (TS_EVENT_DROP_RESET). The addresses are the segment's own, as received: saddr:sport is the
 * sender. A reset sent with no segment (an abort from a socket) has the socket's peer as saddr.
 * hdr.netns is the receiving socket's namespace, else that of the skb's device.
 */
struct ts_drop_event {
	struct ts_event_header hdr;
	__u64 skaddr;		/* rx_sk / the resetting socket: an identity, never dereferenced; 0 if none */
	__u64 location;		/* kernel address that freed it (kfree_skb's location); 0 for a reset */
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 family;		/* AF_INET or AF_INET6 */
	__u16 sport;		/* host byte order */
	__u16 dport;
	__u8 tcp_flags;		/* the TCP header's flags byte (FIN 0x01 ... CWR 0x80) */
	__u8 state;		/* the socket's skc_state (kernel numbers; 6 = TIME_WAIT mini-socket, 12 = request) */
	__s32 reason;		/* enum skb_drop_reason (DROP) or enum sk_rst_reason (RESET), kernel numbers; -1 if none */
	__u32 flags;		/* TS_DROP_* */
	__u32 seq;		/* the segment's sequence and acknowledgment numbers, host order */
	__u32 ack;
	__u32 tsval;		/* its timestamp option (TS_DROP_TIMESTAMP) */
	__u32 tsecr;
	__u32 payload;		/* bytes of TCP payload in the segment */
	__u32 owner_pid;	/* the socket's owner (sockets map), else the listener's on the local port */
	char owner_comm[TS_COMM_LEN];
	__u32 ack_backlog;	/* TS_DROP_LISTENER: accept queue length, its limit, and the SYN queue length */
	__u32 max_ack_backlog;
	__u32 syn_qlen;
	__u8 tw_substate;	/* TS_DROP_TIMEWAIT: TIME_WAIT (6) or FIN_WAIT2 (5) */
	__u8 pad[3];
	__u32 tw_rcv_nxt;
	__u32 tw_snd_nxt;
	__u32 tw_ts_recent;
	__s32 tw_ts_recent_stamp;	/* seconds (ktime_get_seconds) when ts_recent was taken */
};

/*
 * drops --count: the key of the drop_counts map (a per-CPU hash of __u64 drop counts), read by
 * user space every interval; no record crosses the ring.
 */
struct ts_drop_count_key {
	__u32 netns;		/* as ts_drop_event's hdr.netns */
	__s32 reason;		/* enum skb_drop_reason; -1 if the kernel gives none */
	__u64 location;		/* kfree_skb's location */
	__u8 state;		/* the receiving socket's skc_state; 0 when no socket received it; TS_DROP_COUNT_STATE_UNKNOWN */
	__u8 pad[7];
};

#define TS_DROP_COUNT_KEYS 4096
/* state of a drop no socket owned, on a kernel that does not say which socket received it (rx_sk: 6.11) */
#define TS_DROP_COUNT_STATE_UNKNOWN 0xff

_Static_assert(sizeof(struct ts_event_header) == 40, "ts_event_header layout");
_Static_assert(sizeof(struct ts_sock_event) == 96, "ts_sock_event layout");
_Static_assert(sizeof(struct ts_totals_event) == 104, "ts_totals_event layout");
_Static_assert(sizeof(struct ts_stack_event) == 312, "ts_stack_event layout");
_Static_assert(sizeof(struct ts_icmp_event) == 80, "ts_icmp_event layout");
_Static_assert(sizeof(struct ts_state_event) == 120, "ts_state_event layout");
_Static_assert(sizeof(struct ts_drop_event) == 176, "ts_drop_event layout");
_Static_assert(sizeof(struct ts_drop_count_key) == 24, "ts_drop_count_key layout");

#endif /* TCPSCOPE_H */
