#!/usr/bin/env bash
# What `tcpscope states` costs a loopback connection storm, A/B against an untraced
# baseline in one run (see verb-overhead.sh). Prints overhead %, tracer CPU per 100k events,
# in-kernel ns per event, loss and start-up latency. Needs root. Extra arguments go to
# tcpscope states, e.g. --json.
#   sudo ./bench/states-overhead.sh
#   PAIRS=3 LOAD_ARGS='-t 2 -f 50' sudo -E ./bench/states-overhead.sh
exec "$(dirname "$0")/verb-overhead.sh" states "$@"
