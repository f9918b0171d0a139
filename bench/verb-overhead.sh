#!/usr/bin/env bash
# What one tcpscope verb costs a loopback connection storm, A/B against an untraced baseline
# in one run (overhead.sh: fresh namespace per run, load and tracer pinned to one CPU).
# Builds the binary when missing or older than the sources it is made of, and the load
# generator. Needs root.
#   sudo ./bench/verb-overhead.sh VERB [tcpscope options...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 VERB [tcpscope options...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin="$root/artifacts/bin/tcpscope"
# a binary older than a source would measure code that is no longer there
if [ ! -x "$bin" ] || [ -n "$(find "$root/src" "$root/bpf" "$root/Directory.Packages.props" \( -name bin -o -name obj \) -prune \
	-o -newer "$bin" -type f -print -quit)" ]; then
	"$root/scripts/setup.sh"
fi
mkdir -p "$here/build"
cc -O2 -Wall -pthread -o "$here/build/connstorm" "$here/connstorm.c"
export CONNSTORM="$here/build/connstorm"
# one output line: states starts with SKADDR (16 hex digits), life and connect with HH:MM:SS.mmm
# (EVENT_RE from the environment wins: drops-overhead.sh counts only some lines)
case "$1" in
	states) export EVENT_RE=${EVENT_RE:-'^[0-9a-f]{16} '} ;;
	*) export EVENT_RE=${EVENT_RE:-'^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} '} ;;
esac
exec "$here/overhead.sh" "$root/artifacts/bin/tcpscope $*"
