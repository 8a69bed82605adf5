#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A running sochid keeps working through schema changes: `sochid --migrate`
# under load (every function re-created), a function missing for a moment
# (as a migration that replaces one leaves it), and a connection that finds
# the schema older than it needs waits, says so, and carries on once the
# migration has run.  Every event sent meanwhile is stored, once.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "schema changes")
writer_pid() { sql "select pid from pg_stat_activity where application_name = 'sochid writer'"; }

"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 3000 -w 16 \
	--rate 2000 --key-prefix sc -q >"$T/gen" 2>&1 &
gen=$!
for _ in $(seq 200); do
	[ "$(sql "select count(*) > 200 from event where source_key like 'sc-%'")" = t ] && break
	sleep 0.05
done
out=$("$SOCHID" -f "$SOCHI_CONFIG" --migrate) || fail "--migrate: $out"
# The fast path's function away for a second, then back.
sql "alter function sochi_ingest_plain rename to sochi_ingest_plain_away"
sleep 1
sql "alter function sochi_ingest_plain_away rename to sochi_ingest_plain"
wait $gen || fail "loadgen: $(cat "$T/gen")"
expect_match "every event answered ok" "$(cat "$T/gen")" "ok 12000 refused 0 unexpected 0"
expect_eq "stored once" "$(sql "select count(*) from event where source_key like 'sc-%'")" 12000
grep -q "db writer: .*(42883): the schema changed; reconnecting" "$SOCHI_SANDBOX_DIR/sochid.log" ||
	fail "the missing function was not noticed as a schema change"
pass "migrate and a function replaced under load: 12,000 events answered ok and stored once"

# The schema older than this sochid: a new connection waits and says why.
sql "delete from schema_migrations where version = (select max(version) from schema_migrations)"
sql "select pg_terminate_backend($(writer_pid))" >/dev/null
ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"waits for the migration\"}" >"$T/late" &
late=$!
for _ in $(seq 100); do
	grep -q "db writer: the database schema is at version [0-9]* and this sochid needs version [0-9]*: run .sochid --migrate." "$SOCHI_SANDBOX_DIR/sochid.log" && break
	sleep 0.1
done
grep -q "this sochid needs version" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the old schema was not reported"
expect_eq "healthz before the migration" "$(curl -s -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 503
out=$("$SOCHID" -f "$SOCHI_CONFIG" --migrate) || fail "--migrate: $out"
wait $late || fail "the event sent before the migration: $(cat "$T/late")"
expect_match "stored after the migration" "$(cat "$T/late")" '^\{"ok":true'
pass "a connection to an older schema waits, says to migrate, and carries on after it"
