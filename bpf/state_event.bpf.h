/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state event: one sock:inet_sock_set_state transition, filtered, folded into the socket
 * bookkeeping (sockets.bpf.h) and sent. Exactly one program of a probe set handles that
 * tracepoint (states.bpf.c's or conn.bpf.c's), so each transition is sent once and the
 * bookkeeping is done once.
 */
#ifndef TS_STATE_EVENT_BPF_H
#define TS_STATE_EVENT_BPF_H

#include "filters.bpf.h"

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

/* the classic tracepoint's record into a transition (the fallback where tp_btf cannot attach) */
static __always_inline void transition_from_tp(struct transition *t,
					       const struct trace_event_raw_inet_sock_set_state *ctx)
{
	t->skaddr = (__u64)ctx->skaddr;
	/* the classic record has no netns: read it from the socket with CO-RE */
	t->netns = ts_sock_netns((const struct sock *)ctx->skaddr);
	t->family = ctx->family;
	t->sport = ctx->sport;
	t->dport = ctx->dport;
	t->oldstate = ctx->oldstate;
	t->newstate = ctx->newstate;
	/* constant-offset loads: the verifier rejects copies from ctx at variable offsets */
	t->saddr4 = *(const __u32 *)ctx->saddr;
	t->daddr4 = *(const __u32 *)ctx->daddr;
	t->saddr6 = ctx->saddr_v6;
	t->daddr6 = ctx->daddr_v6;
}

#endif /* TS_STATE_EVENT_BPF_H */
