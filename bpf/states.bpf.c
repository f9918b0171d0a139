// SPDX-License-Identifier: GPL-2.0
/*
 * states.bpf.c - every TCP state transition (sock:inet_sock_set_state).
 *
 * Two programs for the same tracepoint; user space loads exactly one:
 *   states_btf  tp_btf (typed arguments, no trace record to fill: the cheaper one, 5.5+)
 *   states_tp   classic tracepoint, the fallback where tp_btf cannot attach
 *
 * Time in the old state comes from a per-socket LRU map, removed at CLOSE. The socket's
 * owner is remembered from the transitions only a process's own syscall makes (connect,
 * listen, close), and passive children inherit their listener's owner, so the softirq
 * work that completes a handshake is not blamed on whatever task was on the CPU.
 */
#include "common.bpf.h"

/* Filters, set by user space before load (0 / empty = no filter). */
const volatile __u16 filter_family = 0;
const volatile __u32 filter_netns = 0;
const volatile __u32 filter_pid = 0;
const volatile __u32 filter_lport_count = 0;
const volatile __u16 filter_lports[TS_MAX_PORT_FILTERS] = {};
const volatile __u32 filter_rport_count = 0;
const volatile __u16 filter_rports[TS_MAX_PORT_FILTERS] = {};

/* kernel TCP state numbers; these four are part of the UAPI (BPF_TCP_*), stable */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_FIN_WAIT1 4
#define TCP_CLOSE 7
#define TCP_CLOSE_WAIT 8
#define TCP_LAST_ACK 9
#define TCP_LISTEN 10

struct sock_info {
	__u64 since_ns;			/* when the current state began */
	__u32 owner_pid;
	__u16 flags;			/* TS_STATE_OWNER_* */
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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);		/* struct sock * */
	__type(value, struct sock_info);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
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

/* Transitions that only the owning process's own syscall makes: connect, listen, close. */
static __always_inline bool in_owner_syscall(int oldstate, int newstate)
{
	return (oldstate == TCP_CLOSE && (newstate == TCP_SYN_SENT || newstate == TCP_LISTEN)) ||
	       (oldstate == TCP_ESTABLISHED && newstate == TCP_FIN_WAIT1) ||
	       (oldstate == TCP_CLOSE_WAIT && newstate == TCP_LAST_ACK) ||
	       (oldstate == TCP_LISTEN && newstate == TCP_CLOSE);
}

static __always_inline void track_listener(const struct transition *t, const struct sock_info *si)
{
	struct listener_key key = { .netns = t->netns, .port = t->sport };
	struct listener_owner owner = { .pid = si->owner_pid };

	if (t->newstate == TCP_LISTEN) {
		__builtin_memcpy(owner.comm, si->owner_comm, sizeof(owner.comm));
		bpf_map_update_elem(&listeners, &key, &owner, BPF_ANY);
	} else if (t->oldstate == TCP_LISTEN && t->newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&listeners, &key);
	}
}

/*
 * Fills owner fields of *si for this transition and the local port if the kernel already
 * released it (skc_num reads 0 at X>CLOSE); returns the known start of the old state.
 */
static __always_inline __u64 update_socket(struct transition *t, struct sock_info *si, __u64 now)
{
	struct sock_info *cur = bpf_map_lookup_elem(&sockets, &t->skaddr);
	__u64 since = 0;

	if (cur) {
		since = cur->since_ns;
		*si = *cur;
	} else {
		__builtin_memset(si, 0, sizeof(*si));
	}
	if (in_owner_syscall(t->oldstate, t->newstate)) {
		si->owner_pid = bpf_get_current_pid_tgid() >> 32;
		si->flags = TS_STATE_OWNER_KNOWN;
		bpf_get_current_comm(si->owner_comm, sizeof(si->owner_comm));
	} else if (!(si->flags & TS_STATE_OWNER_KNOWN) && t->oldstate == TCP_LISTEN) {
		struct listener_key key = { .netns = t->netns, .port = t->sport };
		struct listener_owner *lo = bpf_map_lookup_elem(&listeners, &key);

		if (lo) {
			si->owner_pid = lo->pid;
			si->flags = TS_STATE_OWNER_KNOWN | TS_STATE_OWNER_LISTENER;
			__builtin_memcpy(si->owner_comm, lo->comm, sizeof(si->owner_comm));
		}
	}
	si->since_ns = now;
	if (t->sport)
		si->sport = t->sport;
	else
		t->sport = si->sport;
	if (t->newstate == TCP_CLOSE)
		bpf_map_delete_elem(&sockets, &t->skaddr);
	else if (cur)
		*cur = *si;
	else
		bpf_map_update_elem(&sockets, &t->skaddr, si, BPF_ANY);
	return since;
}

