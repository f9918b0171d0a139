/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The headers of a dropped or reset segment, read from the skb: IPv4 or IPv6, then TCP with
 * its timestamp option. kfree_skb fires for every packet the host drops, of every protocol:
 * anything that is not TCP leaves after the skb's protocol and the IP header's protocol.
 */
#ifndef TS_DROP_PACKET_BPF_H
#define TS_DROP_PACKET_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#ifndef AF_INET
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#endif
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_TIMESTAMP 8
#define TCPOLEN_TIMESTAMP 10
#define TCP_MAX_OPTIONS 40

/* What the headers say; the record is filled from it once the filters let it through. */
struct segment {
	__u16 family;
	__u16 sport;		/* host order */
	__u16 dport;
	__u8 tcp_flags;
	bool has_ts;
	__u32 saddr4;		/* network order */
	__u32 daddr4;
	__u8 saddr6[16];
	__u8 daddr6[16];
	__u32 seq;
	__u32 ack;
	__u32 tsval;
	__u32 tsecr;
	__u32 payload;
};

static __always_inline __u32 be32_at(const __u8 *p)
{
	return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) | ((__u32)p[2] << 8) | p[3];
}

/* The TCP options of a segment: at most 40 bytes, then zeros (64: every index below 40 + 10 is inside). */
struct tcp_options {
	__u8 b[64];
	__u32 len;
	bool has_ts;
	__u32 tsval;
	__u32 tsecr;
};

/*
 * The timestamp option (RFC 7323): kinds 0 and 1 are one byte, every other option has a length
 * byte. The loop walks byte positions (a constant bound) and skips the bytes of options it does
 * not want. A global function: the verifier checks it once on its own, not once for every path
 * of the program that calls it.
 */
__noinline int parse_timestamp(struct tcp_options *o)
{
	int skip = 0, len;

	if (!o || o->len > TCP_MAX_OPTIONS)
		return 0;
	len = o->len;
	for (int n = 0; n < TCP_MAX_OPTIONS; n++) {
		__u8 kind;

		if (n >= len)
			return 0;
		if (skip > 0) {
			skip--;
			continue;
		}
		kind = o->b[n];
		if (kind == TCPOPT_EOL)
			return 0;
		if (kind == TCPOPT_NOP)
			continue;
		if (kind == TCPOPT_TIMESTAMP && o->b[n + 1] == TCPOLEN_TIMESTAMP) {
			if (n + TCPOLEN_TIMESTAMP > len)
				return 0;
			o->tsval = be32_at(&o->b[n + 2]);
			o->tsecr = be32_at(&o->b[n + 6]);
			o->has_ts = true;
			return 1;
		}
		if (o->b[n + 1] < 2)
			return 0;
		skip = o->b[n + 1] - 1;
	}
	return 0;
}

/*
 * The IP and TCP headers from nh (the address of the network header, kernel memory); proto is
 * the skb's protocol in host order. 0 when it is no TCP segment or its headers cannot be read.
 * The timestamp option is looked for in a short bounded loop (parse_timestamp): a first,
 * naive one cost the verifier 800 000 instructions and seconds of load time.
 */
