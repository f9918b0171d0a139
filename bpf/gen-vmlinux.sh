#!/usr/bin/env bash
# Regenerates the checked-in vmlinux.h for this host's architecture from the running
# kernel's BTF. Any recent kernel will do: CO-RE relocates field offsets at load time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
btf=${1:-/sys/kernel/btf/vmlinux}
case "$(uname -m)" in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "gen-vmlinux.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
[ -r "$btf" ] || { echo "gen-vmlinux.sh: $btf not readable (kernel needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
mkdir -p "$here/vmlinux/$arch"
bpftool btf dump file "$btf" format c > "$here/vmlinux/$arch/vmlinux.h.tmp"
mv "$here/vmlinux/$arch/vmlinux.h.tmp" "$here/vmlinux/$arch/vmlinux.h"
echo "wrote $here/vmlinux/$arch/vmlinux.h from $btf ($(uname -r))"
