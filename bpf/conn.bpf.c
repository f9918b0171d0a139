// SPDX-License-Identifier: GPL-2.0
/*
 * conn.bpf.c - connections through their life: connect, accept, close, and what happens to
 * a connect attempt on the way (SYN retransmits, resets, socket and ICMP errors).
 *
 *   conn_state          tp_btf/inet_sock_set_state: the transitions (state_event.bpf.h), the
 *                       socket's byte counts as it closes, the kernel stack where a connect
 *                       attempt ended
 *   conn_retransmit     tp_btf/tcp_retransmit_skb
 *   conn_reset_in       tp_btf/tcp_receive_reset
 *   conn_reset_out      tp_btf/tcp_send_reset (only resets sent from a socket)
 *   conn_error          tp_btf/inet_sk_error_report: the socket's error, or the ICMP error just
 *                       queued on it with its sender
 *   conn_destroy        tp_btf/tcp_destroy_sock: a failed attempt's socket is gone
 *   conn_sys_exit       tp_btf/sys_exit: accept()/accept4() returns, fd -> socket: the
 *                       accepting process becomes the socket's owner; connect() returns: what
 *                       the application saw, and the ephemeral port
 *
 * tp_btf only (5.5+): the classic records of tcp_receive_reset and inet_sk_error_report
 * do not carry the same socket identity on every kernel, and every kernel with the BTF that
 * CO-RE needs has had tp_btf since 5.5. Events of sockets this object does not follow
 * (filtered out, or older than the trace) are not sent: the sockets map is the filter.
 *
 * The syscalls are seen through the raw sys_exit tracepoint, not syscalls:sys_exit_connect:
 * a classic tracepoint is attached by an id read from tracefs, which is mode 0700 on many
 * hosts, so CAP_BPF and CAP_PERFMON would not be enough. The raw one runs for every syscall
 * and leaves after one compare; it already runs for the classic syscall tracepoints, which
 * are built on it.
 */
#include "conn.bpf.h"
#include "fd_sock.bpf.h"

#define EINPROGRESS 115

/* syscall numbers of the native ABI (compat tasks use others and are not seen) */
#if defined(__TARGET_ARCH_x86)
#define NR_connect 42
#define NR_accept 43
#define NR_accept4 288
static __always_inline long syscall_nr(const struct pt_regs *regs)
{
	return regs->orig_ax;
}
#elif defined(__TARGET_ARCH_arm64)
#define NR_connect 203
#define NR_accept 202
#define NR_accept4 242
struct pt_regs___arm64_nr {
	__s32 syscallno;
} __attribute__((preserve_access_index));

static __always_inline long syscall_nr(const struct pt_regs *regs)
{
	return BPF_CORE_READ((const struct pt_regs___arm64_nr *)regs, syscallno);
}
#else
#error "syscall numbers for this architecture are missing"
#endif
#define SO_EE_ORIGIN_ICMP 2
#define SO_EE_ORIGIN_ICMP6 3

const volatile bool want_stacks = false;

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(conn_state, const struct sock *sk, int oldstate, int newstate)
{
	struct transition t;
	__u64 ts;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	transition_from_btf(&t, sk, oldstate, newstate);
	if (newstate == TCP_CLOSE) {
		struct sock_info *si = followed(t.skaddr);

		/* before the CLOSE event, so a reader has the totals when it ends the connection */
		if (si && oldstate != TCP_SYN_SENT && oldstate != TCP_LISTEN && oldstate != TCP_CLOSE)
			emit_totals(sk, si, t.netns);
		/*
		 * tcp_done_with_error() sets sk_err before tcp_done() and reports it after: a socket
		 * closing with an error (a reset, a timeout) stays followed for that report; so does a
		 * failed connect for its connect() return, and an abortive close (ESTABLISHED or
		 * CLOSE_WAIT straight to CLOSE: close() with unread data) for the RST it sends after
		 */
		if (si && (oldstate == TCP_SYN_SENT || oldstate == TCP_ESTABLISHED || oldstate == TCP_CLOSE_WAIT || sk->sk_err) &&
		    bpf_map_update_elem(&failed_attempts, &t.skaddr, si, BPF_ANY) == -E2BIG)
			ts_count(TS_COUNTER_ATTEMPTS_FULL);
	} else if (oldstate == TCP_CLOSE) {
		/* the address is a new socket now */
		forget_failed(t.skaddr);
	}
	ts = handle(&t);
	if (ts && want_stacks && oldstate == TCP_SYN_SENT)
		emit_stack(ctx, t.skaddr, t.netns, TS_STACK_KERNEL_AT_END, ts);
	return 0;
}

