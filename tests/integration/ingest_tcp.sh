#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# NDJSON over TCP: a first line {"auth":"<token>"}; 10,000 events stored
# once under the token's name; a wrong or missing token gets an error line
# and the connection closes.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "tcp ingest")

out=$("$LOADGEN" --tcp "$SOCHI_TCP" --token "$SOCHI_TOKEN" --incident "$inc" \
	-c 4 -n 2500 --key-prefix tcp --ids "$T/ids1") || fail "run: $out"
expect_match "tcp run" "$out" "ok 10000 refused 0 unexpected 0"
expect_eq "stored under the token's name" \
	"$(sql "select count(*) from event where source = 'sandbox' and source_key like 'tcp-%'")" 10000
expect_eq "no uid over TCP" "$(sql "select count(*) from event where source_key like 'tcp-%' and recorded_by is not null")" 0
pass "10,000 events over TCP"

out=$("$LOADGEN" --tcp "$SOCHI_TCP" --token "$SOCHI_TOKEN" --incident "$inc" \
	-c 4 -n 2500 --key-prefix tcp --ids "$T/ids2") || fail "resend: $out"
sort "$T/ids1" >"$T/s1"; sort "$T/ids2" >"$T/s2"
cmp -s "$T/s1" "$T/s2" || fail "resent events got other ids"
expect_eq "rows after resend" "$(sql "select count(*) from event where source_key like 'tcp-%'")" 10000
pass "resent over TCP: same ids"

# tcp_session LINES...: what sochid says, until it closes or 5 s pass.
tcp_session() {
	local host=${SOCHI_TCP%:*} port=${SOCHI_TCP##*:}
	exec 3<>"/dev/tcp/$host/$port"
	printf '%s\n' "$@" >&3
	timeout 5 cat <&3 || true
	exec 3<&-
}
act="{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"x\"}"
out=$(tcp_session '{"auth":"wrong"}' "$act")
expect_eq "answers to a wrong token" "$(wc -l <<<"$out")" 1
expect_match "wrong token" "$out" '^\{"ok":false,"error":"auth: unknown token","line":1\}$'
out=$(tcp_session "$act" "$act")
expect_eq "answers without auth" "$(wc -l <<<"$out")" 1
expect_match "missing auth" "$out" '"ok":false,"error":"auth: the first line on TCP must be'
out=$(tcp_session "{\"auth\":\"$SOCHI_TOKEN\"}" "$act")
expect_match "good token" "$(head -n 1 <<<"$out")" '^\{"ok":true,"source":"sandbox"\}$'
expect_match "event after auth" "$(sed -n 2p <<<"$out")" '^\{"ok":true,"id":[0-9]+'
pass "wrong or missing token: an error line, then the connection closes"
