// SPDX-License-Identifier: GPL-2.0
/*
 * probes.bpf.c - one empty program per attach type that TcpScope's optional upgrades
 * would use. `tcpscope doctor` loads and attaches each to tell what this kernel allows
 * (fentry/fexit need BPF trampolines and may be refused; kprobes need CONFIG_KPROBES).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(probe_tp_btf, const struct sock *sk, int oldstate, int newstate)
{
	return 0;
}

SEC("tracepoint/sock/inet_sock_set_state")
int probe_tracepoint(void *ctx)
{
	return 0;
}

SEC("fentry/tcp_rcv_state_process")
int BPF_PROG(probe_fentry, struct sock *sk)
{
	return 0;
}

SEC("fexit/tcp_rcv_state_process")
int BPF_PROG(probe_fexit, struct sock *sk, struct sk_buff *skb, int ret)
{
	return 0;
}

SEC("kprobe/tcp_rcv_state_process")
int BPF_KPROBE(probe_kprobe, struct sock *sk)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
