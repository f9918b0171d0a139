/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-socket bookkeeping behind sock:inet_sock_set_state: when each socket's state began,
 * its local port, and its owner, kept in the shared sockets and listeners maps (maps.bpf.h).
 *
 * The socket's owner is remembered from the transitions only a process's own syscall makes
 * (connect, listen, close); passive children inherit their listener's owner until accept()
 * names the real one (conn.bpf.c), so the softirq work that completes a handshake is not
 * blamed on whatever task was on the CPU.
 */
#ifndef TS_SOCKETS_BPF_H
#define TS_SOCKETS_BPF_H

#include "common.bpf.h"

/* kernel TCP state numbers; these four are part of the UAPI (BPF_TCP_*), stable */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_FIN_WAIT1 4
#define TCP_CLOSE 7
#define TCP_CLOSE_WAIT 8
#define TCP_LAST_ACK 9
#define TCP_LISTEN 10

/*
 * Whether a socket whose CLOSE record was lost stays in the map until it is destroyed, so
 * that an object watching tcp_destroy_sock can end its record (conn.bpf.c); else the entry
 * goes at CLOSE in any case.
 */
const volatile bool keep_lost_closes = false;

/* What a tracepoint says about a socket: what both attach types hand to the common code. */
struct transition {
	__u64 skaddr;
	__u32 netns;
	__u16 family;
	__u16 sport;
	__u16 dport;
	int oldstate;
	int newstate;
	__u32 saddr4;			/* AF_INET addresses, network order */
	__u32 daddr4;
	const void *saddr6;		/* AF_INET6: where to copy the 16 bytes from */
	const void *daddr6;
};

/* Transitions that only the owning process's own syscall makes: connect, listen, close. */
static __always_inline bool in_owner_syscall(int oldstate, int newstate)
{
	return (oldstate == TCP_CLOSE && (newstate == TCP_SYN_SENT || newstate == TCP_LISTEN)) ||
	       (oldstate == TCP_ESTABLISHED && newstate == TCP_FIN_WAIT1) ||
	       (oldstate == TCP_CLOSE_WAIT && newstate == TCP_LAST_ACK) ||
	       (oldstate == TCP_LISTEN && newstate == TCP_CLOSE);
}

/* The socket's owner as worked out for one transition. */
struct owner {
	__u32 pid;
	__u32 flags;			/* TS_STATE_OWNER_* */
	char comm[TS_COMM_LEN];
};

static __always_inline void track_listener(const struct transition *t, const struct owner *o)
{
	struct listener_key key = { .netns = t->netns, .port = t->sport };
	struct listener_owner lo = { .pid = o->pid };

	if (t->newstate == TCP_LISTEN) {
		__builtin_memcpy(lo.comm, o->comm, sizeof(lo.comm));
		if (bpf_map_update_elem(&listeners, &key, &lo, BPF_ANY))
			ts_count(TS_COUNTER_LISTENERS_FULL);
	} else if (t->oldstate == TCP_LISTEN && t->newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&listeners, &key);
	}
}

/*
 * Works out the socket's owner (kept in the map from earlier transitions, this task if it is
 * the owner's own syscall, else the listener's for a passive child) and returns when the old
 * state began (0: not seen).
 */
static __always_inline __u64 resolve_owner(struct transition *t, struct sock_info *cur, struct owner *o)
{
	__u64 since = 0;

	o->pid = 0;
	o->flags = 0;
	if (cur) {
		since = cur->since_ns;
		o->pid = cur->owner_pid;
		o->flags = cur->flags & ~(SI_LOST | SI_CLOSED);
		__builtin_memcpy(o->comm, cur->owner_comm, sizeof(o->comm));
		if (!t->sport)
			t->sport = cur->sport;
	} else {
		__builtin_memset(o->comm, 0, sizeof(o->comm));
	}
	if (in_owner_syscall(t->oldstate, t->newstate)) {
		struct task_struct *task = bpf_get_current_task_btf();

		o->pid = bpf_get_current_pid_tgid() >> 32;
		o->flags = TS_STATE_OWNER_KNOWN;
		__builtin_memcpy(o->comm, task->comm, sizeof(o->comm));
	} else if (!(o->flags & TS_STATE_OWNER_KNOWN) && t->oldstate == TCP_LISTEN) {
		struct listener_key key = { .netns = t->netns, .port = t->sport };
		struct listener_owner *lo = bpf_map_lookup_elem(&listeners, &key);

		if (lo) {
			o->pid = lo->pid;
			o->flags = TS_STATE_OWNER_KNOWN | TS_STATE_OWNER_LISTENER;
			__builtin_memcpy(o->comm, lo->comm, sizeof(o->comm));
		}
	}
	return since;
}

/* Remembers this transition for the next one; the entry goes at CLOSE (see handle()). */
static __always_inline void remember(const struct transition *t, struct sock_info *cur,
				     const struct owner *o, __u64 now)
{
	if (t->newstate == TCP_CLOSE)
		return;
	if (cur) {
		/* in place: cheaper than an update */
		cur->since_ns = now;
		cur->sport = t->sport;
		if (cur->owner_pid != o->pid || (cur->flags & ~(SI_LOST | SI_CLOSED)) != o->flags) {
			cur->owner_pid = o->pid;
			cur->flags = o->flags | (cur->flags & (SI_LOST | SI_CLOSED));
			__builtin_memcpy(cur->owner_comm, o->comm, sizeof(cur->owner_comm));
		}
		return;
	}
	struct sock_info si = {
		.since_ns = now,
		.owner_pid = o->pid,
		.flags = o->flags,
		.sport = t->sport,
	};
	__builtin_memcpy(si.owner_comm, o->comm, sizeof(si.owner_comm));
	/* counted once per socket, at its opening; a socket older than the trace is not counted */
	if (bpf_map_update_elem(&sockets, &t->skaddr, &si, BPF_ANY) == -E2BIG &&
	    (t->oldstate == TCP_CLOSE || t->oldstate == TCP_LISTEN))
		ts_count(TS_COUNTER_SOCKETS_FULL);
}

#endif /* TS_SOCKETS_BPF_H */
