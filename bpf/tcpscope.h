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

/* ts_event_header.kind */
enum ts_event_kind {
	TS_EVENT_STATE = 1,
};

/* Indexes of the per-CPU counters map of every object. */
enum ts_counter {
	TS_COUNTER_LOST = 0,	/* ring-buffer reservations that failed: events lost */
	TS_COUNTER_MAX = 1,
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

/* ts_state_event.flags */
#define TS_STATE_DELTA_KNOWN	(1u << 0)	/* delta_ns is valid (the old state's start was seen) */
#define TS_STATE_OWNER_KNOWN	(1u << 1)	/* owner_pid/owner_comm name the socket's process */
#define TS_STATE_OWNER_LISTENER	(1u << 2)	/* owner inherited from the listener (passive open) */

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

_Static_assert(sizeof(struct ts_event_header) == 40, "ts_event_header layout");
_Static_assert(sizeof(struct ts_state_event) == 120, "ts_state_event layout");

#endif /* TCPSCOPE_H */
