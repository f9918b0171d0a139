/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-socket bookkeeping behind sock:inet_sock_set_state, shared by every object that
 * follows sockets (states.bpf.c, conn.bpf.c): filters, the socket and listener maps, the
 * owner of each socket, and the state event itself. Each object that includes this owns
 * its own maps.
 *
 * The socket's owner is remembered from the transitions only a process's own syscall makes
 * (connect, listen, close); passive children inherit their listener's owner until accept()
 * names the real one (conn.bpf.c), so the softirq work that completes a handshake is not
 * blamed on whatever task was on the CPU.
 */
#ifndef TS_TRANSITIONS_BPF_H
#define TS_TRANSITIONS_BPF_H

#include "common.bpf.h"

/* Filters, set by user space before load (0 / empty = no filter). */
const volatile __u16 filter_family = 0;
const volatile __u32 filter_netns = 0;
const volatile __u32 filter_pid = 0;
const volatile __u32 filter_lport_count = 0;
const volatile __u16 filter_lports[TS_MAX_PORT_FILTERS] = {};
const volatile __u32 filter_rport_count = 0;
const volatile __u16 filter_rports[TS_MAX_PORT_FILTERS] = {};
const volatile bool filter_comm_set = false;
const volatile char filter_comm[TS_COMM_LEN] = {};

/* kernel TCP state numbers; these four are part of the UAPI (BPF_TCP_*), stable */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_FIN_WAIT1 4
#define TCP_CLOSE 7
#define TCP_CLOSE_WAIT 8
#define TCP_LAST_ACK 9
#define TCP_LISTEN 10

/* sock_info.flags beyond the TS_STATE_OWNER_* ones, never sent as such */
#define SI_LOST (1u << 15)		/* a record of this socket was lost: the next one says so */
#define SI_CLOSED (1u << 14)		/* its CLOSE record was lost; kept only to say so when it is destroyed */

/*
 * Whether a socket whose CLOSE record was lost stays in the map until it is destroyed, so
 * that an object watching tcp_destroy_sock can end its record (conn.bpf.c); else the entry
 * goes at CLOSE in any case.
 */
const volatile bool keep_lost_closes = false;

struct sock_info {
	__u64 since_ns;			/* when the current state began */
	__u32 owner_pid;
	__u16 flags;			/* TS_STATE_OWNER_*, SI_LOST */
	__u16 sport;			/* last non-zero local port seen */
	char owner_comm[TS_COMM_LEN];
};

struct listener_key {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

struct listener_owner {
	__u32 pid;
	__u32 pad;
	char comm[TS_COMM_LEN];
};

/*
 * Plain hash maps, not LRU: an LRU map makes room by forgetting a socket silently, and a
 * forgotten socket loses its owner and its events without anyone knowing. Entries go at CLOSE
 * (every TCP socket reaches it through inet_sock_set_state), so the map holds the sockets open
 * now; when it is full a socket opened during the trace is counted (TS_COUNTER_SOCKETS_FULL),
 * not followed.
 * max_entries is set by user space before load (--max-sockets).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);		/* struct sock * */
	__type(value, struct sock_info);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct listener_key);
	__type(value, struct listener_owner);
} listeners SEC(".maps");

/* What both attach types hand to the common code. */
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

static __always_inline bool port_in(__u16 port, const volatile __u16 *ports, __u32 n)
{
	for (int i = 0; i < TS_MAX_PORT_FILTERS; i++) {
		if (i >= n)
			break;
		if (ports[i] == port)
			return true;
	}
	return false;
}

/* skc_num reads 0 again once the port is released (X>CLOSE): use the port remembered for it */
static __always_inline __u16 local_port(const struct transition *t)
{
	struct sock_info *si;

	if (t->sport)
		return t->sport;
	si = bpf_map_lookup_elem(&sockets, &t->skaddr);
	return si ? si->sport : 0;
}

static __always_inline bool filtered_out(const struct transition *t)
{
	if (filter_netns && t->netns != filter_netns)
		return true;
	if (filter_family && t->family != filter_family)
		return true;
	if (filter_lport_count && !port_in(local_port(t), filter_lports, filter_lport_count))
		return true;
	if (filter_rport_count && !port_in(t->dport, filter_rports, filter_rport_count))
		return true;
	return false;
}

/* The owner filters (--pid, --comm); an unknown owner (pid 0) passes neither. */
static __always_inline bool owner_selected(__u32 pid, const char *comm)
{
	if (filter_pid && pid != filter_pid)
		return false;
	if (filter_comm_set) {
		for (int i = 0; i < TS_COMM_LEN; i++) {
			if (comm[i] != filter_comm[i])
				return false;
			if (!comm[i])
				break;
		}
	}
	return true;
}

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

