/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filters of every family, applied in the kernel: constants set by user space before
 * load (0 / empty = no filter), so the verifier prunes what is disabled. The socket filters
 * take a struct transition (sockets.bpf.h): what a tracepoint says about a socket.
 */
#ifndef TS_FILTERS_BPF_H
#define TS_FILTERS_BPF_H

#include "sockets.bpf.h"

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

/* The socket filters (--netns, -4/-6, --lport, --rport) */
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

#endif /* TS_FILTERS_BPF_H */
