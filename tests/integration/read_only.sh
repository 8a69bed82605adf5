#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A server that reads but does not write (a standby; here the primary with
# default_transaction_read_only on) is no database for sochid: a session
# that turns read-only under the writer is dropped and the events go to the
# journal at once, rather than round and round between the writer and the
# server; a new connection that finds the server read-only is refused by
# its own check, as if the server were down.  Once the server writes again
# everything journaled is stored, once.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$("$SOCHI" open 読み取り専用 --category 5)
expect_match "while writable" "$("$SOCHI" log -i "$inc" --at -5m 書ける間)" '^recorded event [0-9]+'
# psql's own session must be able to write the setting back later.
rw() { PGOPTIONS='-c default_transaction_read_only=off' sql "$1"; }
rw "alter system set default_transaction_read_only = on"
rw "select pg_reload_conf()" >/dev/null
wait_for 30 '[ "$(sql "show default_transaction_read_only")" = on ]' || fail "the setting did not take"

# The writer's session is read-only now: its next batch fails (25006).
out=$("$SOCHI" log -i "$inc" --at -4m 読み取り専用1)
expect_eq "sochi log on a read-only server" "$out" "recorded (journaled: the database is away; it will be stored when it is back)"
grep -q "db writer: .*(25006): the server is read-only; reconnecting" "$SOCHI_SANDBOX_DIR/sochid.log" ||
	fail "the read-only session was not noticed"
grep -q "journaling: the database is read-only" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "journaling was not logged"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"$(date -d -3min +%Y-%m-%dT%H:%M:%S%:z)\",\"text\":\"読み取り専用2\",\"key\":\"ro-2\"}" "$SOCHI_HTTP/v1/events")
expect_eq "HTTP on a read-only server" "$code" 202
expect_eq "its body" "$(cat "$T/body")" '{"ok":true,"journaled":true}'
# A new connection's check refuses the server: never "connected" again.
wait_for 30 'grep -q "db writer: the server is read-only (a standby, or default_transaction_read_only is on); reconnecting" "$SOCHI_SANDBOX_DIR/sochid.log"' ||
	fail "the reconnection did not find the server read-only"
health=$(curl -s "$SOCHI_HTTP/healthz")
expect_match "healthz" "$health" '"database":"unavailable".*"journaling":true'
! grep -q "sending it again" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "a batch went round: $(grep -c "sending it again" "$SOCHI_SANDBOX_DIR/sochid.log") resends"
! grep -q "took no event within" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "journaled only after write_timeout"
pass "a session that turns read-only: journaled at once (sochi log, HTTP 202), reconnections refused, no batch sent round"

# Started while the server is read-only (by hand: the sandbox would run
# `sochid --migrate` first, which cannot write either): the first
# connection is refused too, and the events are journaled at once.
sandbox down --sochid
: >"$SOCHI_SANDBOX_DIR/sochid.log"
"$SOCHID" -f "$SOCHI_CONFIG" >>"$SOCHI_SANDBOX_DIR/sochid.log" 2>&1 </dev/null &
echo $! >"$SOCHI_SANDBOX_DIR/sochid.pid"
wait_for 30 'grep -q "ready (pid $(sochid_pid))" "$SOCHI_SANDBOX_DIR/sochid.log"' ||
	fail "sochid did not start on a read-only server"
out=$("$SOCHI" log -i "$inc" --at -2m 読み取り専用3)
expect_eq "sochi log after a restart" "$out" "recorded (journaled: the database is away; it will be stored when it is back)"
grep -q "db writer: the server is read-only (a standby, or default_transaction_read_only is on); retrying" "$SOCHI_SANDBOX_DIR/sochid.log" ||
	fail "the first connection was not refused: $(grep "db writer" "$SOCHI_SANDBOX_DIR/sochid.log")"
! grep -q "db writer: connected" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the writer took a read-only session"
pass "started on a read-only server: the writer's connection is refused and events are journaled"

rw "alter system reset default_transaction_read_only"
rw "select pg_reload_conf()" >/dev/null
wait_for 60 '[ "$(sql "select count(*) from event where text like '"'"'読み取り専用%'"'"'")" = 3 ]' ||
	fail "stored $(sql "select count(*) from event where text like '読み取り専用%'") of 3 once writable"
expect_eq "in order, once" "$(sql "select string_agg(text, ' ' order by id) from event where text like '読み取り専用%'")" "読み取り専用1 読み取り専用2 読み取り専用3"
wait_for 30 'curl -s "$SOCHI_HTTP/healthz" | grep -q "\"journaling\":false"' || fail "still journaling"
expect_match "new events" "$("$SOCHI" log -i "$inc" --at -1m 書ける)" '^recorded event [0-9]+'
pass "writable again: the three journaled events are stored once, in order, and new ones go straight in"
