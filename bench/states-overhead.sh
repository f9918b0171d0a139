#!/usr/bin/env bash
# What `tcpscope states` costs a loopback connection storm, A/B against an untraced
# baseline in one run (overhead.sh: fresh namespace per run, load and tracer pinned to
# one CPU). Prints overhead %, tracer CPU per 100k events, in-kernel ns per event, loss
# and start-up latency. Needs root. Extra arguments go to tcpscope states, e.g. --json.
#   sudo ./bench/states-overhead.sh
#   PAIRS=3 LOAD_ARGS='-t 2 -f 50' sudo -E ./bench/states-overhead.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ -x "$root/artifacts/bin/tcpscope" ] || "$root/scripts/setup.sh"
mkdir -p "$here/build"
cc -O2 -Wall -pthread -o "$here/build/connstorm" "$here/connstorm.c"
export CONNSTORM="$here/build/connstorm"
exec "$here/overhead.sh" "$root/artifacts/bin/tcpscope states $*"
