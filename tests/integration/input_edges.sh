#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Input edges through the real interfaces: incident codes are
# [A-Za-z0-9][A-Za-z0-9._-]* on the socket, over HTTP and in webhook labels
# and tags (a code reaches notify_command's arguments, where a leading '-'
# would be an option), and the times the CLI reads are refused precisely
# (sochi log --at -1 once read past the end of its argument).
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "input edges")
at='"at":"2026-11-20T12:03:00+09:00"'
rule='expected an incident code: 1 to 64 of A-Z a-z 0-9 . _ -, beginning with a letter or digit'

# The socket: each refusal on its own line, the connection goes on.
out=$(ndjson \
	"{\"kind\":\"action\",\"incident\":\"-1\",$at,\"text\":\"x\"}" \
	"{\"kind\":\"action\",\"incident\":\"$inc:x\",$at,\"text\":\"x\"}" \
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"--help\"}" \
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\".hidden\"}" \
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"a/b\"}" \
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"NOC_2026.11-3\"}" \
	"{\"kind\":\"action\",\"incident\":\"NOC_2026.11-3\",$at,\"text\":\"x\"}" || true)
n=0
check() { n=$((n + 1)); expect_eq "line $n" "$(sed -n "${n}p" <<<"$out")" "$1"; }
check "{\"ok\":false,\"error\":\"incident: $rule, got \\\"-1\\\"\",\"line\":1}"
check "{\"ok\":false,\"error\":\"incident: $rule, got \\\"$inc:x\\\"\",\"line\":2}"
check "{\"ok\":false,\"error\":\"code: $rule, got \\\"--help\\\"\",\"line\":3}"
check "{\"ok\":false,\"error\":\"code: $rule, got \\\".hidden\\\"\",\"line\":4}"
check "{\"ok\":false,\"error\":\"code: $rule, got \\\"a/b\\\"\",\"line\":5}"
expect_match "line 6" "$(sed -n 6p <<<"$out")" '^\{"ok":true,"id":[0-9]+,"incident":"NOC_2026\.11-3"\}$'
expect_match "line 7" "$(sed -n 7p <<<"$out")" '^\{"ok":true,"id":[0-9]+,"incident":"NOC_2026\.11-3"\}$'
expect_eq "incidents" "$(sql "select string_agg(code, ' ' order by id) from incident")" "$inc NOC_2026.11-3"
pass "the socket refuses codes that begin with . _ - or hold : or /, and goes on"

# A syntax error near a cut character: the answer is still JSON (jansson
# quotes the bytes near the error, "メ" cut after two of its three bytes).
printf '{"{idn":"idn\\\\\\\\\\\xe3\x83\xa1\xff\x0f\xff\xff\xff)\xff\xff\xff\xff{"kind{":\n' >"$T/cut"
out=$("$SOCHI" send <"$T/cut" || true)
python3 -c 'import json, sys; a = json.loads(sys.argv[1]); assert a["ok"] is False and a["line"] == 1 and a["error"].startswith("invalid JSON at column 18: "), a' "$out" ||
	fail "the answer to a line with a cut character is not JSON: $out"
pass "an answer quoting a cut character is valid JSON"

# The CLI: sochid's refusal is printed and the exit status is 1.
rc=0; err=$("$SOCHI" open t --code -rf 2>&1 >/dev/null) || rc=$?
expect_eq "sochi open --code -rf: exit status" "$rc" 1
expect_match "sochi open --code -rf" "$err" "code: $rule, got \"-rf\""

# HTTP: 400 naming the field.
post() { # post PATH BODY: the HTTP status, body in $T/body
	printf '%s' "$2" >"$T/req"
	curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
		--data-binary "@$T/req" "$SOCHI_HTTP$1"
}
expect_eq "POST /v1/events status" "$(post /v1/events "{\"kind\":\"action\",\"incident\":\"-x\",$at,\"text\":\"x\"}")" 400
expect_eq "POST /v1/events body" "$(cat "$T/body")" "{\"ok\":false,\"error\":\"incident: $rule, got \\\"-x\\\"\"}"
expect_eq "array status" "$(post /v1/events "[{\"kind\":\"action\",\"incident\":\"$inc\",$at,\"text\":\"x\"},{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"x:1\"}]")" 400
expect_eq "array body" "$(cat "$T/body")" "{\"ok\":false,\"error\":\"event 2: code: $rule, got \\\"x:1\\\"\",\"index\":1}"

# Webhooks: an alert's label incident, a Zabbix tag incident.
am="{\"version\":\"4\",\"groupKey\":\"g\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\",\"incident\":\"-rf\"},\"startsAt\":\"2026-11-20T03:00:00Z\"}]}"
expect_eq "Alertmanager status" "$(post /v1/alertmanager "$am")" 400
expect_eq "Alertmanager body" "$(cat "$T/body")" "{\"ok\":false,\"error\":\"alerts[0].labels.incident: $rule, got \\\"-rf\\\"\"}"
gf="{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\",\"incident\":\"a:b\"},\"startsAt\":\"2026-11-20T03:00:00Z\"}]}"
expect_eq "Grafana status" "$(post /v1/grafana "$gf")" 400
expect_eq "Grafana body" "$(cat "$T/body")" "{\"ok\":false,\"error\":\"alerts[0].labels.incident: $rule, got \\\"a:b\\\"\"}"
zb='{"event_id":"9","event_value":"1","event_date":"2026.11.20","event_time":"12:00:00","trigger_name":"X","event_tags":"[{\"tag\":\"incident\",\"value\":\"--x\"}]"}'
expect_eq "Zabbix status" "$(post /v1/zabbix "$zb")" 400
expect_eq "Zabbix body" "$(cat "$T/body")" "{\"ok\":false,\"error\":\"event_tags: tag incident: $rule, got \\\"--x\\\"\"}"
expect_eq "nothing stored" "$(sql "select count(*) from event where kind = 'alert' or (kind = 'action' and incident_id = (select id from incident where code = '$inc'))")" 0
pass "HTTP and the webhooks answer 400 naming the code's member"

# The times the CLI reads: refused with the forms, exit status 2.
export SOCHI_INCIDENT=$inc
for typed in -1 - -1mm 25:61 11/20 2026-11-20T12:00:00+9; do
	rc=0; err=$("$SOCHI" log --at "$typed" x 2>&1 >/dev/null) || rc=$?
	expect_eq "sochi log --at '$typed': exit status" "$rc" 2
	expect_eq "sochi log --at '$typed'" "$err" "sochi: --at: not a time: \"$typed\"; write HH:MM, M/D HH:MM, YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM (seconds optional; these in the carrier's zone), RFC 3339 with an offset, or -15m / -2h / -1d"
done
expect_match "sochi log --at -1m" "$("$SOCHI" log --at -1m x)" "^recorded event [0-9]+ in $inc$"
pass "sochi log --at refuses -1, -, -1mm, 25:61, a date alone and a short offset"
