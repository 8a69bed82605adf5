#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sochid killed with SIGKILL at a random moment under load, then started
# again; the senders send again, with the same keys, what they were not
# answered: nothing answered "ok" is lost and nothing is stored twice.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "kill -9")
at=$((3000 + RANDOM % 12000))
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 5000 -w 32 \
	--key-prefix k9 --ids "$T/ids1" -q >"$T/gen1" 2>&1 &
gen=$!
wait_for 120 '[ "$(sql "select count(*) from event where source_key like '"'"'k9-%'"'"'")" -ge '"$at"' ]' ||
	fail "the stream did not reach $at events"
kill -KILL "$(sochid_pid)"
wait $gen || true
echo "first run, killed after $at stored: $(cat "$T/gen1")"
eval "$(sandbox up)"
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 5000 -w 32 \
	--key-prefix k9 --ids "$T/ids2" -q >"$T/gen2" 2>&1 || fail "the resend: $(cat "$T/gen2")"
expect_match "the resend" "$(cat "$T/gen2")" "ok 20000 refused 0 unexpected 0"
out=$(check_acked k9 "$T/ids1" "$T/ids2") || fail "$out"
echo "$out"
expect_eq "stored" "$(sql "select count(*) from event where source_key like 'k9-%'")" 20000
pass "sochid killed at $at events: $out"
