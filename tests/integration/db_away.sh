#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# While the database is away, events wait (up to write_timeout) and are then
# refused with a reason, never dropped: an error line on the socket, 503 over
# HTTP.  When it comes back, events are stored again without a restart.
# Times are checked from below (nothing is refused before write_timeout) and
# otherwise waited for with deadlines, so a slow machine makes this test
# slower, not red.
. "$(dirname "$0")/lib.sh"
# Without the journal (journal = off): what waits past write_timeout is
# refused; journal.sh and the fault_*.sh tests cover it with one.
export SOCHI_SANDBOX_JOURNAL=off
export SOCHI_SANDBOX_WRITE_TIMEOUT=5
sb_up
inc=$(open_incident "database away")
act="{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"x\"}"
sandbox down --postgres
ms() { date +%s%3N; }
post() { # post PATH FILE NAME: the status in $T/NAME.code, after at most 120 s
	curl -sS -o "$T/$3.body" -w '%{http_code}' --max-time 120 \
		-H "Authorization: Bearer $SOCHI_TOKEN" --data-binary "@$2" \
		"$SOCHI_HTTP$1" >"$T/$3.code" || true
}

# The socket, an event over HTTP and a webhook at once: each waits out
# write_timeout and is refused.
printf '%s' "$act" >"$T/one.json"
printf '{"version":"4","groupKey":"g","alerts":[{"status":"firing","labels":{"alertname":"X"},"startsAt":"2026-11-20T03:00:00Z"}]}' >"$T/am.json"
start=$(ms)
(out=$(timeout 120 "$SOCHI" send <<<"$act" || true); printf '%s\n%s\n' "$out" $(($(ms) - start)) >"$T/sock") &
a=$!
post /v1/events "$T/one.json" events & b=$!
post /v1/alertmanager "$T/am.json" am & c=$!
wait $a $b $c
{ read -r answer; read -r took; } <"$T/sock"
expect_eq "socket answer" "$answer" '{"ok":false,"error":"not stored: the database has been unavailable for 5 s; send it again later","line":1}'
[ "$took" -ge 5000 ] || fail "refused after $took ms, before write_timeout (5 s)"
expect_eq "HTTP while the database is away" "$(cat "$T/events.code")" 503
expect_match "its body" "$(cat "$T/events.body")" '"error":"not stored: the database has been unavailable for 5 s'
expect_eq "a webhook while the database is away" "$(cat "$T/am.code")" 503
expect_eq "healthz while away" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 503
echo "the socket's refusal came after $took ms"
pass "events are refused with a reason after write_timeout, 503 over HTTP"

# An event sent while the database is away is stored once it is back.  For
# this part write_timeout is 300 s, so that however long PostgreSQL takes to
# start here, the event still waits when it is up.
eval "$(sandbox up)"
sandbox down --sochid
sed -i 's/^write_timeout = .*/write_timeout = 300/' "$SOCHI_CONFIG"
eval "$(sandbox up)"
sandbox down --postgres
ndjson "$act" >"$T/late" &
late=$!
# The event waits in sochid's writer before PostgreSQL starts again.
deadline=$((SECONDS + 60))
until [ "$(curl -sS "$SOCHI_HTTP/healthz" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pending"])')" = 1 ]; do
	[ $SECONDS -lt $deadline ] || fail "the event sent during the outage never reached the writer"
	sleep 0.1
done
eval "$(sandbox up)"
wait $late || fail "the event sent during the outage was refused: $(cat "$T/late")"
expect_match "stored after return" "$(cat "$T/late")" '^\{"ok":true'
expect_match "new events" "$(ndjson "$act")" '^\{"ok":true'
expect_eq "healthz after return" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 200
expect_eq "rows" "$(sql "select count(*) from event where kind = 'action'")" 2
pass "the writer reconnects by itself and stores what waited"
