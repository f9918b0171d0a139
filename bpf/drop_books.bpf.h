/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The owners' bookkeeping of the drops family when it runs alone (in a set with states or conn
 * their state-hook program keeps it): who owns each socket, which port listens.
 */
#ifndef TS_DROP_BOOKS_BPF_H
#define TS_DROP_BOOKS_BPF_H

#include "state_event.bpf.h"

/*
 * Whether a transition changes what drops keeps: an owner is learnt where a process's own
 * syscall moves the socket (in_owner_syscall), a passive child takes its listener's
 * (LISTEN > SYN_RECV), listeners come and go, and an entry goes at CLOSE. The rest (handshakes
 * completing, FINs exchanged, all in softirq) change nothing drops reads: the program leaves
 * before reading the socket, which halves its cost on a connection storm.
 */
static __always_inline bool books_change(int oldstate, int newstate)
{
	return newstate == TCP_CLOSE || oldstate == TCP_LISTEN || newstate == TCP_LISTEN ||
	       in_owner_syscall(oldstate, newstate);
}

/* The bookkeeping of sockets.bpf.h without a record: who owns each socket, which port listens. */
static __always_inline void keep_books(struct transition *t)
{
	struct sock_info *cur = bpf_map_lookup_elem(&sockets, &t->skaddr);
	struct owner o;

	resolve_owner(t, cur, &o);
	if (t->newstate == TCP_LISTEN || t->oldstate == TCP_LISTEN)
		track_listener(t, &o);
	if (t->newstate == TCP_CLOSE) {
		if (cur)
			bpf_map_delete_elem(&sockets, &t->skaddr);
		return;
	}
	remember(t, cur, &o, bpf_ktime_get_ns());
}

/*
 * keep_books for the transitions of every connection, reading and writing only what drops uses
 * (the owner by socket address): an entry goes at CLOSE without a lookup first, a connect or a
 * close names the task on CPU, a passive child takes its listener's owner. No time, no port, no
 * addresses: half the cost of the general path on a connection storm. Listeners' own
 * transitions (rare) take the general path.
 */
static __always_inline void keep_books_btf(const struct sock *sk, int oldstate, int newstate)
{
	struct sock_info si = {};
	__u64 skaddr = (__u64)sk;

	if (newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&sockets, &skaddr);
		return;
	}
	if (oldstate == TCP_LISTEN) {
		struct listener_key key = {
			.netns = sk->__sk_common.skc_net.net->ns.inum,
			.port = sk->__sk_common.skc_num,
		};
		struct listener_owner *lo = bpf_map_lookup_elem(&listeners, &key);

		if (!lo)
			return;
		si.owner_pid = lo->pid;
		si.flags = TS_STATE_OWNER_KNOWN | TS_STATE_OWNER_LISTENER;
		__builtin_memcpy(si.owner_comm, lo->comm, sizeof(si.owner_comm));
	} else {
		struct task_struct *task = bpf_get_current_task_btf();

		si.owner_pid = bpf_get_current_pid_tgid() >> 32;
		si.flags = TS_STATE_OWNER_KNOWN;
		__builtin_memcpy(si.owner_comm, task->comm, sizeof(si.owner_comm));
	}
	/* counted once per socket, at its opening */
	if (bpf_map_update_elem(&sockets, &skaddr, &si, BPF_ANY) == -E2BIG && oldstate != TCP_ESTABLISHED &&
	    oldstate != TCP_CLOSE_WAIT)
		ts_count(TS_COUNTER_SOCKETS_FULL);
}

#endif /* TS_DROP_BOOKS_BPF_H */
