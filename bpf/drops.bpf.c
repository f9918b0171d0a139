// SPDX-License-Identifier: GPL-2.0
/*
 * drops.bpf.c - TCP segments the kernel threw away, with the reason, the socket that received
 * them and its owner, and the resets it sent for them.
 *
 *   drops_state      tp_btf/inet_sock_set_state: the socket bookkeeping only (owners, listeners;
 *                    sockets.bpf.h), no record: in a set with states or conn theirs does it
 *   drops_state_tp   the same on the classic tracepoint, where tp_btf cannot attach
 *   drops_skb        tp_btf/kfree_skb (skb, location, reason 5.17+, rx_sk 6.11+)
 *   drops_skb_tp     skb:kfree_skb, the classic tracepoint, where tp_btf cannot attach: the
 *                    same record, with the reason and rx_sk only where the kernel's record has them
 *   drops_reset      tp_btf/tcp_send_reset: every reset sent, with or without a socket
 *
 * With want_stacks (--stacks) each drop is followed by its kernel stack (ts_stack_event).
 * With count_only (--count) a drop is only counted in drop_counts, and no reset is sent.
 *
 * Filters (filters.bpf.h's constants): --netns, -4/-6, the ports (either port of the segment:
 * a dropped segment's direction is not known), --pid (the owner), and the reasons below.
 */
#include "state_event.bpf.h"
#include "drop_packet.bpf.h"
#include "drop_socket.bpf.h"
#include "drop_count.bpf.h"
#include "drop_books.bpf.h"

#define TS_DROP_REASON_WORDS 4

/* --stacks: the kernel stack of each drop, in a ts_stack_event after it */
const volatile bool want_stacks = false;

/* --reason: a bitmap of enum skb_drop_reason numbers, set before load; resets are then not sent */
const volatile bool filter_reason_set = false;
const volatile __u64 filter_reasons[TS_DROP_REASON_WORDS] = {};

/*
 * The classic record's newer fields (reason 5.17+, rx_sk 6.11+). They came with the same
 * TRACE_EVENT change as tp_btf's arguments, so their presence also says how many of those
 * there are (clang 14 cannot test a function type itself).
 */

struct trace_event_raw_kfree_skb___new {
	void *rx_sk;
	enum skb_drop_reason reason;
} __attribute__((preserve_access_index));

static __always_inline bool reason_selected(__s32 reason)
{
	if (!filter_reason_set)
		return true;
	if (reason < 0 || reason >= TS_DROP_REASON_WORDS * 64)
		return false;
	return filter_reasons[(reason >> 6) & (TS_DROP_REASON_WORDS - 1)] & (1ULL << (reason & 63));
}

static __always_inline bool segment_selected(const struct segment *s, __u32 netns)
{
	if (filter_netns && netns != filter_netns)
		return false;
	if (filter_family && s->family != filter_family)
		return false;
	if (filter_lport_count && !port_in(s->sport, filter_lports, filter_lport_count) &&
	    !port_in(s->dport, filter_lports, filter_lport_count))
		return false;
	if (filter_rport_count && !port_in(s->sport, filter_rports, filter_rport_count) &&
	    !port_in(s->dport, filter_rports, filter_rport_count))
		return false;
	return true;
}

/* The owner: the socket's own (full sockets), else the listener's on the segment's local port. */
static __always_inline void fill_segment(struct ts_drop_event *e, const struct segment *s)
{
	e->family = s->family;
	e->sport = s->sport;
	e->dport = s->dport;
	e->tcp_flags = s->tcp_flags;
	e->seq = s->seq;
	e->ack = s->ack;
	e->tsval = s->tsval;
	e->tsecr = s->tsecr;
	e->payload = s->payload;
	e->flags |= TS_DROP_PACKET | (s->has_ts ? TS_DROP_TIMESTAMP : 0);
	if (s->family == AF_INET) {
		__builtin_memset(e->saddr, 0, sizeof(e->saddr) * 2);
		*(__u32 *)e->saddr = s->saddr4;
		*(__u32 *)e->daddr = s->daddr4;
	} else {
		__builtin_memcpy(e->saddr, s->saddr6, 16);
		__builtin_memcpy(e->daddr, s->daddr6, 16);
	}
}

/* The record's fields that are not the segment's, zeroed (the ring's memory is not). */
static __always_inline void clear_rest(struct ts_drop_event *e)
{
	e->skaddr = 0;
	e->location = 0;
	e->state = 0;
	e->flags = 0;
	e->owner_pid = 0;
	__builtin_memset(e->owner_comm, 0, sizeof(e->owner_comm));
	e->ack_backlog = 0;
	e->max_ack_backlog = 0;
	e->syn_qlen = 0;
	e->tw_substate = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	e->tw_rcv_nxt = 0;
	e->tw_snd_nxt = 0;
	e->tw_ts_recent = 0;
	e->tw_ts_recent_stamp = 0;
}

