/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which socket is behind a file descriptor of the current process: what a syscall's return
 * (accept(), connect(), listen()) names by fd, seen from the raw sys_exit tracepoint.
 */
#ifndef TS_FD_SOCK_BPF_H
#define TS_FD_SOCK_BPF_H

#include "common.bpf.h"

/* The socket behind one of the current process's file descriptors, or NULL. */
static __always_inline const struct sock *fd_sock(__u32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *f = NULL;
	struct socket *sock;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

static __always_inline bool is_tcp(const struct sock *sk)
{
	return sk && BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP &&
	       BPF_CORE_READ(sk, sk_type) == 1 /* SOCK_STREAM */;
}

#endif /* TS_FD_SOCK_BPF_H */
