#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PostgreSQL stops in the middle of a stream (an immediate shutdown, as in a
# crash) and comes back: every event answered "ok" is in the database, once,
# with the id it was answered with, and the senders saw no refusal.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "database restart")
pg_pid() { head -n 1 "$(cat "$SOCHI_SANDBOX_DIR/pg-home")/data/postmaster.pid"; }

"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 10000 -w 8 \
	--key-prefix pr --ids "$T/ids" -q >"$T/out" 2>&1 &
gen=$!
# Wait until the stream is well under way, then stop PostgreSQL at once.
wait_for 120 '[ "$(sql "select count(*) >= 5000 from event where source_key like '"'"'pr-%'"'"'")" = t ]' ||
	fail "the stream did not get going"
before=$(sql "select count(*) from event where source_key like 'pr-%'")
kill -QUIT "$(pg_pid)"
sleep 2
eval "$(sandbox up)"
wait $gen || fail "loadgen: $(cat "$T/out")"
cat "$T/out"
expect_match "every event answered ok" "$(cat "$T/out")" "ok 40000 refused 0 unexpected 0"
[ "$before" -lt 40000 ] || fail "the database stopped only after the stream ($before rows)"
wait_for 120 '[ "$(sql "select count(*) from event where source_key like '"'"'pr-%'"'"'")" = 40000 ]' ||
	fail "stored $(sql "select count(*) from event where source_key like 'pr-%'") of 40000"
out=$(check_acked pr "$T/ids") || fail "$out"
grep -q "db writer: .*; reconnecting" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "sochid did not notice the outage"
pass "PostgreSQL stopped at $before of 40,000 events: $out"
