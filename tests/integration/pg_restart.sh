#!/usr/bin/env bash
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
for _ in $(seq 200); do
	[ "$(sql "select count(*) >= 5000 from event where source_key like 'pr-%'")" = t ] && break
	sleep 0.05
done
before=$(sql "select count(*) from event where source_key like 'pr-%'")
kill -QUIT "$(pg_pid)"
sleep 2
kill -0 $gen 2>/dev/null || fail "the stream ended while the database was down: $(cat "$T/out")"
eval "$(sandbox up)"
wait $gen || fail "loadgen: $(cat "$T/out")"
cat "$T/out"
expect_match "every event answered ok" "$(cat "$T/out")" "ok 40000 refused 0 unexpected 0"
[ "$before" -lt 40000 ] || fail "the database stopped only after the stream ($before rows)"
expect_eq "stored" "$(sql "select count(*) from event where source_key like 'pr-%'")" 40000
cut -d' ' -f2 "$T/ids" | sort -n >"$T/answered"
sql "select id from event where source_key like 'pr-%' order by id" >"$T/stored"
cmp -s "$T/answered" "$T/stored" || fail "answered ids differ from stored ids"
grep -q "db writer: .*; reconnecting" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "sochid did not notice the outage"
pass "PostgreSQL stopped at $before of 40,000 events: none answered ok was lost, none stored twice"
