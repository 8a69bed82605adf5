#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A batch in flight has a deadline: with a lock held on the event table, the
# senders are answered with an error after write_timeout (not after the lock
# goes), /healthz says "stalled" meanwhile, and once the lock is gone
# events are stored again, without a restart.
. "$(dirname "$0")/lib.sh"
# Without the journal (journal = off): what waits past write_timeout is
# refused; journal.sh and the fault_*.sh tests cover it with one.
export SOCHI_SANDBOX_JOURNAL=off
export SOCHI_SANDBOX_WRITE_TIMEOUT=2
sb_up
inc=$(open_incident "stall")
act() { echo "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"$1\"}"; }

# Another session holds the table for 12 s.
psql -X -q -c "begin" -c "lock table event in access exclusive mode" -c "select pg_sleep(12)" -c "commit" >/dev/null &
locker=$!
extra_pids+=("$locker")
for _ in $(seq 100); do
	[ "$(sql "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'event' and l.mode = 'AccessExclusiveLock' and l.granted")" = 1 ] && break
	sleep 0.05
done

start=$(date +%s.%N)
out=$(ndjson "$(act "behind the lock")" || true)
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
expect_match "answer while locked" "$out" '^\{"ok":false,"error":"not stored: the database did not answer within 2 s; send it again later","line":1\}$'
awk -v t="$took" 'BEGIN { exit !(t < 8) }' || fail "the answer took $took s, not about write_timeout"
health=$(curl -s "$SOCHI_HTTP/healthz")
expect_match "healthz while stalled" "$health" '"status":"stalled"'
expect_eq "healthz code while stalled" "$(curl -s -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 503
# sochid's own deadline, or the server's statement_timeout when that fires
# first (a slow, sanitized build): either way the stall is logged.
grep -Eq "db writer: (a request ran past its deadline|a batch of [0-9]+ events failed \(57014: )" \
	"$SOCHI_SANDBOX_DIR/sochid.log" || fail "the deadline was not logged"
pass "a batch stuck behind a lock is answered with an error after $took s; healthz says stalled"

wait $locker
for _ in $(seq 100); do
	out=$(ndjson "$(act "after the lock")")
	grep -q '"ok":true' <<<"$out" && break
	sleep 0.1
done
expect_match "after the lock" "$out" '^\{"ok":true'
expect_match "healthz after" "$(curl -s "$SOCHI_HTTP/healthz")" '"status":"ok"'
expect_eq "stored" "$(sql "select count(*) from event where text = 'behind the lock'")" 0
pass "once the lock is gone, events are stored and healthz says ok"