/* An event whose only content is the socket and its state. */
static __always_inline void sock_event_only(const struct sock *sk, __u16 kind)
{
	struct ts_sock_event *e = sock_event(sk, kind);

	if (e)
		ts_submit(e);
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(conn_retransmit, const struct sock *sk)
{
	sock_event_only(sk, TS_EVENT_RETRANSMIT);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(conn_reset_in, const struct sock *sk)
{
	sock_event_only(sk, TS_EVENT_RESET_RECEIVED);
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(conn_reset_out, const struct sock *sk)
{
	struct ts_sock_event *e;

	/* sk is NULL for resets sent on no socket's behalf (closed port): not a connection's event */
	if (!sk)
		return 0;
	e = sock_event(sk, TS_EVENT_RESET_SENT);
	if (!e)
		return 0;
	/* the reason argument arrived in 6.10 (enum sk_rst_reason); older kernels have two arguments */
	e->value = bpf_core_type_exists(enum sk_rst_reason) ? (__s32)ctx[2] : -1;
	ts_submit(e);
	return 0;
}

/*
 * An ICMP error for a connecting socket is queued on its error queue (ip_icmp_error() ->
 * sock_queue_err_skb(), which reports it) before sk_err is set, and sk_err is not set at all
 * while connect() still holds the socket lock: over veth or loopback the ICMP is processed in
 * the softirq the SYN's own transmission runs, so tcp_v4_err() only records sk_err_soft, which
 * SO_ERROR returns. The queued skb says what arrived and who sent it.
 */
static __always_inline bool icmp_error_event(const struct sock *sk, struct sock_info *si)
{
	struct sock_extended_err ee;
	struct sock_exterr_skb *serr;
	struct ts_icmp_event *e;
	struct sk_buff *skb;
	unsigned char *nh;

	if (!BPF_CORE_READ(sk, sk_error_queue.qlen))
		return false;
	/* the one just queued; read without the queue's lock, so a reader dequeuing it at this
	 * moment could make these reads stale (bpf_probe_read_kernel() fails safely) */
	skb = BPF_CORE_READ(sk, sk_error_queue.prev);
	serr = (struct sock_exterr_skb *)skb->cb;
	if (BPF_CORE_READ_INTO(&ee, serr, ee))
		return false;
	if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
		return false;
	e = ts_reserve(sizeof(*e));
	lost_before(si, e != NULL);
	if (!e)
		return true;
	ts_fill_header(&e->hdr, TS_EVENT_ICMP_ERROR, sizeof(*e), ts_sock_netns(sk), bpf_ktime_get_ns());
	e->skaddr = (__u64)sk;
	e->type = ee.ee_type;
	e->code = ee.ee_code;
	e->state = sk->__sk_common.skc_state;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	e->error = ee.ee_errno;
	e->info = ee.ee_info;
	__builtin_memset(e->offender, 0, sizeof(e->offender));
	/* the network header is still the ICMP packet's own: its source is the offender (ip_recv_error) */
	nh = BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header);
	if (ee.ee_origin == SO_EE_ORIGIN_ICMP) {
		e->family = AF_INET;
		bpf_probe_read_kernel(e->offender, 4, nh + offsetof(struct iphdr, saddr));
	} else {
		e->family = AF_INET6;
		bpf_probe_read_kernel(e->offender, 16, nh + offsetof(struct ipv6hdr, saddr));
	}
	ts_submit(e);
	return true;
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(conn_error, const struct sock *sk)
{
	struct ts_sock_event *e;
	struct sock_info *si;
	int err;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	si = followed((__u64)sk);
	if (!si)
		return 0;
	err = sk->sk_err;
	if (!err && icmp_error_event(sk, si))
		return 0;
	if (!err)
		err = sk->sk_err_soft;
	/* nothing wrong: a report for a timestamp or zerocopy notification on the error queue */
	if (!err)
		return 0;
	e = sock_event_of(sk, si, TS_EVENT_SOCK_ERROR);
	if (!e)
		return 0;
	e->value = err;
	ts_submit(e);
	return 0;
}

static __always_inline int on_accept(long ret)
{
	const struct sock *sk;
	struct sock_info *si;
	struct ts_sock_event *e;
	__u64 skaddr, id = bpf_get_current_pid_tgid();

	if (ret < 0)
		return 0;
	/* accept() returns a new socket's descriptor, so fd -> file -> socket is always a socket */
	sk = fd_sock(ret);
	if (!is_tcp(sk))
		return 0;
	skaddr = (__u64)sk;
	si = bpf_map_lookup_elem(&sockets, &skaddr);
	if (!si || (si->flags & SI_CLOSED))
		return 0;	/* filtered out, established before the trace started, or closed */
	/* the accepting process owns it from now on, whoever owned the listener */
	si->owner_pid = id >> 32;
	si->flags = TS_STATE_OWNER_KNOWN | (si->flags & (SI_LOST | SI_CLOSED));
	/* plain loads from the typed task pointer, as ts_fill_header() does: cheaper than the helper */
	__builtin_memcpy(si->owner_comm, bpf_get_current_task_btf()->comm, sizeof(si->owner_comm));
	if (!owner_selected(si->owner_pid, si->owner_comm))
		return 0;
	e = sock_event_of(sk, si, TS_EVENT_ACCEPT);
	if (!e)
		return 0;
	e->value = ret;
	ts_submit(e);
	return 0;
}

/* the connect() return of a followed socket (failed attempts included: a blocking connect returns after CLOSE) */
static __always_inline void on_connect(__u32 fd, long ret, void *ctx)
{
	const struct sock *sk = fd_sock(fd);
	struct ts_sock_event *e;
	__u32 netns;
	__u64 ts;

	if (!is_tcp(sk))
		return;
	e = sock_event(sk, TS_EVENT_CONNECT_RETURN);
	if (!e)
		return;
	e->value = ret;
	e->aux = fd;
	netns = e->hdr.netns;
	ts = e->hdr.ts_ns;
	ts_submit(e);
	if (want_stacks)
		emit_stack(ctx, (__u64)sk, netns, TS_STACK_USER_AT_CONNECT, ts);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(conn_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = syscall_nr(regs);

	if (nr == NR_connect)
		on_connect(PT_REGS_PARM1_CORE_SYSCALL(regs), ret, ctx);
	else if (nr == NR_accept4 || nr == NR_accept)
		on_accept(ret);
	return 0;
}

/*
 * A failed attempt is followed until its socket is destroyed (close()). A socket still in the
 * sockets map here lost its CLOSE record (keep_lost_closes): say it is gone, so its record ends.
 */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(conn_destroy, const struct sock *sk)
{
	__u64 skaddr = (__u64)sk;
	struct sock_info *si;
	struct ts_sock_event *e;

	forget_failed(skaddr);
	si = bpf_map_lookup_elem(&sockets, &skaddr);
	if (!si)
		return 0;
	if (owner_selected(si->owner_pid, si->owner_comm)) {
		/* counted, so events + lost still add up to the traffic's records plus these */
		ts_count(TS_COUNTER_GONE);
		e = sock_event_of(sk, si, TS_EVENT_GONE);
		if (e) {
			e->flags = TS_SOCK_AFTER_LOSS;
			ts_submit(e);
		}
	}
	bpf_map_delete_elem(&sockets, &skaddr);
	return 0;
}

/* keeps the ABI types in the object's BTF for the contract test */
const struct ts_state_event *unused_state_event __attribute__((unused));
const struct ts_sock_event *unused_sock_event __attribute__((unused));
const struct ts_totals_event *unused_totals_event __attribute__((unused));
const struct ts_stack_event *unused_stack_event __attribute__((unused));
const struct ts_icmp_event *unused_icmp_event __attribute__((unused));

/* keeps the ABI's enums in the object's BTF for the contract test */
const enum ts_event_kind *unused_event_kind __attribute__((unused));
const enum ts_counter *unused_counter __attribute__((unused));
const enum ts_state_flags *unused_state_flags __attribute__((unused));
const enum ts_sock_flags *unused_sock_flags __attribute__((unused));
const enum ts_totals_flags *unused_totals_flags __attribute__((unused));
const enum ts_stack_where *unused_stack_where __attribute__((unused));

char LICENSE[] SEC("license") = "GPL";
