#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real Prometheus Alertmanager (loopback only) with a webhook receiver
# pointing at the sandbox's sochid: two alerts of one group fire and resolve;
# the incident, its detection entries and the impact window are right, and
# Alertmanager's repeats add nothing.  Then sochid is stopped while
# Alertmanager sends, and the alerts arrive once it retries.
. "$(dirname "$0")/lib.sh"
AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
[ -n "$AM" ] || fail "prometheus-alertmanager is not installed (script/bootstrap installs it)"
sb_up
sandbox down --sochid
cat >>"$SOCHI_CONFIG" <<'CONF'

[rule.mail]
match = service=mail
title = メールサービスの障害
service = インターネット関連サービス（電子メール）
category = 5
impact = mail-send 電子メールの送受信ができない
open = yes
CONF
eval "$(sandbox up)"

amport=$(( 10000 + RANDOM % 20000 ))
cat >"$T/am.yml" <<YML
route:
  receiver: sochi
  group_by: ['service']
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 3s
receivers:
  - name: sochi
    webhook_configs:
      - url: '$SOCHI_HTTP/v1/alertmanager'
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: '$SOCHI_TOKEN'
YML
"$AM" --config.file="$T/am.yml" --storage.path="$T/am-data" \
	--web.listen-address="127.0.0.1:$amport" --cluster.listen-address= \
	>"$T/am.log" 2>&1 &
am=$!
# Keep the test's own exit status for cleanup: wait's would hide a failure.
trap 'rc=$?; kill $am 2>/dev/null; wait $am 2>/dev/null; (exit $rc); cleanup' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$amport/-/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$amport/-/ready" >/dev/null || fail "Alertmanager did not start: $(tail -n 5 "$T/am.log")"

iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%S.000Z; }
t0=$(iso '-10 minutes'); t1=$(iso '-8 minutes')
push() { curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	--data-binary "$1" "http://127.0.0.1:$amport/api/v2/alerts"; }
alert() { # alert NAME INSTANCE STARTS [ENDS]
	printf '{"labels":{"alertname":"%s","service":"mail","instance":"%s","severity":"critical"},"annotations":{"summary":"%s が応答しない"},"startsAt":"%s"%s,"generatorURL":"http://127.0.0.1/graph"}' \
		"$1" "$2" "$2" "$3" "${4:+,\"endsAt\":\"$4\"}"
}
expect_eq "push firing" "$(push "[$(alert StorageDown storage-a "$t0"),$(alert VMDown vm-1 "$t1")]")" 200

wait_for() { # wait_for SQL WANT SECONDS
	local got
	for _ in $(seq $(($3 * 10))); do
		got=$(sql "$1")
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	fail "waited $3 s for '$1' to be '$2', got '$got'"
}
wait_for "select count(*) from event where kind = 'alert' and data->>'status' = 'firing'" 2 20
inc=$(sql "select code from incident where group_key like 'sandbox:%service=%mail%'")
[ -n "$inc" ] || fail "no incident opened for the group: $(sql "select code, group_key from incident")"
out=$("$SOCHI" timeline -i "$inc")
expect_match "first detection" "$out" "StorageDown（storage-a）：storage-a が応答しない を検知"
expect_match "second detection" "$out" "VMDown（vm-1）：vm-1 が応答しない を検知"
expect_eq "detection time is the first firing" "$(sql "select to_char(min(occurred_at), 'YYYY-MM-DD\"T\"HH24:MI:SS') from event e join incident i on i.id = e.incident_id where i.code = '$inc' and e.kind = 'alert'")" "${t0%.000Z}"
pass "two alerts of one group: one incident, two detection entries at their own times"

# Let Alertmanager repeat the group a few times: nothing new is stored.
before=$(sql "select count(*) from event")
sleep 8
expect_eq "repeats add nothing" "$(sql "select count(*) from event")" "$before"

# Resolve both; the impact recovers with the rule's alert.
e0=$(iso '-2 minutes')
expect_eq "push resolved" "$(push "[$(alert StorageDown storage-a "$t0" "$e0"),$(alert VMDown vm-1 "$t1" "$e0")]")" 200
wait_for "select count(*) from event where kind = 'alert' and data->>'status' = 'resolved'" 2 20
"$SOCHI" report -i "$inc" -f json >"$T/r.json"
python3 - "$T/r.json" "$t0" "$e0" <<'PY' || fail "impact window"
import json, sys, datetime
j = json.load(open(sys.argv[1], encoding="utf-8"))
im = j["impacts"]
assert len(im) == 1, im
start = datetime.datetime.fromisoformat(im[0]["start"])
rec = datetime.datetime.fromisoformat(im[0]["recovered"])
t0 = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
e0 = datetime.datetime.fromisoformat(sys.argv[3].replace("Z", "+00:00"))
assert start == t0, (start, t0)
assert rec == e0, (rec, e0)
PY
expect_match "resolved entries" "$("$SOCHI" timeline -i "$inc")" "StorageDown（storage-a）：storage-a が応答しない の解消を確認"
before=$(sql "select count(*) from event")
sleep 5
expect_eq "resolved repeats add nothing" "$(sql "select count(*) from event")" "$before"
# No one has counted the users yet: that is the only error (unknown, not 0).
rc=0; out=$("$SOCHI" check -i "$inc") || rc=$?
expect_eq "check after both resolved: exit status" "$rc" 1
expect_eq "the only error" "$(grep '^error' <<<"$out" | cut -d: -f1)" "error users-unknown"
expect_match "no judgement on 0 users" "$out" "^classification: undetermined 五 \([0-9]+分間 < 2時間, users unknown\)$"
"$SOCHI" users 12000 -i "$inc" --at -1m >/dev/null || fail "users"
out=$("$SOCHI" check -i "$inc") || fail "check with a users count: $out"
if grep -q '^error' <<<"$out"; then fail "lint errors: $out"; fi
pass "resolution recovers the impact at endsAt; repeats of either state add nothing"

# sochid away while Alertmanager sends: the alert arrives when it retries.
sandbox down --sochid
t2=$(iso '-1 minutes')
expect_eq "push while sochid is down" "$(push "[$(alert MailQueue mq-1 "$t2")]")" 200
sleep 4
eval "$(sandbox up)"
wait_for "select count(*) from event where kind = 'alert' and data->>'name' = 'MailQueue'" 1 40
pass "an alert sent while sochid was stopped arrives once Alertmanager retries"
