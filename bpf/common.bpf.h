/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every TcpScope BPF object has: the shared maps (maps.bpf.h), the wake-up policy,
 * reserving and submitting records, the loss counters and the event header.
 */
#ifndef TS_COMMON_BPF_H
#define TS_COMMON_BPF_H

#include "maps.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define E2BIG 7			/* a full hash map refuses a new entry with it */

/*
 * Never wake the reader: it drains the ring on its own timer. A wake-up is a self-IPI
 * (6-7 us in a VM), 15-20 times the cost of an event, so waking per record would make
 * tracing cost more than the traffic it traces. With a 10 ms drain an 8 MiB ring holds
 * far more than any rate the kernel reaches, so no early wake-up is needed either (and
 * checking the fill level, bpf_ringbuf_query, would cost every event).
 * false = the kernel's adaptive policy (wake when the reader was idle).
 */
const volatile bool timer_drain = false;

static __always_inline void ts_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	/*
	 * atomic although per-CPU: a program in softirq can interrupt one in process context on
	 * the same CPU mid-increment, and a count that must add up cannot lose one; it is only
	 * paid when something was lost or refused
	 */
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void *ts_reserve(__u32 size)
{
	void *e = bpf_ringbuf_reserve(&events, size, 0);

	if (!e)
		ts_count(TS_COUNTER_LOST);
	return e;
}

static __always_inline void ts_submit(void *e)
{
	bpf_ringbuf_submit(e, timer_drain ? BPF_RB_NO_WAKEUP : 0);
}

static __always_inline void ts_fill_header(struct ts_event_header *h, __u16 kind, __u16 size,
					   __u32 netns, __u64 now)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *task = bpf_get_current_task_btf();

	h->kind = kind;
	h->size = size;
	h->netns = netns;
	h->ts_ns = now;
	h->pid = id >> 32;
	h->tid = (__u32)id;
	/* two plain loads from the typed task pointer: bpf_get_current_comm() costs ~70 ns more */
	__builtin_memcpy(h->comm, task->comm, sizeof(h->comm));
}

static __always_inline __u32 ts_sock_netns(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

#endif /* TS_COMMON_BPF_H */
