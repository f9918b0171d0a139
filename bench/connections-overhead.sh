#!/usr/bin/env bash
# What `tcpscope life` and `tcpscope connect` cost a loopback connection storm, each A/B
# against an untraced baseline in one run (overhead.sh: fresh namespace per run, load and
# tracer pinned to one CPU), with `tcpscope states` as the reference. Prints, per verb,
# overhead %, tracer CPU, in-kernel ns per program run and start-up latency. Needs root.
# "events" here are output lines (life: C, A and two X per connection; connect: one per
# attempt), so overhead.sh's loss column does not apply; tcpscope's own last line (in the
# .err files) reports ring-buffer losses.
#   sudo ./bench/connections-overhead.sh
#   PAIRS=3 VERBS='connect' sudo -E ./bench/connections-overhead.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ -x "$root/artifacts/bin/tcpscope" ] || "$root/scripts/setup.sh"
mkdir -p "$here/build"
cc -O2 -Wall -pthread -o "$here/build/connstorm" "$here/connstorm.c"
export CONNSTORM="$here/build/connstorm"
for verb in ${VERBS:-states life connect}; do
	echo "## tcpscope $verb"
	if [ "$verb" = states ]; then
		EVENT_RE='^[0-9a-f]{16} ' "$here/overhead.sh" "$root/artifacts/bin/tcpscope states"
	else
		EVENT_RE='^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} ' "$here/overhead.sh" "$root/artifacts/bin/tcpscope $verb"
	fi
done
