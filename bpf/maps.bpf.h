/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The maps every TcpScope object shares, defined here and nowhere else: the events ring, the
 * loss counters, the sockets followed and the listeners. An object includes this through
 * common.bpf.h; when several objects are loaded as one probe set, the first creates these maps
 * and the others reuse them (bpf_map__reuse_fd), so all families write into one ring in one
 * time order and see one owner per socket. The definitions must therefore be the same in every
 * object: keep them in this file only. A map that belongs to one family (conn.bpf.h's
 * failed_attempts) is defined by that family.
 */
#ifndef TS_MAPS_BPF_H
#define TS_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tcpscope.h"

/* sock_info.flags beyond the TS_STATE_OWNER_* ones, never sent as such */
#define SI_LOST (1u << 15)		/* a record of this socket was lost: the next one says so */
#define SI_CLOSED (1u << 14)		/* its CLOSE record was lost; kept only to say so when it is destroyed */

struct sock_info {
	__u64 since_ns;			/* when the current state began */
	__u32 owner_pid;
	__u16 flags;			/* TS_STATE_OWNER_*, SI_LOST */
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
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* resized by user space before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TS_COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * Plain hash maps, not LRU: an LRU map makes room by forgetting a socket silently, and a
 * forgotten socket loses its owner and its events without anyone knowing. Entries go at CLOSE
 * (every TCP socket reaches it through inet_sock_set_state), so the map holds the sockets open
 * now; when it is full a socket opened during the trace is counted (TS_COUNTER_SOCKETS_FULL),
 * not followed.
 * max_entries is set by user space before load (--max-sockets).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__type(key, __u64);		/* struct sock * */
	__type(value, struct sock_info);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct listener_key);
	__type(value, struct listener_owner);
} listeners SEC(".maps");

#endif /* TS_MAPS_BPF_H */
