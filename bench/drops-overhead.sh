#!/usr/bin/env bash
# What `tcpscope drops` costs, in one run (overhead.sh's A/B pairs, each in a fresh namespace):
#   1. the connection storm, which drops little: overhead % of `drops` (target <= 5%);
#   2. a drop storm: every connect refused (connstorm -f 100: each SYN meets a closed port, is
#      dropped NO_SOCKET and answered by a reset), traced by `drops` (a line per drop and per
#      reset) and by `drops --count` (counted in the kernel). Per drop (a refused connect is
#      one dropped SYN): tracer CPU per 100k drops (target <= 60 ms), in-kernel ns per drop
#      over all of drops' programs (state bookkeeping and resets included; targets <= 500
#      streaming, <= 150 counting), and what the tracer says it lost (target 0 at the default ring).
# Needs root.
#   sudo ./bench/drops-overhead.sh
#   PAIRS=3 PHASES='count' sudo -E ./bench/drops-overhead.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/drops-overhead.XXXXXX")}
export PAIRS=${PAIRS:-3}

# per-drop figures from the B runs of one phase's results.tsv and tracer stderr
per_drop() {
	local dir=$1
	awk -F'\t' 'NR > 1 && $2 == "B" && $6 > 0 {
		n++; printf "  pair %d: %d drops, tracer CPU %.1f ms / 100k drops, in-kernel %.0f ns / drop (%d runs x %s ns)\n",
			$1, $6, $13 / $6 * 1e5, $12 * $11 / $6, $11, $12
		cpu[n] = $13 / $6 * 1e5; ns[n] = $12 * $11 / $6 }
	END { if (!n) { print "  no traced run"; exit }
		for (i = 2; i <= n; i++) for (j = i; j > 1 && cpu[j-1] > cpu[j]; j--) { t = cpu[j]; cpu[j] = cpu[j-1]; cpu[j-1] = t }
		for (i = 2; i <= n; i++) for (j = i; j > 1 && ns[j-1] > ns[j]; j--) { t = ns[j]; ns[j] = ns[j-1]; ns[j-1] = t }
		printf "  median: tracer CPU %.1f ms / 100k drops, in-kernel %.0f ns / drop (n=%d)\n", cpu[int((n+1)/2)], ns[int((n+1)/2)], n }' "$dir/results.tsv"
	for e in "$dir"/trace.*.err; do
		echo "  $(basename "$e"): $(grep -E 'lost|not counted|drops counted' "$e" | tail -1)"
	done
}

for phase in ${PHASES:-storm stream count}; do
	case $phase in
	storm)
		echo "## the connection storm, tcpscope drops"
		OUT=$out/storm "$here/verb-overhead.sh" drops ;;
	stream)
		echo "## drop storm (every connect refused), tcpscope drops"
		# the dropped SYNs' lines: what a reader sees of the drops (resets have lines of their own)
		OUT=$out/stream LOAD_ARGS='-t 2 -f 100' EVENT_RE=' S +no socket +NO_SOCKET ' "$here/verb-overhead.sh" drops
		per_drop "$out/stream" ;;
	count)
		echo "## drop storm (every connect refused), tcpscope drops --count"
		OUT=$out/count LOAD_ARGS='-t 2 -f 100' EVENT_RE='^total ' "$here/verb-overhead.sh" drops --count
		per_drop "$out/count" ;;
	*) echo "drops-overhead.sh: unknown phase $phase (storm, stream, count)" >&2; exit 2 ;;
	esac
done
