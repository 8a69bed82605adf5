#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every bad request over the socket gets its own error answer naming what was
# wrong, in order, and never stops the connection or the lines after it.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "error paths")
good="{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"ok\"}"

# raw FILE: sochid's answers to the bytes of FILE, sent as they are.
raw() { "$SOCHI" send <"$1" || true; }

{
	printf '%s\n' "$good"
	printf '{not json\n'
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:03:00+09:00","text":"\xff\xfe"}\n' "$inc"
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:03:00+09:00","text":7}\n' "$inc"
	printf '{"kind":"action","incident":"nosuch","at":"2026-11-20T12:03:00+09:00","text":"x"}\n'
	printf '{"kind":"action","incident":"%s","at":"2026-11-20 25:61","text":"x"}\n' "$inc"
	printf '{"kind":"action","incident":"%s","at":"2026-02-30T12:00:00Z","text":"x"}\n' "$inc"
	printf '{"kind":"users","incident":"%s","count":-1}\n' "$inc"
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:03:00+09:00","text":"x","supersedes":999999}\n' "$inc"
	printf '\n'
	printf '%s\r\n' "$good"
	printf '%s' "$good"
} >"$T/in"
out=$(raw "$T/in")
n=0
check() { n=$((n + 1)); expect_match "line $n" "$(sed -n "${n}p" <<<"$out")" "$1"; }
check '^\{"ok":true,"id":[0-9]+,"incident":"'"$inc"'"\}$'
check '^\{"ok":false,"error":"invalid JSON at column [0-9]+: .*","line":2\}$'
check '^\{"ok":false,"error":"invalid JSON.*(UTF-8|unable to decode).*","line":3\}$'
check '^\{"ok":false,"error":"text: expected a string, got 7","line":4\}$'
check '^\{"ok":false,"error":"incident: no incident \\"nosuch\\"","line":5\}$'
check '^\{"ok":false,"error":"at: not an RFC 3339 time: \\"2026-11-20 25:61\\"","line":6\}$'
check '^\{"ok":false,"error":"at: not an RFC 3339 time: \\"2026-02-30T12:00:00Z\\"","line":7\}$'
check '^\{"ok":false,"error":"count: must not be negative, got -1","line":8\}$'
check '^\{"ok":false,"error":"supersedes: no event 999999","line":9\}$'
check '^\{"ok":true,"id":[0-9]+'
check '^\{"ok":true,"id":[0-9]+'
expect_eq "answers" "$(wc -l <<<"$out")" 11
expect_eq "stored" "$(sql "select count(*) from event where kind = 'action'")" 3
pass "each bad line refused with its reason, in order; good lines around them stored"

# An oversize line is refused without being buffered; the next line works.
{
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:03:00+09:00","text":"' "$inc"
	head -c 70000 /dev/zero | tr '\0' 'a'
	printf '"}\n%s\n' "$good"
} >"$T/big"
out=$(raw "$T/big")
expect_match "oversize line" "$(sed -n 1p <<<"$out")" '^\{"ok":false,"error":"line longer than 65536 bytes","line":1\}$'
expect_match "line after it" "$(sed -n 2p <<<"$out")" '^\{"ok":true,"id":[0-9]+'
pass "an oversize line is refused and the connection goes on"

# Retracting: a second retraction of the same event is refused.
id=$(ndjson "$good" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
r1="{\"kind\":\"retract\",\"incident\":\"$inc\",\"target\":$id,\"text\":\"誤入力\"}"
expect_match "retract" "$(ndjson "$r1")" '"ok":true'
expect_match "retract twice" "$(ndjson "$r1" || true)" "target: event $id is already retracted"
pass "retract twice refused"

# A later incident of another code cannot be corrected through this one.
other=$(open_incident "another")
oid=$(ndjson "{\"kind\":\"action\",\"incident\":\"$other\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"o\"}" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
out=$(ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"fix\",\"supersedes\":$oid}" || true)
expect_match "supersede across incidents" "$out" "supersedes: event $oid belongs to $other, not to $inc"
pass "a correction must name an event of its own incident"
