#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# 10,000 events over the Unix socket: each stored once, answered with its
# id; the same 10,000 again return the same ids and add no rows; a stream
# with bad lines interleaved refuses each bad line and stores every good one.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "socket ingest")
[ -n "$inc" ] || fail "no incident opened"

out=$("$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 2500 \
	--key-prefix sock --ids "$T/ids1") || fail "first run: $out"
expect_match "first run" "$out" "ok 10000 refused 0 unexpected 0"
expect_eq "stored" "$(sql "select count(*) from event where source = 'local:$(id -u)' and source_key like 'sock-%'")" 10000
expect_eq "distinct ids answered" "$(cut -d' ' -f2 "$T/ids1" | sort -u | wc -l)" 10000
# Every answered id is the stored row with that key.
expect_eq "ids match rows" "$(sql "select count(*) from event where source_key like 'sock-%' and id between $(cut -d' ' -f2 "$T/ids1" | sort -n | head -1) and $(cut -d' ' -f2 "$T/ids1" | sort -n | tail -1)")" 10000
pass "10,000 events over the Unix socket stored once"

out=$("$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 2500 \
	--key-prefix sock --ids "$T/ids2") || fail "second run: $out"
expect_match "second run" "$out" "ok 10000 refused 0"
sort "$T/ids1" >"$T/s1"; sort "$T/ids2" >"$T/s2"
cmp -s "$T/s1" "$T/s2" || fail "the same keys were answered with other ids"
expect_eq "rows after resend" "$(sql "select count(*) from event where source_key like 'sock-%'")" 10000
pass "the same 10,000 again: same ids, no new rows"

out=$("$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 2 -n 1000 \
	--key-prefix mixed --bad-every 7 -q) || fail "mixed run: $out"
expect_match "mixed run" "$out" "ok 2000 refused 284 unexpected 0"
expect_eq "good lines stored" "$(sql "select count(*) from event where source_key like 'mixed-%'")" 2000
pass "bad lines interleaved: each refused, every good line stored"

# recorded_by is the peer's uid, whatever the sender wrote.
expect_eq "recorded_by" "$(sql "select distinct recorded_by from event where source_key like 'sock-%'")" "$(id -u)"
pass "the peer's uid is recorded"

# Replies longer than the request's inline room (an incident code of 64
# characters, an error) come back whole, in the order of the lines.
code=L$(printf '%063d' 7)
ndjson "{\"kind\":\"incident\",\"op\":\"open\",\"code\":\"$code\",\"title\":\"長いコード\",\"at\":\"2026-11-20T12:00:00+09:00\"}" \
	"{\"kind\":\"action\",\"incident\":\"$code\",\"text\":\"x\",\"at\":\"2026-11-20T12:00:00+09:00\",\"bogus\":1}" \
	"{\"kind\":\"action\",\"incident\":\"$code\",\"text\":\"対処\",\"at\":\"2026-11-20T12:01:00+09:00\"}" >"$T/long" ||
	true  # sochi send exits 1 for the refused line; the replies are checked below
expect_eq "three replies" "$(wc -l <"$T/long")" 3
expect_match "the 64-character code's reply" "$(sed -n 1p "$T/long")" "^\\{\"ok\":true,\"id\":[0-9]+,\"incident\":\"$code\"\\}\$"
expect_match "the error's reply" "$(sed -n 2p "$T/long")" '^\{"ok":false,"error":".*bogus.*","line":2\}$'
expect_match "the line after it" "$(sed -n 3p "$T/long")" "^\\{\"ok\":true,\"id\":[0-9]+,\"incident\":\"$code\"\\}\$"
pass "long replies come back whole and in order"
