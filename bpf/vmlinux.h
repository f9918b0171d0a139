/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel type definitions for CO-RE programs, checked in so that a build does not depend
 * on the build host's kernel. Regenerate with gen-vmlinux.sh. CO-RE relocations make the
 * programs fit the running kernel's layout at load time, not this file's.
 */
#if defined(__TARGET_ARCH_x86)
#include "vmlinux/x86/vmlinux.h"
#else
#error "no checked-in vmlinux.h for this architecture: run bpf/gen-vmlinux.sh on a host of it"
#endif
