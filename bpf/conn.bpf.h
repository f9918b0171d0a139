/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conn.bpf.h - what the programs of conn.bpf.c share: which sockets are followed (the
 * shared sockets map, and failed attempts kept a little longer), and the records they
 * send about them (socket events, byte counts at close, stacks).
 */
#ifndef CONN_BPF_H
#define CONN_BPF_H

#include "state_event.bpf.h"

/*
 * Connect attempts that just failed, and sockets closed by an error. tcp_done_with_error()
 * reports the error after tcp_done() has moved the socket to CLOSE (and the sockets map forgot
 * it), and a blocking connect() returns after that too: this keeps such sockets followed until
 * the socket is destroyed
 * (tcp_destroy_sock, at close()) or its address is reused. A plain hash for the same reason
 * as the sockets map: when full, a failed attempt is counted (TS_COUNTER_ATTEMPTS_FULL).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);	/* set by user space before load */
	__type(key, __u64);		/* struct sock * */
	__type(value, struct sock_info);
} failed_attempts SEC(".maps");

/*
 * Most sockets never failed: a lookup takes no lock, a delete takes the bucket's even when
 * the key is absent (twice the cost, on every connect and every socket's destruction).
 */
static __always_inline void forget_failed(__u64 skaddr)
{
	if (bpf_map_lookup_elem(&failed_attempts, &skaddr))
		bpf_map_delete_elem(&failed_attempts, &skaddr);
}

/* The followed socket's bookkeeping, if this object follows it and its owner is selected. */
static __always_inline struct sock_info *followed(__u64 skaddr)
{
	struct sock_info *si = bpf_map_lookup_elem(&sockets, &skaddr);

	/* a socket past a lost CLOSE sends nothing more but the notice that it is gone */
	if (!si || (si->flags & SI_CLOSED))
		si = bpf_map_lookup_elem(&failed_attempts, &skaddr);
	if (!si || !owner_selected(si->owner_pid, si->owner_comm))
		return NULL;
	return si;
}

/* CO-RE reads field by field: the path for a kernel whose sock_common head is laid out otherwise */
static __always_inline void fill_sock_by_field(struct ts_sock_event *e, const struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	e->hdr.netns = ts_sock_netns(sk);
	e->family = family;
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (family == AF_INET) {
		*(__u32 *)e->saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		*(__u32 *)e->daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	}
}

/*
 * The head of struct sock_common (IPv4 addresses, ports, family, state, netns pointer) in one
 * probe read: the socket behind an fd is an untyped pointer, and a read per field (eight per
 * accept() and connect() return) cost half a microsecond per storm connection. Offsets are
 * CO-RE relocated constants, so the verifier keeps only one of the two paths.
 */
#define TS_SK_HEAD_LEN 64

static __always_inline void fill_sock(struct ts_sock_event *e, const struct sock *sk, __u16 kind, __u64 now)
{
	const __u32 o_daddr = bpf_core_field_offset(struct sock_common, skc_daddr);
	const __u32 o_saddr = bpf_core_field_offset(struct sock_common, skc_rcv_saddr);
	const __u32 o_dport = bpf_core_field_offset(struct sock_common, skc_dport);
	const __u32 o_num = bpf_core_field_offset(struct sock_common, skc_num);
	const __u32 o_family = bpf_core_field_offset(struct sock_common, skc_family);
	const __u32 o_state = bpf_core_field_offset(struct sock_common, skc_state);
	const __u32 o_net = bpf_core_field_offset(struct sock_common, skc_net.net);
	unsigned char head[TS_SK_HEAD_LEN];

	ts_fill_header(&e->hdr, kind, sizeof(*e), 0, now);
	e->skaddr = (__u64)sk;
	e->flags = 0;
	e->value = 0;
	e->aux = 0;
	__builtin_memset(e->saddr, 0, sizeof(e->saddr) * 2);
	if (o_daddr > TS_SK_HEAD_LEN - 4 || o_saddr > TS_SK_HEAD_LEN - 4 || o_dport > TS_SK_HEAD_LEN - 2 ||
	    o_num > TS_SK_HEAD_LEN - 2 || o_family > TS_SK_HEAD_LEN - 2 || o_state > TS_SK_HEAD_LEN - 1 ||
	    o_net > TS_SK_HEAD_LEN - 8 || bpf_probe_read_kernel(head, sizeof(head), sk)) {
		fill_sock_by_field(e, sk);
	} else {
		const struct net *net = *(const struct net **)(head + o_net);

		e->hdr.netns = BPF_CORE_READ(net, ns.inum);
		e->family = *(__u16 *)(head + o_family);
		e->sport = *(__u16 *)(head + o_num);
		e->dport = bpf_ntohs(*(__u16 *)(head + o_dport));
		e->state = head[o_state];
		if (e->family == AF_INET) {
			*(__u32 *)e->saddr = *(__u32 *)(head + o_saddr);
			*(__u32 *)e->daddr = *(__u32 *)(head + o_daddr);
		}
	}
	/* skc_num reads 0 once the port is released; inet_sport survives it */
	if (!e->sport)
		e->sport = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
	if (e->family == AF_INET6) {
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_v6_daddr);
	}
}

