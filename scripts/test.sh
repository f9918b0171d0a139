#!/usr/bin/env bash
# Runs every test on a fresh machine: set-up (packages, restore, NativeAOT publish, which
# fails on any trim/AOT warning), then unit tests and, as root, the privileged integration
# tests against the real kernel. Prints a last line "N passed, N failed, N skipped".
# TCPSCOPE_REQUIRE_BPF=1 makes a privileged test that cannot run fail instead of skip.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh" || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d "${TMPDIR:-/tmp}/tcpscope-tests.XXXXXX")
export TCPSCOPE_BIN="$root/artifacts/bin/tcpscope"
log="$results/console.log"
dotnet test TcpScope.slnx --nologo -v q --logger "trx" --logger "console;verbosity=normal" \
	--results-directory "$results" 2>&1 | grep -vE '^\s*$' | tee "$log"
rc=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
	[ -e "$trx" ] || continue
	files=$((files + 1))
	counters=$(grep -o '<Counters [^>]*>' "$trx")
	get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
	passed=$((passed + $(get passed)))
	failed=$((failed + $(get failed)))
	skipped=$((skipped + $(get notExecuted)))
done
# a run that produced no results (a build error) counts as a failure
if [ "$files" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
	failed=$((failed + 1))
fi
# repeat the failures last, where a reader of the log's tail looks
if [ "$failed" -gt 0 ]; then
	echo "--- failed tests ---"
	grep -E -A 12 '^\s+Failed [A-Za-z]' "$log" | head -n 200
fi
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
