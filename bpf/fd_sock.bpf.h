/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which socket is behind a file descriptor of the current process: what a syscall's return
 * (accept(), connect(), listen()) names by fd, seen from the raw sys_exit tracepoint.
 */
#ifndef TS_FD_SOCK_BPF_H
#define TS_FD_SOCK_BPF_H

#include "common.bpf.h"

/*
 * The socket behind one of the current process's file descriptors, or NULL.
 * From the typed task pointer to the fd array the reads are plain loads (BTF pointer walks,
 * 5.11+ like bpf_get_current_task_btf()), a probe-read helper call each from there on: the
 * array's element is a pointer to a pointer, which the verifier does not type.
 */
static __always_inline const struct sock *fd_sock(__u32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file **fds;
	struct file *f = NULL;
	struct socket *sock;

	if (!files)
		return NULL;
	fdt = files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
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