static __always_inline int handle(struct transition *t, const void *saddr, const void *daddr,
				  bool from_kernel_memory)
{
	struct ts_state_event *e;
	struct sock_info si;
	__u64 now, since;

	if (filtered_out(t))
		return 0;
	now = bpf_ktime_get_ns();
	since = update_socket(t, &si, now);
	if (t->newstate == TCP_LISTEN || t->oldstate == TCP_LISTEN)
		track_listener(t, &si);
	if (filter_pid && si.owner_pid != filter_pid)
		return 0;

	e = ts_reserve(sizeof(*e));
	if (!e)
		return 0;
	ts_fill_header(&e->hdr, TS_EVENT_STATE, sizeof(*e), t->netns, now);
	e->skaddr = t->skaddr;
	e->delta_ns = since ? now - since : 0;
	e->family = t->family;
	e->sport = t->sport;
	e->dport = t->dport;
	e->oldstate = t->oldstate;
	e->newstate = t->newstate;
	e->owner_pid = si.owner_pid;
	e->flags = si.flags | (since ? TS_STATE_DELTA_KNOWN : 0);
	__builtin_memcpy(e->owner_comm, si.owner_comm, sizeof(e->owner_comm));
	__builtin_memset(e->saddr, 0, sizeof(e->saddr) * 2);
	if (t->family == AF_INET) {
		if (from_kernel_memory) {
			bpf_probe_read_kernel(e->saddr, 4, saddr);
			bpf_probe_read_kernel(e->daddr, 4, daddr);
		} else {
			/* constant-offset loads: the verifier rejects copies from ctx at variable offsets */
			*(__u32 *)e->saddr = *(const __u32 *)saddr;
			*(__u32 *)e->daddr = *(const __u32 *)daddr;
		}
	} else {
		bpf_probe_read_kernel(e->saddr, 16, saddr);
		bpf_probe_read_kernel(e->daddr, 16, daddr);
	}
	ts_submit(e);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(states_btf, const struct sock *sk, int oldstate, int newstate)
{
	struct transition t;
	const struct sock_common *c = &sk->__sk_common;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	t.skaddr = (__u64)sk;
	t.netns = ts_sock_netns(sk);
	t.family = c->skc_family;
	/* skc_num is 0 at CLOSE>SYN_SENT for an unbound socket: the port is chosen later */
	t.sport = c->skc_num;
	t.dport = bpf_ntohs(c->skc_dport);
	t.oldstate = oldstate;
	t.newstate = newstate;
	if (t.family == AF_INET)
		return handle(&t, &c->skc_rcv_saddr, &c->skc_daddr, true);
	return handle(&t, &c->skc_v6_rcv_saddr, &c->skc_v6_daddr, true);
}

SEC("tracepoint/sock/inet_sock_set_state")
int states_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct transition t;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	t.skaddr = (__u64)ctx->skaddr;
	/* the classic record has no netns: read it from the socket with CO-RE */
	t.netns = ts_sock_netns((const struct sock *)ctx->skaddr);
	t.family = ctx->family;
	t.sport = ctx->sport;
	t.dport = ctx->dport;
	t.oldstate = ctx->oldstate;
	t.newstate = ctx->newstate;
	if (t.family == AF_INET)
		return handle(&t, ctx->saddr, ctx->daddr, false);
	return handle(&t, ctx->saddr_v6, ctx->daddr_v6, true);
}

/* keeps the ABI types in the object's BTF for the contract test */
const struct ts_state_event *unused_state_event __attribute__((unused));

char LICENSE[] SEC("license") = "GPL";
