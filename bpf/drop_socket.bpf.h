/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the socket a dropped segment met tells at that moment (a listener's queues, a TIME_WAIT
 * mini-socket's numbers), and who owns it: the drops family's view of the socket.
 */
#ifndef TS_DROP_SOCKET_BPF_H
#define TS_DROP_SOCKET_BPF_H

#include "sockets.bpf.h"

#define TCP_TIME_WAIT 6
#define TCP_NEW_SYN_RECV 12

/* before 6.18 tcp_timewait_sock had its own copies of rcv_nxt and snd_nxt */
struct tcp_timewait_sock___old {
	__u32 tw_rcv_nxt;
	__u32 tw_snd_nxt;
} __attribute__((preserve_access_index));

/*
 * by_listener: the segment was received here, so its destination port is local (a socket taken
 * from the skb itself may be sending it: that port is then the peer's and says nothing)
 */
static __always_inline void find_owner(struct ts_drop_event *e, __u64 skaddr, __u16 local_port, bool by_listener)
{
	struct sock_info *si = skaddr ? bpf_map_lookup_elem(&sockets, &skaddr) : NULL;
	struct listener_key key = { .netns = e->hdr.netns, .port = local_port };
	struct listener_owner *lo;

	if (si && si->owner_pid) {
		e->owner_pid = si->owner_pid;
		e->flags |= TS_DROP_OWNER_KNOWN | ((si->flags & TS_STATE_OWNER_LISTENER) ? TS_DROP_OWNER_LISTENER : 0);
		__builtin_memcpy(e->owner_comm, si->owner_comm, sizeof(e->owner_comm));
		return;
	}
	if (!by_listener)
		return;
	lo = bpf_map_lookup_elem(&listeners, &key);
	if (lo) {
		e->owner_pid = lo->pid;
		e->flags |= TS_DROP_OWNER_KNOWN | TS_DROP_OWNER_LISTENER;
		__builtin_memcpy(e->owner_comm, lo->comm, sizeof(e->owner_comm));
	}
}

/* What the receiving socket tells at this moment: a listener's queues, a mini-socket's numbers. */
static __always_inline void read_socket(struct ts_drop_event *e, const struct sock *sk)
{
	__u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);

	e->skaddr = (__u64)sk;
	e->state = state;
	e->flags |= TS_DROP_SOCKET;
	if (state == TCP_LISTEN) {
		e->ack_backlog = BPF_CORE_READ(sk, sk_ack_backlog);
		e->max_ack_backlog = BPF_CORE_READ(sk, sk_max_ack_backlog);
		e->syn_qlen = BPF_CORE_READ((const struct inet_connection_sock *)sk, icsk_accept_queue.qlen.counter);
		e->flags |= TS_DROP_LISTENER;
	} else if (state == TCP_TIME_WAIT) {
		const struct tcp_timewait_sock *tw = (const struct tcp_timewait_sock *)sk;

		e->tw_substate = BPF_CORE_READ(tw, tw_sk.tw_substate);
		if (bpf_core_field_exists(struct sock_common, skc_tw_rcv_nxt)) {
			e->tw_rcv_nxt = BPF_CORE_READ(sk, __sk_common.skc_tw_rcv_nxt);
			e->tw_snd_nxt = BPF_CORE_READ(sk, __sk_common.skc_tw_snd_nxt);
		} else {
			const struct tcp_timewait_sock___old *old = (const void *)sk;

			e->tw_rcv_nxt = BPF_CORE_READ(old, tw_rcv_nxt);
			e->tw_snd_nxt = BPF_CORE_READ(old, tw_snd_nxt);
		}
		e->tw_ts_recent = BPF_CORE_READ(tw, tw_ts_recent);
		e->tw_ts_recent_stamp = BPF_CORE_READ(tw, tw_ts_recent_stamp);
		e->flags |= TS_DROP_TIMEWAIT;
	}
}

#endif /* TS_DROP_SOCKET_BPF_H */
