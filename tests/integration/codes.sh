#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Incident codes: YYYY-NNNN with as many digits as the number needs (the
# 10,001st incident of a year is YYYY-10001, not YYYY-1000 again); the
# allocator skips a number a carrier's own code already took, also for an
# incident that an alert opens through /v1/alertmanager; a code given twice
# refuses only that row.
. "$(dirname "$0")/lib.sh"
sb_up
sandbox down --sochid
cat >>"$SOCHI_CONFIG" <<'CONF'

[rule.web]
match = service=web
title = Webの障害
category = 5
open = yes
CONF
eval "$(sandbox up)"
year=$(date +%Y)
open_at() { ndjson "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"$1\",\"at\":\"$year-06-01T12:00:00+09:00\"${2:-}}"; }

sql "insert into incident_code_seq (year, last) values ($year, 9999) on conflict (year) do update set last = 9999"
expect_match "the 10,000th" "$(open_at tenthousand)" "\"incident\":\"$year-10000\""
expect_match "the 10,001st" "$(open_at tenthousandone)" "\"incident\":\"$year-10001\""
pass "codes grow past four digits: $year-10000, $year-10001"

# A carrier's own code equal to the next number: skipped by the allocator.
expect_match "carrier's code" "$(open_at carrier ",\"code\":\"$year-10002\"")" "\"incident\":\"$year-10002\""
expect_match "the next automatic one" "$(open_at next)" "\"incident\":\"$year-10003\""
out=$(printf '%s\n' "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"again\",\"code\":\"$year-10002\",\"at\":\"$year-06-01T12:00:00+09:00\"}" \
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"fine\",\"at\":\"$year-06-01T12:00:00+09:00\"}" | "$SOCHI" send || true)
expect_match "a code given twice" "$(sed -n 1p <<<"$out")" "^\{\"ok\":false,\"error\":\"code: incident \\\\\"$year-10002\\\\\" already exists\",\"line\":1\}$"
expect_match "the row after it" "$(sed -n 2p <<<"$out")" "\"incident\":\"$year-10004\""
pass "a carrier's code is skipped by the allocator; a code given twice refuses that row only"

# Through Alertmanager: the next number already taken by a carrier's code.
expect_match "carrier's code" "$(open_at carrier2 ",\"code\":\"$year-10005\"")" "\"incident\":\"$year-10005\""
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
code=$(curl -s -o "$T/am" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "{\"version\":\"4\",\"groupKey\":\"{}:{service=\\\"web\\\"}\",\"status\":\"firing\",\"receiver\":\"sochi\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"WebDown\",\"service\":\"web\"},\"annotations\":{},\"startsAt\":\"$now\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"f1\"}]}" \
	"$SOCHI_HTTP/v1/alertmanager")
expect_eq "the webhook" "$code" 200
expect_match "its incident" "$(cat "$T/am")" "\"incident\":\"$year-10006\""
expect_eq "opened by the alert" "$(sql "select title from incident where code = '$year-10006'")" "Webの障害"
pass "an alert opens $year-10006 past the carrier's $year-10005; the webhook is answered 200"