/*
 * Emits the transition unless filtered out; returns its timestamp, 0 if nothing was sent.
 * The bookkeeping is done before the record is reserved: a transition lost to a full ring
 * must not also make the socket unfollowed, or its later events would vanish uncounted.
 * A lost record marks the socket (SI_LOST) and its next record says so, so a reader knows
 * which records are incomplete; a lost CLOSE keeps the entry for tcp_destroy_sock when
 * keep_lost_closes is set.
 */
static __always_inline __u64 handle(struct transition *t)
{
	struct ts_state_event *e;
	struct sock_info *cur;
	struct owner o;
	__u64 now, since;
	bool lost_before;

	if (filtered_out(t))
		return 0;
	now = bpf_ktime_get_ns();
	cur = bpf_map_lookup_elem(&sockets, &t->skaddr);
	lost_before = cur && (cur->flags & SI_LOST);
	since = resolve_owner(t, cur, &o);
	if (t->newstate == TCP_LISTEN || t->oldstate == TCP_LISTEN)
		track_listener(t, &o);
	remember(t, cur, &o, now);
	if (!owner_selected(o.pid, o.comm)) {
		if (t->newstate == TCP_CLOSE && cur)
			bpf_map_delete_elem(&sockets, &t->skaddr);
		return 0;
	}
	e = ts_reserve(sizeof(*e));
	if (!e) {
		if (t->newstate != TCP_CLOSE)
			cur = bpf_map_lookup_elem(&sockets, &t->skaddr);
		if (cur && t->newstate != TCP_CLOSE)
			cur->flags |= SI_LOST;
		else if (cur && keep_lost_closes)
			cur->flags |= SI_LOST | SI_CLOSED;
		else if (cur)
			bpf_map_delete_elem(&sockets, &t->skaddr);
		return 0;
	}
	if (t->newstate == TCP_CLOSE && cur)
		bpf_map_delete_elem(&sockets, &t->skaddr);
	else if (lost_before)
		cur->flags &= ~SI_LOST;
	ts_fill_header(&e->hdr, TS_EVENT_STATE, sizeof(*e), t->netns, now);
	e->owner_pid = o.pid;
	__builtin_memcpy(e->owner_comm, o.comm, sizeof(e->owner_comm));
	e->skaddr = t->skaddr;
	e->delta_ns = since ? now - since : 0;
	e->flags = o.flags | (since ? TS_STATE_DELTA_KNOWN : 0) | (lost_before ? TS_STATE_AFTER_LOSS : 0);
	e->family = t->family;
	e->sport = t->sport;
	e->dport = t->dport;
	e->oldstate = t->oldstate;
	e->newstate = t->newstate;
	if (t->family == AF_INET) {
		__builtin_memset(e->saddr, 0, sizeof(e->saddr) * 2);
		*(__u32 *)e->saddr = t->saddr4;
		*(__u32 *)e->daddr = t->daddr4;
	} else {
		bpf_probe_read_kernel(e->saddr, 16, t->saddr6);
		bpf_probe_read_kernel(e->daddr, 16, t->daddr6);
	}
	ts_submit(e);
	return now;
}

/* tp_btf arguments into a transition: typed pointers, plain loads, no probe-read helper calls */
static __always_inline void transition_from_btf(struct transition *t, const struct sock *sk,
						int oldstate, int newstate)
{
	const struct sock_common *c = &sk->__sk_common;

	t->skaddr = (__u64)sk;
	t->netns = c->skc_net.net->ns.inum;
	t->family = c->skc_family;
	/*
	 * skc_num is 0 at CLOSE>SYN_SENT for an unbound socket (the port is chosen later) and
	 * again at X>CLOSE once inet_put_port() released it; inet_sport survives the release.
	 */
	t->sport = c->skc_num;
	if (!t->sport) {
		/* a typed struct sock may not be read beyond itself: the helper gives the tcp_sock */
		struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

		if (tp)
			t->sport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	}
	t->dport = bpf_ntohs(c->skc_dport);
	t->oldstate = oldstate;
	t->newstate = newstate;
	t->saddr4 = c->skc_rcv_saddr;
	t->daddr4 = c->skc_daddr;
	t->saddr6 = &c->skc_v6_rcv_saddr;
	t->daddr6 = &c->skc_v6_daddr;
}


#endif /* TS_TRANSITIONS_BPF_H */
