#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The database stalls (another session holds a lock on event for 20 s)
# under load: after write_timeout the events are journaled and answered;
# once the lock is gone they are stored, each once.
. "$(dirname "$0")/lib.sh"
export SOCHI_SANDBOX_WRITE_TIMEOUT=3
sb_up
inc=$(open_incident "stall")
stored() { sql "select count(*) from event where source_key like 'st-%'"; }
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 4000 -w 64 \
	--rate 400 --key-prefix st --ids "$T/ids" >"$T/gen" 2>"$T/gen.err" &
gen=$!
wait_for 60 '[ "$(stored)" -ge 2000 ]' || fail "the stream did not start"
psql -X -q -c "begin" -c "lock table event in access exclusive mode" -c "select pg_sleep(20)" -c "commit" >/dev/null &
locker=$!
extra_pids+=("$locker")
wait_for 60 'curl -s "$SOCHI_HTTP/healthz" | grep -q "\"journaling\":true"' || fail "not journaling during the stall"
during=$(curl -s "$SOCHI_HTTP/healthz")
wait $locker
wait $gen || fail "the stream: $(cat "$T/gen") $(sort "$T/gen.err" | uniq -c | head -5)"
echo "during the stall: $during"
expect_match "every event answered ok" "$(cat "$T/gen")" "ok 16000 refused 0 unexpected 0"
wait_for 120 '[ "$(stored)" = 16000 ]' || fail "stored $(stored) of 16000"
out=$(check_acked st "$T/ids") || fail "$out"
grep -q "journaling: the database took no event within 3 s" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the stall was not logged"
pass "a 20 s stall under load: $out"
