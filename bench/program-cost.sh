#!/usr/bin/env bash
# What each BPF program of a verb costs in the kernel per connection of a storm, from
# kernel.bpf_stats_enabled, alternating two builds of tcpscope round by round so that both
# see the same machine (this VM's speed moves from hour to hour). Needs root.
#   sudo ./bench/program-cost.sh OLD_BIN NEW_BIN [VERB [ARGS...]]
#   e.g. LOAD='-f 100' ROUNDS=3 ./bench/program-cost.sh /tmp/old/tcpscope artifacts/bin/tcpscope drops
# LOAD: extra connstorm arguments ('-f 100': every connect refused, a drop storm).
set -u
[ $# -ge 2 ] || { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
old=$1; new=$2; shift 2
verb=${*:-drops}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/build"
cc -O2 -Wall -pthread -o "$here/build/connstorm" "$here/connstorm.c"
prev=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -qw kernel.bpf_stats_enabled=1
ns=progcost-$$
trap 'ip netns del $ns 2>/dev/null; sysctl -qw kernel.bpf_stats_enabled=$prev' EXIT
# name run_cnt run_time_ns of every loaded program (bpftool omits the two while they are 0)
snap() { bpftool prog show | awk '/^[0-9]+:/{ name=$4; c=0; t=0
	for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t = $(i+1); if ($i == "run_cnt") c = $(i+1) }
	print name, c, t }' | sort; }
one() {
	ip netns add $ns; ip -n $ns link set lo up
	ip netns exec $ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_max_tw_buckets=1000000
	taskset -c 1 "$1" $verb > /dev/null 2>&1 &
	local tp=$!
	# attached when the verb's programs are loaded: wait for them (drops verifies for a second or two)
	sleep 5
	snap > "$here/build/progcost.before"
	local res conns
	res=$(ip netns exec $ns taskset -c 1 "$here/build/connstorm" -d 5 -t 2 ${LOAD:-})
	snap > "$here/build/progcost.after"
	conns=$(echo "$res" | sed -n 's/.* conns=\([0-9]*\).*/\1/p')
	kill -INT $tp; wait $tp
	ip netns del $ns
	join "$here/build/progcost.before" "$here/build/progcost.after" | awk -v n="$conns" -v who="$2" '
		{ dc = $4 - $2; dt = $5 - $3; if (dc > 0) { printf "%s %-16s runs/conn %5.2f  ns/run %5.0f  ns/conn %6.0f\n", who, $1, dc / n, dt / dc, dt / n; tot += dt } }
		END { printf "%s %-16s %d connections, %.0f ns per connection in all\n", who, "total", n, tot / n }'
}
for round in $(seq "${ROUNDS:-3}"); do
	echo "## round $round"
	one "$old" old
	one "$new" new
done
