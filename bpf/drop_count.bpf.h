/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drops --count: each drop counted in the kernel by (netns, reason, location, receiving
 * socket's state) in drop_counts, which user space reads every interval; no record crosses
 * the ring (dropwatch-style).
 */
#ifndef TS_DROP_COUNT_BPF_H
#define TS_DROP_COUNT_BPF_H

#include "drop_packet.bpf.h"
#include "drop_socket.bpf.h"

/* --count: each drop only counted in drop_counts by (netns, reason, location, state); resets not sent */
const volatile bool count_only = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, TS_DROP_COUNT_KEYS);
	__type(key, struct ts_drop_count_key);
	__type(value, __u64);
} drop_counts SEC(".maps");

/* The state a drop that no socket owned is counted with: "no socket", unless the kernel does not say */
static __always_inline __u8 count_no_socket(__u32 flags)
{
	return (flags & TS_DROP_NO_RX_SK) ? TS_DROP_COUNT_STATE_UNKNOWN : 0;
}

/* --pid/--comm in counting mode: the owner find_owner would name, without a record to fill */
static __always_inline bool count_owner_selected(__u64 skaddr, __u32 netns, __u16 local_port, bool by_listener)
{
	struct sock_info *si = skaddr ? bpf_map_lookup_elem(&sockets, &skaddr) : NULL;
	struct listener_key key = { .netns = netns, .port = local_port };
	struct listener_owner *lo;

	if (si && si->owner_pid)
		return owner_selected(si->owner_pid, si->owner_comm);
	lo = by_listener ? bpf_map_lookup_elem(&listeners, &key) : NULL;
	if (lo)
		return owner_selected(lo->pid, lo->comm);
	return owner_selected(0, "");
}

/*
 * --count: one more in drop_counts. A per-CPU map, so the increment needs no atomic; a new key
 * races only with the same key on another CPU's own slot (BPF_NOEXIST fails there, then the
 * lookup finds it).
 */
static __always_inline void count_drop(__u32 netns, __s32 reason, __u64 location, __u8 state)
{
	struct ts_drop_count_key key = {
		.netns = netns,
		.reason = reason,
		.location = location,
		.state = state,
	};
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&drop_counts, &key);
	if (n) {
		(*n)++;
		return;
	}
	if (!bpf_map_update_elem(&drop_counts, &key, &one, BPF_NOEXIST))
		return;
	n = bpf_map_lookup_elem(&drop_counts, &key);
	if (n)
		(*n)++;
	else
		ts_count(TS_COUNTER_DROP_KEYS_FULL);
}

/*
 * --count on tp_btf, without port or owner filters (those take on_drop's way): the same key,
 * read with direct loads of the BTF-typed arguments instead of a bpf_probe_read_kernel per
 * field (each costs about as much as the whole count), and of the packet only the IP
 * header's first 10 bytes, for the protocol. A segment in a socket's queue has had its
 * headers pulled (tcp_data_queue), so skb->len is its payload: a purged FIN has none.
 */
static __always_inline void count_btf(struct sk_buff *skb, __u64 location, __s32 reason, struct sock *rx_sk, __u32 flags)
{
	unsigned char *nh = skb->head + skb->network_header;
	__u16 family;
	__u32 netns;
	__u8 ip[10];

	if (bpf_probe_read_kernel(ip, sizeof(ip), nh))
		return;
	if ((ip[0] >> 4) == 4 && skb->protocol != bpf_htons(ETH_P_IPV6)) {
		/* not TCP, a malformed header, or a fragment after the first */
		if (ip[9] != IPPROTO_TCP || (ip[0] & 0xf) < 5 || (((ip[6] << 8) | ip[7]) & 0x1fff))
			return;
		family = AF_INET;
	} else if ((ip[0] >> 4) == 6 && skb->protocol != bpf_htons(ETH_P_IP)) {
		if (ip[6] != IPPROTO_TCP)
			return;
		family = AF_INET6;
	} else {
		return;
	}
	if (filter_family && family != filter_family)
		return;
	if (!skb->len && is_queue_purge(reason))
		return;
	if (!rx_sk)
		rx_sk = skb->sk;
	netns = rx_sk ? rx_sk->__sk_common.skc_net.net->ns.inum : skb->dev ? skb->dev->nd_net.net->ns.inum : skb_netns(skb);
	if (filter_netns && netns != filter_netns)
		return;
	count_drop(netns, reason, location, rx_sk ? rx_sk->__sk_common.skc_state : count_no_socket(flags));
}

#endif /* TS_DROP_COUNT_BPF_H */