/* ts: the drop record's, so a reader joins the two exactly */
static __always_inline void drop_stack(void *ctx, __u64 skaddr, __u32 netns, __u64 ts)
{
	struct ts_stack_event *st = ts_reserve(sizeof(*st));
	long n;

	if (!st)
		return;
	ts_fill_header(&st->hdr, TS_EVENT_STACK, sizeof(*st), netns, ts);
	st->skaddr = skaddr;
	st->where = TS_STACK_KERNEL_AT_DROP;
	n = bpf_get_stack(ctx, st->ips, sizeof(st->ips), 0);
	st->frames = n > 0 ? n / sizeof(__u64) : 0;
	ts_submit(st);
}

/*
 * flags: TS_DROP_NO_REASON / TS_DROP_NO_RX_SK when the kernel does not say. btf: skb and rx_sk
 * are tp_btf's typed arguments, read with direct loads (a constant: each caller's copy keeps
 * one way); the classic tracepoint's are plain addresses, read with bpf_probe_read_kernel.
 */
static __always_inline void on_drop(void *ctx, const struct sk_buff *skb, __u64 location, __s32 reason,
				    const struct sock *rx_sk, __u32 flags, bool btf)
{
	struct ts_drop_event *e;
	struct segment s;
	bool from_skb = false, received;
	__u64 skaddr, ts;
	__u32 netns;

	if (!reason_selected(reason))
		return;
	/*
	 * A segment without data purged with its socket's receive queue is the FIN that was queued
	 * for the application to read as EOF (tcp_fin -> inet_csk_destroy_sock when the socket goes
	 * to TIME_WAIT, or a close() that did not read it): TCP processed it, nothing is lost, and
	 * every ordinary close makes one. Only purged data is a drop worth a line. A queued segment
	 * has had its headers pulled (tcp_data_queue), so skb->len is its payload: known before
	 * the headers are read.
	 */
	if (is_queue_purge(reason) && !(btf ? skb->len : BPF_CORE_READ(skb, len)))
		return;
	if (btf) {
		if (!read_segment_at(skb->head + skb->network_header, bpf_ntohs(skb->protocol), &s, !count_only))
			return;
	} else if (!read_segment(skb, &s, !count_only)) {
		return;
	}
	/*
	 * rx_sk is the socket the receive path looked up; a segment freed from a socket's own queue
	 * (a purge at close, an egress queue) has none, but the skb still belongs to that socket
	 */
	if (!rx_sk) {
		rx_sk = btf ? skb->sk : BPF_CORE_READ(skb, sk);
		from_skb = rx_sk != NULL;
	}
	if (btf)
		netns = rx_sk ? rx_sk->__sk_common.skc_net.net->ns.inum :
			skb->dev ? skb->dev->nd_net.net->ns.inum : skb_netns(skb);
	else
		netns = rx_sk ? ts_sock_netns(rx_sk) : skb_netns(skb);
	if (!segment_selected(&s, netns))
		return;
	/* a socket's own segment is received when it is for the socket's port, else it is leaving */
	received = !from_skb || (btf ? rx_sk->__sk_common.skc_num : BPF_CORE_READ(rx_sk, __sk_common.skc_num)) == s.dport;
	if (count_only) {
		if ((filter_pid || filter_comm_set) && !count_owner_selected((__u64)rx_sk, netns, s.dport, received))
			return;
		count_drop(netns, reason, location, rx_sk ? BPF_CORE_READ(rx_sk, __sk_common.skc_state) : count_no_socket(flags));
		return;
	}
	e = ts_reserve(sizeof(*e));
	if (!e)
		return;
	ts = bpf_ktime_get_ns();
	ts_fill_header(&e->hdr, TS_EVENT_DROP, sizeof(*e), netns, ts);
	clear_rest(e);
	fill_segment(e, &s);
	e->location = location;
	e->reason = reason;
	e->flags |= flags;
	if (rx_sk)
		read_socket(e, rx_sk);
	find_owner(e, e->skaddr, s.dport, received);
	if (!owner_selected(e->owner_pid, e->owner_comm)) {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		return;
	}
	skaddr = e->skaddr;
	ts_submit(e);
	if (want_stacks)
		drop_stack(ctx, skaddr, netns, ts);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(drops_skb, struct sk_buff *skb, void *location)
{
	__u16 proto = skb->protocol;
	const struct sock *rx_sk = NULL;
	__s32 reason = -1;
	__u32 flags = 0;

	/* every protocol's drops come here: the cheapest test first */
	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_IPV6) && proto != 0)
		return 0;
	if (bpf_core_field_exists(struct trace_event_raw_kfree_skb___new, reason))
		reason = (__s32)ctx[2];
	else
		flags |= TS_DROP_NO_REASON;
	if (bpf_core_field_exists(struct trace_event_raw_kfree_skb___new, rx_sk))
		rx_sk = (const struct sock *)ctx[3];
	else
		flags |= TS_DROP_NO_RX_SK;
	if (count_only && !filter_lport_count && !filter_rport_count && !filter_pid && !filter_comm_set) {
		if (reason_selected(reason))
			count_btf(skb, (__u64)location, reason, (struct sock *)rx_sk, flags);
		return 0;
	}
	on_drop(ctx, skb, (__u64)location, reason, rx_sk, flags, true);
	return 0;
}

