#!/usr/bin/env bash
# The main job on a fresh machine: set up, build, and watch one connection's whole life.
# `tcpscope demo` makes a throw-away network namespace, runs a client and a server in it
# over IPv4 and IPv6, prints every state transition of both ends and removes the namespace.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
echo
"$root/artifacts/bin/tcpscope" doctor || true
echo
exec "$root/artifacts/bin/tcpscope" demo "$@"
