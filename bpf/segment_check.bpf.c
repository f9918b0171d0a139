// SPDX-License-Identifier: GPL-2.0
/*
 * segment_check.bpf.c - the drops family's segment parser (drop_packet.bpf.h) run on given
 * bytes: a syscall program that BPF_PROG_TEST_RUN feeds a captured packet and that writes back
 * what the parser read. Never attached; tests check the kernel-side parsing with it.
 */
#include "drop_packet.bpf.h"

struct ts_segment_check {
	__u8 packet[128];	/* in: from the IP header on, as captured */
	__u16 proto;		/* in: the skb's protocol, host order (ETH_P_IP, ETH_P_IPV6, 0) */
	__u8 ok;		/* out: 1 when read as a TCP segment */
	__u8 has_ts;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u8 tcp_flags;
	__u8 pad;
	__u32 seq;
	__u32 ack;
	__u32 tsval;
	__u32 tsecr;
	__u32 payload;
	__u32 saddr[4];		/* network order, IPv4 in the first word */
	__u32 daddr[4];
};

_Static_assert(sizeof(struct ts_segment_check) == 192, "ts_segment_check layout");

static __always_inline void copy_words(struct ts_segment_check *c, const __u32 *w, const __u32 *v)
{
	c->saddr[0] = w[0];
	c->saddr[1] = w[1];
	c->saddr[2] = w[2];
	c->saddr[3] = w[3];
	c->daddr[0] = v[0];
	c->daddr[1] = v[1];
	c->daddr[2] = v[2];
	c->daddr[3] = v[3];
}

SEC("syscall")
int segment_check(struct ts_segment_check *c)
{
	struct segment s = {};

	c->ok = read_segment_at(c->packet, c->proto, &s, true);
	c->has_ts = s.has_ts;
	c->family = s.family;
	c->sport = s.sport;
	c->dport = s.dport;
	c->tcp_flags = s.tcp_flags;
	c->seq = s.seq;
	c->ack = s.ack;
	c->tsval = s.tsval;
	c->tsecr = s.tsecr;
	c->payload = s.payload;
	/* word by word at constant offsets: the verifier refuses stores through a moved ctx pointer */
	if (s.family == AF_INET) {
		__u32 w[4] = { s.saddr4 }, v[4] = { s.daddr4 };

		copy_words(c, w, v);
	} else {
		__u32 w[4], v[4];

		__builtin_memcpy(w, s.saddr6, 16);
		__builtin_memcpy(v, s.daddr6, 16);
		copy_words(c, w, v);
	}
	return 0;
}

/* keeps the struct in the object's BTF for the contract test */
const struct ts_segment_check *unused_segment_check __attribute__((unused));

char LICENSE[] SEC("license") = "GPL";
