#!/usr/bin/env bash
# While the database is away, events wait (up to write_timeout) and are then
# refused with a reason, never dropped: an error line on the socket, 503 over
# HTTP.  When it comes back, events are stored again without a restart.
. "$(dirname "$0")/lib.sh"
export SOCHI_SANDBOX_WRITE_TIMEOUT=5
sb_up
inc=$(open_incident "database away")
act="{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"x\"}"
sandbox down --postgres

start=$(date +%s)
out=$(ndjson "$act" || true)
expect_match "socket answer" "$out" '^\{"ok":false,"error":"not stored: the database has been unavailable for 5 s; send it again later","line":1\}$'
[ $(($(date +%s) - start)) -le 9 ] || fail "the refusal took too long"
printf '%s' "$act" >"$T/one.json"
code=$(curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" --data-binary "@$T/one.json" "$SOCHI_HTTP/v1/events")
expect_eq "HTTP while the database is away" "$code" 503
printf '{"version":"4","groupKey":"g","alerts":[{"status":"firing","labels":{"alertname":"X"},"startsAt":"2026-11-20T03:00:00Z"}]}' >"$T/am.json"
code=$(curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" --data-binary "@$T/am.json" "$SOCHI_HTTP/v1/alertmanager")
expect_eq "a webhook while the database is away" "$code" 503
expect_eq "healthz while away" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 503
pass "events are refused with a reason after write_timeout, 503 over HTTP"

# The event sent just before the database returns is stored once it does.
ndjson "$act" >"$T/late" &
late=$!
sleep 0.5
eval "$(sandbox up)"
wait $late || fail "the event sent during the outage was refused: $(cat "$T/late")"
expect_match "stored after return" "$(cat "$T/late")" '^\{"ok":true'
expect_match "new events" "$(ndjson "$act")" '^\{"ok":true'
expect_eq "healthz after return" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" 200
expect_eq "rows" "$(sql "select count(*) from event where kind = 'action'")" 2
pass "the writer reconnects by itself and stores what waited"
