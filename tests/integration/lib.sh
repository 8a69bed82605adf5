# SPDX-License-Identifier: MIT
# Shared by the integration tests: each test brings up its own sandbox (a
# private PostgreSQL and sochid, through script/sandbox, the same code users
# run) under the build tree, and removes it when it ends.
set -euo pipefail

top_srcdir=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
test_name=$(basename "$0" .sh)
export SOCHID=${SOCHID:-$top_builddir/daemon/sochid}
SOCHI=$top_builddir/cli/sochi
LOADGEN=$top_builddir/tests/bench/sochi-loadgen
export SOCHI_SANDBOX_DIR=$top_builddir/tests/integration/sandbox-$test_name
T=$(mktemp -d)

sandbox() { "$top_srcdir/script/sandbox" "$@"; }

# Processes a test starts besides the sandbox's: stopped by PID at the end.
extra_pids=()
# Other sandboxes a test starts (a second sochid on the same database):
# stopped and removed at the end, before the test's own.
extra_sandboxes=()

cleanup() {
	local rc=$?
	local p d
	for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for d in "${extra_sandboxes[@]}" "$SOCHI_SANDBOX_DIR"; do
		# A sochid built with the sanitizers (tests/sanitize.sh) reports
		# undefined behaviour on its stderr, which is its log: that
		# fails the test even when the answers were right.
		if [ -f "$d/sochid.log" ] &&
			grep -q -e 'runtime error:' -e 'Sanitizer' "$d/sochid.log"; then
			echo "FAIL: sochid ($d) reported undefined behaviour or a memory error"
			rc=1
		fi
		if [ $rc != 0 ] && [ -f "$d/sochid.log" ]; then
			echo "---- $(basename "$d")/sochid.log (last 30 lines) ----"
			tail -n 30 "$d/sochid.log"
		fi
	done
	if [ "${KEEP_SANDBOX:-0}" != 1 ]; then
		for d in "${extra_sandboxes[@]}"; do
			SOCHI_SANDBOX_DIR=$d sandbox down --purge >/dev/null 2>&1 || true
		done
		sandbox down --purge >/dev/null 2>&1 || true
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; exit 1; }
pass() { echo "ok - $*"; }

# sb_up: a fresh sandbox, its variables exported into this shell.
sb_up() {
	sandbox down --purge >/dev/null 2>&1 || true
	eval "$(sandbox up)"
}

sql() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# ndjson LINE...: the answers of sochid to these lines, sent on one
# connection of the Unix socket.
ndjson() { printf '%s\n' "$@" | "$SOCHI" send; }

# open_incident TITLE: the code of a newly opened incident.
open_incident() {
	local a
	a=$(ndjson "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"$1\",\"at\":\"2026-11-20T12:00:00+09:00\"}")
	sed -n 's/.*"incident":"\([^"]*\)".*/\1/p' <<<"$a"
}

sochid_pid() { cat "$SOCHI_SANDBOX_DIR/sochid.pid"; }

# alive PID: the process runs (a zombie, killed and not yet reaped by
# whoever started it, does not), as script/sandbox counts it.
alive() {
	kill -0 "$1" 2>/dev/null && ! grep -q "^State:[[:space:]]*Z" "/proc/$1/status" 2>/dev/null
}

# wait_for SECONDS CONDITION: evaluates the shell condition every 0.1 s
# until it holds, for at most SECONDS; returns 1 then, and the check after
# it says what is wrong.  Waiting on a condition rather than sleeping a
# fixed time keeps a slow machine (or a sanitized build) from failing.
wait_for() {
	local deadline=$((SECONDS + $1))
	until eval "$2"; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', wanted '$3'"; }
# expect_match WHAT TEXT PATTERN (grep -E)
expect_match() { grep -Eq -- "$3" <<<"$2" || fail "$1: '$2' does not match /$3/"; }

# check_acked PREFIX IDS...: every event the load generator was answered
# "ok" for (IDS files of --ids: "CONN-LINE id" or "CONN-LINE journaled") is
# stored under key PREFIX-CONN-LINE exactly once, with the id it was given;
# prints "acknowledged A (journaled J), stored S, lost L, duplicated D".
check_acked() {
	local prefix=$1; shift
	cat "$@" | sort -u >"$T/acked.txt"
	sql "select substr(source_key, length('$prefix') + 2) || ' ' || id from event where source_key like '$prefix-%'" | sort >"$T/stored.txt"
	python3 - "$T/acked.txt" "$T/stored.txt" <<'PY'
import sys
acked = [l.split() for l in open(sys.argv[1]) if l.strip()]
stored = [l.split() for l in open(sys.argv[2]) if l.strip()]
by_key = {}
for k, i in stored:
    by_key.setdefault(k, []).append(i)
lost = [k for k, i in acked if k not in by_key or (i != "journaled" and i not in by_key[k])]
dup = [k for k, v in by_key.items() if len(v) > 1]
journaled = sum(1 for k, i in acked if i == "journaled")
print("acknowledged %d (journaled %d), stored %d, lost %d, duplicated %d" %
      (len(set(k for k, i in acked)), journaled, len(stored), len(lost), len(dup)))
sys.exit(1 if lost or dup else 0)
PY
}