/*
 * A record about a followed socket could not be reserved: its next record says so (SI_LOST),
 * so a reader knows that socket's record is incomplete. Returns whether one was lost before.
 */
static __always_inline bool lost_before(struct sock_info *si, bool reserved)
{
	bool was = si->flags & SI_LOST;

	if (!reserved)
		si->flags |= SI_LOST;
	else if (was)
		si->flags &= ~SI_LOST;
	return reserved && was;
}

/* Sends one event about a followed socket; returns it so the caller can fill value/aux. */
static __always_inline struct ts_sock_event *sock_event_of(const struct sock *sk, struct sock_info *si,
							   __u16 kind)
{
	struct ts_sock_event *e = ts_reserve(sizeof(*e));
	bool after_loss = lost_before(si, e != NULL);

	if (!e)
		return NULL;
	fill_sock(e, sk, kind, bpf_ktime_get_ns());
	e->flags = after_loss ? TS_SOCK_AFTER_LOSS : 0;
	/* the state events of this socket read 0 once the port is released: keep it for them */
	if (e->sport)
		si->sport = e->sport;
	return e;
}

static __always_inline struct ts_sock_event *sock_event(const struct sock *sk, __u16 kind)
{
	struct sock_info *si = followed((__u64)sk);

	return si ? sock_event_of(sk, si, kind) : NULL;
}

static __always_inline void emit_totals(const struct sock *sk, struct sock_info *si, __u32 netns)
{
	/* a typed struct sock may not be read beyond itself: the helper gives the tcp_sock */
	struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);
	struct ts_totals_event *e;
	bool after_loss;

	if (!tp)
		return;
	e = ts_reserve(sizeof(*e));
	after_loss = lost_before(si, e != NULL);
	if (!e)
		return;
	ts_fill_header(&e->hdr, TS_EVENT_TOTALS, sizeof(*e), netns, bpf_ktime_get_ns());
	e->skaddr = (__u64)sk;
	e->bytes_acked = tp->bytes_acked;
	e->bytes_received = tp->bytes_received;
	e->segs_out = tp->segs_out;
	e->segs_in = tp->segs_in;
	e->total_retrans = tp->total_retrans;
	e->srtt_us = tp->srtt_us >> 3;
	e->bytes_sent = tp->bytes_sent;
	e->bytes_retrans = tp->bytes_retrans;
	/*
	 * SOCK_DONE is set by tcp_fin() when the peer's FIN arrives (RCV_SHUTDOWN is no sign of
	 * it: close() sets both shutdown bits); SEND_SHUTDOWN once our FIN was queued
	 */
	e->flags = (sk->__sk_common.skc_flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))) ? TS_TOTALS_FIN_RECEIVED : 0;
	if ((sk->sk_shutdown & 2) && tp->snd_una == tp->write_seq)
		e->flags |= TS_TOTALS_FIN_ACKED;
	if (after_loss)
		e->flags |= TS_TOTALS_AFTER_LOSS;
	e->pad = 0;
	ts_submit(e);
}

/* ts: the timestamp of the record this stack belongs to (see struct ts_stack_event) */
static __always_inline void emit_stack(void *ctx, __u64 skaddr, __u32 netns, __u32 where, __u64 ts)
{
	struct ts_stack_event *e = ts_reserve(sizeof(*e));
	__u64 flags = where == TS_STACK_USER_AT_CONNECT ? BPF_F_USER_STACK : 0;
	long n;

	if (!e)
		return;
	ts_fill_header(&e->hdr, TS_EVENT_STACK, sizeof(*e), netns, ts);
	e->skaddr = skaddr;
	e->where = where;
	n = bpf_get_stack(ctx, e->ips, sizeof(e->ips), flags);
	e->frames = n > 0 ? n / sizeof(__u64) : 0;
	ts_submit(e);
}

#endif /* CONN_BPF_H */