static __always_inline bool read_segment_at(const unsigned char *nh, __u16 proto, struct segment *s, bool options)
{
	__u16 ip_len;
	__u8 first, iphl;
	/* an IPv6 header, or an IPv4 one and the TCP header behind it: one read where it can be */
	__u8 head[40];
	__u8 th[20];
	struct tcp_options opt = {};
	int doff;

	if (proto != ETH_P_IP && proto != ETH_P_IPV6 && proto != 0)
		return false;
	/* no TCP segment is shorter than 40 bytes from its network header */
	if (bpf_probe_read_kernel(head, sizeof(head), nh))
		return false;
	first = head[0];
	/* skb->protocol is still 0 on the local output path before ip_output(): the version says */
	if ((first >> 4) == 4 && proto != ETH_P_IPV6) {
		const struct iphdr *ip = (const void *)head;

		if (ip->protocol != IPPROTO_TCP)
			return false;
		/* a malformed header, or a fragment after the first: no TCP header where one would be */
		if ((first & 0xf) < 5 || (bpf_ntohs(ip->frag_off) & 0x1fff))
			return false;
		s->family = AF_INET;
		s->saddr4 = ip->saddr;
		s->daddr4 = ip->daddr;
		iphl = (first & 0xf) * 4;
		ip_len = bpf_ntohs(ip->tot_len);
		ip_len = ip_len > iphl ? ip_len - iphl : 0;
		if (iphl == 20)
			__builtin_memcpy(th, head + 20, sizeof(th));
		else if (bpf_probe_read_kernel(th, sizeof(th), nh + iphl))
			return false;
	} else if ((first >> 4) == 6 && proto != ETH_P_IP) {
		const struct ipv6hdr *ip6 = (const void *)head;

		/* extension headers are not walked: a TCP segment behind one is not seen */
		if (ip6->nexthdr != IPPROTO_TCP)
			return false;
		s->family = AF_INET6;
		__builtin_memcpy(s->saddr6, &ip6->saddr, 16);
		__builtin_memcpy(s->daddr6, &ip6->daddr, 16);
		iphl = sizeof(*ip6);
		ip_len = bpf_ntohs(ip6->payload_len);
		if (bpf_probe_read_kernel(th, sizeof(th), nh + iphl))
			return false;
	} else {
		return false;
	}
	s->sport = ((__u16)th[0] << 8) | th[1];
	s->dport = ((__u16)th[2] << 8) | th[3];
	s->seq = be32_at(&th[4]);
	s->ack = be32_at(&th[8]);
	doff = (th[12] >> 4) * 4;
	s->tcp_flags = th[13];
	s->payload = ip_len > doff ? ip_len - doff : 0;
	s->has_ts = false;
	s->tsval = 0;
	s->tsecr = 0;
	/* only the options' own length: a fixed-size read could run past the end of the buffer and fail */
	if (options && doff > 20 && !bpf_probe_read_kernel(opt.b, doff - 20 <= TCP_MAX_OPTIONS ? doff - 20 : TCP_MAX_OPTIONS,
						nh + iphl + 20)) {
		opt.len = doff - 20;
		if (parse_timestamp(&opt)) {
			s->has_ts = true;
			s->tsval = opt.tsval;
			s->tsecr = opt.tsecr;
		}
	}
	return true;
}

/*
 * The IP and TCP headers of skb; false when it is no TCP segment or they cannot be read.
 * options: also look for the timestamp option (a count does not need it).
 */
static __always_inline bool read_segment(const struct sk_buff *skb, struct segment *s, bool options)
{
	__u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));

	if (proto != ETH_P_IP && proto != ETH_P_IPV6 && proto != 0)
		return false;
	return read_segment_at(BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header), proto, s, options);
}

/*
 * The namespace of a segment that no socket received: its device's; on the local output path
 * (a firewall's OUTPUT chain) there is no device yet: the sending socket's, else the route's device's.
 */
static __always_inline __u32 skb_netns(const struct sk_buff *skb)
{
	struct dst_entry *dst;
	__u32 inum = BPF_CORE_READ(skb, dev, nd_net.net, ns.inum);

	if (inum)
		return inum;
	inum = BPF_CORE_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
	if (inum)
		return inum;
	/* skb_dst(): the low bit of _skb_refdst says whether a reference is held */
	dst = (struct dst_entry *)(BPF_CORE_READ(skb, _skb_refdst) & ~1UL);
	return BPF_CORE_READ(dst, dev, nd_net.net, ns.inum);
}

static __always_inline bool is_queue_purge(__s32 reason)
{
	return bpf_core_enum_value_exists(enum skb_drop_reason, SKB_DROP_REASON_QUEUE_PURGE) &&
	       reason == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_QUEUE_PURGE);
}

#endif /* TS_DROP_PACKET_BPF_H */