SEC("tracepoint/skb/kfree_skb")
int drops_skb_tp(struct trace_event_raw_kfree_skb *ctx)
{
	struct trace_event_raw_kfree_skb___new *n = (void *)ctx;
	const struct sock *rx_sk = NULL;
	__s32 reason = -1;
	__u32 flags = 0;

	if (ctx->protocol != ETH_P_IP && ctx->protocol != ETH_P_IPV6 && ctx->protocol != 0)
		return 0;
	if (bpf_core_field_exists(n->reason))
		reason = n->reason;
	else
		flags |= TS_DROP_NO_REASON;
	if (bpf_core_field_exists(n->rx_sk))
		rx_sk = n->rx_sk;
	else
		flags |= TS_DROP_NO_RX_SK;
	on_drop(ctx, ctx->skbaddr, (__u64)ctx->location, reason, rx_sk, flags, false);
	return 0;
}

/*
 * A reset: for a segment no socket took (sk NULL: a closed port), from a listener, a TIME_WAIT
 * or a connecting socket (the segment is skb), or from a socket aborting (skb NULL: the
 * addresses are then the socket's, its peer as the sender).
 */
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(drops_reset, const struct sock *sk, const struct sk_buff *skb)
{
	struct ts_drop_event *e;
	struct segment s = {};
	__u32 netns;

	if (filter_reason_set || count_only)
		return 0;
	if (skb) {
		/* typed arguments: direct loads, not a bpf_probe_read_kernel per field */
		if (!read_segment_at(skb->head + skb->network_header, bpf_ntohs(skb->protocol), &s, true))
			return 0;
	} else if (sk) {
		s.family = sk->__sk_common.skc_family;
		s.sport = bpf_ntohs(sk->__sk_common.skc_dport);
		s.dport = sk->__sk_common.skc_num;
		/* skc_num reads 0 once the port is released; inet_sport survives it */
		if (!s.dport)
			s.dport = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
		s.saddr4 = sk->__sk_common.skc_daddr;
		s.daddr4 = sk->__sk_common.skc_rcv_saddr;
		BPF_CORE_READ_INTO(&s.saddr6, sk, __sk_common.skc_v6_daddr);
		BPF_CORE_READ_INTO(&s.daddr6, sk, __sk_common.skc_v6_rcv_saddr);
	} else {
		return 0;
	}
	netns = sk ? sk->__sk_common.skc_net.net->ns.inum : skb->dev ? skb->dev->nd_net.net->ns.inum : skb_netns(skb);
	if (!segment_selected(&s, netns))
		return 0;
	e = ts_reserve(sizeof(*e));
	if (!e)
		return 0;
	ts_fill_header(&e->hdr, TS_EVENT_DROP_RESET, sizeof(*e), netns, bpf_ktime_get_ns());
	clear_rest(e);
	fill_segment(e, &s);
	if (!skb)
		e->flags &= ~(TS_DROP_PACKET | TS_DROP_TIMESTAMP);
	/* the reason argument arrived in 6.10 (enum sk_rst_reason) */
	if (bpf_core_type_exists(enum sk_rst_reason)) {
		e->reason = (__s32)ctx[2];
	} else {
		e->reason = -1;
		e->flags |= TS_DROP_NO_REASON;
	}
	if (sk)
		read_socket(e, sk);
	find_owner(e, e->skaddr, s.dport, true);
	if (!owner_selected(e->owner_pid, e->owner_comm)) {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		return 0;
	}
	ts_submit(e);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(drops_state, const struct sock *sk, int oldstate, int newstate)
{
	struct transition t;

	if (sk->sk_protocol != IPPROTO_TCP || !books_change(oldstate, newstate))
		return 0;
	if ((oldstate == TCP_LISTEN && newstate == TCP_CLOSE) || newstate == TCP_LISTEN) {
		transition_from_btf(&t, sk, oldstate, newstate);
		keep_books(&t);
		return 0;
	}
	keep_books_btf(sk, oldstate, newstate);
	return 0;
}

SEC("tracepoint/sock/inet_sock_set_state")
int drops_state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct transition t;

	if (ctx->protocol != IPPROTO_TCP || !books_change(ctx->oldstate, ctx->newstate))
		return 0;
	transition_from_tp(&t, ctx);
	keep_books(&t);
	return 0;
}

/* keeps the ABI types in the object's BTF for the contract test */
const struct ts_drop_event *unused_drop_event __attribute__((unused));
const struct ts_stack_event *unused_stack_event __attribute__((unused));
const struct ts_drop_count_key *unused_drop_count_key __attribute__((unused));

/* keeps the ABI's enums in the object's BTF for the contract test */
const enum ts_event_kind *unused_event_kind __attribute__((unused));
const enum ts_counter *unused_counter __attribute__((unused));
const enum ts_state_flags *unused_state_flags __attribute__((unused));
const enum ts_drop_flags *unused_drop_flags __attribute__((unused));
const enum ts_stack_where *unused_stack_where __attribute__((unused));

char LICENSE[] SEC("license") = "GPL";
