#!/usr/bin/env bash
# What `tcpscope life` and `tcpscope connect` cost a loopback connection storm, each A/B
# against an untraced baseline (verb-overhead.sh), with `tcpscope states` first as the
# reference, all in one run. Prints, per verb, overhead %, tracer CPU, in-kernel ns per
# program run and start-up latency. Needs root.
# "events" here are output lines (life: C, A and two X per connection; connect: one per
# attempt), so overhead.sh's loss column does not apply; tcpscope's own last line (in the
# .err files) reports ring-buffer losses.
#   sudo ./bench/connections-overhead.sh
#   PAIRS=3 VERBS='connect' sudo -E ./bench/connections-overhead.sh
#   VERBS='states record' ...: `record -o bench/build/bench.tsrec` (no output lines: its
#   figures are tracer CPU and in-kernel ns; its last line on stderr says what it wrote)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for verb in ${VERBS:-states life connect}; do
	echo "## tcpscope $verb"
	if [ "$verb" = record ]; then
		mkdir -p "$here/build"
		"$here/verb-overhead.sh" record -o "$here/build/bench.tsrec"
	else
		"$here/verb-overhead.sh" "$verb"
	fi
done
