#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# POST /v1/events: 10,000 events as arrays and single objects, answered 200
# after commit; an array is stored whole or not at all; 401 without a valid
# token; retries answer with the same ids.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "http ingest")

# batch FROM COUNT PREFIX: a JSON array of COUNT actions, keys PREFIX-N.
batch() {
	awk -v from="$1" -v n="$2" -v p="$3" -v inc="$inc" 'BEGIN {
		printf "["
		for (i = from; i < from + n; i++) {
			s = i % 86400
			printf "%s{\"kind\":\"action\",\"incident\":\"%s\",\"at\":\"2026-11-20T%02d:%02d:%02d+09:00\",\"phase\":\"recover\",\"actor\":\"NOC\",\"text\":\"http %d\",\"key\":\"%s-%d\"}", (i > from ? "," : ""), inc, s / 3600, s / 60 % 60, s % 60, i, p, i
		}
		printf "]"
	}'
}
post() { curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-H 'Content-Type: application/json' --data-binary "@$1" "$SOCHI_HTTP/v1/events"; }

for b in $(seq 0 98); do
	batch $((b * 100)) 100 http >"$T/b.json"
	code=$(post "$T/b.json")
	[ "$code" = 200 ] || fail "batch $b answered $code: $(cat "$T/body")"
	grep -o '"id":[0-9]*' "$T/body" >>"$T/ids1"
done
for i in $(seq 9900 9999); do
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:00:00+09:00","text":"single %d","key":"http-%d"}' "$inc" "$i" "$i" >"$T/one.json"
	code=$(post "$T/one.json")
	[ "$code" = 200 ] || fail "single $i answered $code: $(cat "$T/body")"
	expect_match "single answer" "$(cat "$T/body")" "^\{\"ok\":true,\"id\":[0-9]+,\"incident\":\"$inc\"\}$"
	grep -o '"id":[0-9]*' "$T/body" >>"$T/ids1"
done
expect_eq "ids answered" "$(sort -u "$T/ids1" | wc -l)" 10000
expect_eq "rows" "$(sql "select count(*) from event where source = 'sandbox' and source_key like 'http-%'")" 10000
pass "10,000 events over HTTP, answered after commit"

for b in 0 50 98; do
	batch $((b * 100)) 100 http >"$T/b.json"
	[ "$(post "$T/b.json")" = 200 ] || fail "resend of batch $b"
	grep -o '"id":[0-9]*' "$T/body" >>"$T/ids2"
done
sort -u "$T/ids1" >"$T/s1"
expect_eq "resent ids are among the first" "$(sort -u "$T/ids2" | comm -23 - "$T/s1" | wc -l)" 0
expect_eq "rows after resend" "$(sql "select count(*) from event where source_key like 'http-%'")" 10000
pass "resent arrays: same ids, no rows"

# All or none: one bad event, or one naming an unknown incident, stores nothing.
batch 20000 5 atomic >"$T/b.json"
sed -i 's/"text":"http 20003"/"text":""/' "$T/b.json"
expect_eq "invalid member" "$(post "$T/b.json")" 400
expect_match "invalid member names it" "$(cat "$T/body")" '"error":"event 4: text: must not be empty","index":3'
batch 20000 5 atomic >"$T/b.json"
sed -i "s/\"incident\":\"$inc\",\"at\":\"2026-11-20T05:33:22/\"incident\":\"9999-9999\",\"at\":\"2026-11-20T05:33:22/" "$T/b.json"
code=$(post "$T/b.json")
expect_eq "unknown incident in an array" "$code" 400
expect_match "unknown incident named" "$(cat "$T/body")" 'no incident \\"9999-9999\\"'
expect_eq "nothing of either array stored" "$(sql "select count(*) from event where source_key like 'atomic-%'")" 0
pass "an array with one refused event stores nothing"

# The same when the array holds an incident operation (stored row by row)
# and an action whose key names another stored event: the operation is
# undone too.
A='"at":"2026-11-20T12:00:00+09:00"'
printf '{"kind":"action","incident":"%s",%s,"text":"first","key":"mix-1"}' "$inc" "$A" >"$T/one.json"
expect_eq "the first event" "$(post "$T/one.json")" 200
printf '[{"kind":"incident","op":"update","incident":"%s","title":"changed",%s},{"kind":"action","incident":"%s",%s,"text":"other","key":"mix-1"}]' \
	"$inc" "$A" "$inc" "$A" >"$T/b.json"
expect_eq "a mixed array, a key used for another event" "$(post "$T/b.json")" 400
expect_match "the refused member named" "$(cat "$T/body")" 'event 2: key already used for a different event'
expect_eq "no title changed" "$(sql "select count(*) from incident where code = '$inc' and title = 'changed'")" 0
pass "a mixed array with one refused event stores nothing either"

printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:00:00+09:00","text":"x"}' "$inc" >"$T/one.json"
code=$(curl -sS -o /dev/null -w '%{http_code}' --data-binary "@$T/one.json" "$SOCHI_HTTP/v1/events")
expect_eq "no token" "$code" 401
code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' --data-binary "@$T/one.json" "$SOCHI_HTTP/v1/events")
expect_eq "wrong token" "$code" 401
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Basic $SOCHI_TOKEN" --data-binary "@$T/one.json" "$SOCHI_HTTP/v1/events")
expect_eq "not a bearer token" "$code" 401
pass "401 without a valid bearer token"

printf '{"kind":"action"' >"$T/bad.json"
expect_eq "malformed body" "$(post "$T/bad.json")" 400
expect_match "malformed body says so" "$(cat "$T/body")" 'invalid JSON'
printf '[]' >"$T/bad.json"
expect_eq "empty array" "$(post "$T/bad.json")" 400
expect_eq "GET /v1/events" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/v1/events")" 405
expect_eq "unknown path" "$(curl -sS -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/v1/nothing")" 404
# /healthz: its fields (the syslog listeners' counters follow them).
curl -sS "$SOCHI_HTTP/healthz" | python3 -c '
import json, sys
h = json.load(sys.stdin)
want = {"status": "ok", "database": "connected", "pending": 0, "pending_bytes": 0,
        "journaling": False, "journal_events": 0, "journal_seconds": 0, "web": "running"}
got = {k: h.get(k) for k in want}
assert got == want, got
assert "syslog" in h' || fail "healthz: $(curl -sS "$SOCHI_HTTP/healthz")"
pass "bad bodies, methods and paths answered with their codes"
