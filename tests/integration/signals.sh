#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGTERM while events stream in: sochid stops reading, answers what is in
# flight after commit, and exits 0; nothing answered "ok" is missing.
# SIGHUP reloads the tokens (tests/integration/reload.sh: the rest).
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "signals")

# Run sochid as this test's own child, to see its exit status.
sandbox down --sochid
"$SOCHID" -f "$SOCHI_CONFIG" >"$T/sochid.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "ready (pid $pid)" "$T/sochid.log" && break; sleep 0.05; done

"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 50000 -w 64 \
	--key-prefix sig --ids "$T/ids" -q >"$T/out" 2>&1 &
gen=$!
for _ in $(seq 200); do
	[ "$(sql "select count(*) >= 2000 from event where source_key like 'sig-%'")" = t ] && break
	sleep 0.05
done
kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "sochid exit status after SIGTERM" "$rc" 0
wait $gen || true
grep -q "all events answered; exiting" "$T/sochid.log" || fail "no clean drain: $(tail -n 3 "$T/sochid.log")"
answered=$(wc -l <"$T/ids")
[ "$answered" -gt 0 ] && [ "$answered" -lt 200000 ] || fail "answered $answered: the stream was not cut by SIGTERM"
cut -d' ' -f2 "$T/ids" | sort -n >"$T/answered"
sql "select id from event where source_key like 'sig-%' order by id" >"$T/stored"
cmp -s "$T/answered" "$T/stored" || fail "$(cat "$T/out"); stored events differ from those answered ok ($answered answered, $(wc -l <"$T/stored") stored)"
pass "SIGTERM mid-stream: $answered events answered, each committed; exit 0"

# SIGHUP: a token added to the file works without a restart, a removed one stops working.
eval "$(sandbox up)"
printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:00:00+09:00","text":"hup"}' "$inc" >"$T/one.json"
post() { curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" --data-binary "@$T/one.json" "$SOCHI_HTTP/v1/events"; }
expect_eq "new token before reload" "$(post hup-token-1)" 401
sed -i "s/^sandbox = .*/grafana = hup-token-1/" "$SOCHI_SANDBOX_DIR/tokens"
kill -HUP "$(sochid_pid)"
wait_for 10 'grep -q "reload: changed" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "no reload in the log"
expect_match "the tokens named, never their secrets" "$(grep "reload: changed" "$SOCHI_SANDBOX_DIR/sochid.log")" \
	'reload: changed \[tokens\] (sandbox, \[tokens\] grafana|grafana, \[tokens\] sandbox)$'
grep -q "hup-token-1" "$SOCHI_SANDBOX_DIR/sochid.log" && fail "a secret in the log"
expect_eq "new token after reload" "$(post hup-token-1)" 200
expect_eq "removed token after reload" "$(post "$SOCHI_TOKEN")" 401
expect_eq "source is the new token's name" "$(sql "select source from event where text = 'hup' order by id desc limit 1")" grafana
printf '[sochid]\nbogus = 1\n' >>"$SOCHI_CONFIG"
kill -HUP "$(sochid_pid)"
wait_for 10 'grep -q "reload failed" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "a bad file on reload was not reported"
grep -q "reload failed, keeping the running configuration: .*sochid.conf:[0-9]*: \[sochid\] bogus: unknown key" "$SOCHI_SANDBOX_DIR/sochid.log" ||
	fail "a bad file on reload was not reported"
expect_eq "still serving after a bad reload" "$(post hup-token-1)" 200
pass "SIGHUP reloads tokens; a bad file keeps the running configuration"
