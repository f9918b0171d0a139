// SPDX-License-Identifier: GPL-2.0
/*
 * states.bpf.c - every TCP state transition (sock:inet_sock_set_state).
 *
 * Two programs for the same tracepoint; user space loads exactly one:
 *   states_btf  tp_btf (typed arguments, no trace record to fill: the cheaper one, 5.5+)
 *   states_tp   classic tracepoint, the fallback where tp_btf cannot attach
 *
 * Time in the old state and the socket's owner come from the per-socket bookkeeping in
 * sockets.bpf.h; the event itself is state_event.bpf.h's. In a probe set with conn.bpf.c,
 * conn_state (a superset) handles the tracepoint and these are not loaded.
 */
#include "state_event.bpf.h"

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(states_btf, const struct sock *sk, int oldstate, int newstate)
{
	struct transition t;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	transition_from_btf(&t, sk, oldstate, newstate);
	handle(&t);
	return 0;
}

SEC("tracepoint/sock/inet_sock_set_state")
int states_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct transition t;

	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	transition_from_tp(&t, ctx);
	handle(&t);
	return 0;
}

/* keeps the ABI types in the object's BTF for the contract test */
const struct ts_state_event *unused_state_event __attribute__((unused));

/* keeps the ABI's enums in the object's BTF for the contract test */
const enum ts_event_kind *unused_event_kind __attribute__((unused));
const enum ts_counter *unused_counter __attribute__((unused));
const enum ts_state_flags *unused_state_flags __attribute__((unused));

char LICENSE[] SEC("license") = "GPL";
