#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PostgreSQL stopped for 30 s under load, then killed with SIGKILL under
# load: every event answered "ok" (stored, or journaled while the database
# was away) is stored exactly once afterwards, and the senders never saw a
# refusal.
. "$(dirname "$0")/lib.sh"
export SOCHI_SANDBOX_WRITE_TIMEOUT=5
sb_up
inc=$(open_incident "PostgreSQL away")
pg_pid() { head -n 1 "$(cat "$SOCHI_SANDBOX_DIR/pg-home")/data/postmaster.pid"; }
stored() { sql "select count(*) from event where source_key like '$1-%'"; }

# 24,000 events at 400/s: a minute, of which 30 s without a database.
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 6000 -w 64 \
	--rate 400 --key-prefix pg30 --ids "$T/ids1" -q >"$T/gen1" 2>&1 &
gen=$!
wait_for 60 '[ "$(stored pg30)" -ge 3000 ]' || fail "the stream did not start"
sandbox down --postgres
down=$SECONDS
wait_for 60 'curl -s "$SOCHI_HTTP/healthz" | grep -q "\"journaling\":true"' || fail "not journaling"
while [ $((SECONDS - down)) -lt 30 ]; do sleep 1; done
during=$(curl -s "$SOCHI_HTTP/healthz")
eval "$(sandbox up)"
wait $gen || fail "the stream: $(cat "$T/gen1")"
echo "after 30 s away: $during"
expect_match "every event answered ok" "$(cat "$T/gen1")" "ok 24000 refused 0 unexpected 0"
expect_match "some journaled" "$(grep -c journaled "$T/ids1")" '^[1-9]'
wait_for 120 '[ "$(stored pg30)" = 24000 ]' || fail "stored $(stored pg30) of 24000"
out=$(check_acked pg30 "$T/ids1") || fail "$out"
pass "PostgreSQL stopped 30 s under load: $out"

# The postmaster killed outright (a crash; it recovers on start).
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 3000 -w 64 \
	--rate 400 --key-prefix pg9 --ids "$T/ids2" -q >"$T/gen2" 2>&1 &
gen=$!
wait_for 60 '[ "$(stored pg9)" -ge 2000 ]' || fail "the second stream did not start"
kill -KILL "$(pg_pid)"
sleep 3
eval "$(sandbox up)"
wait $gen || fail "the stream: $(cat "$T/gen2")"
expect_match "every event answered ok" "$(cat "$T/gen2")" "ok 12000 refused 0 unexpected 0"
wait_for 120 '[ "$(stored pg9)" = 12000 ]' || fail "stored $(stored pg9) of 12000"
out=$(check_acked pg9 "$T/ids2") || fail "$out"
pass "PostgreSQL killed with SIGKILL under load: $out"
