#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Grafana and Zabbix webhooks through HTTP, correlation rules, unattached
# alerts and sochi attach; the Zabbix media type parses as YAML and its
# script, run by Node.js as Zabbix would, posts the documented parameters.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3; [ -x $PY ] || PY=python3
sb_up
sandbox down --sochid
cat >>"$SOCHI_CONFIG" <<'CONF'

[source.zabbix]
timezone = Asia/Tokyo

[rule.storage]
match = alertname=~Storage.*|ストレージ.*, severity=~critical|4|5
title = メールサービスの障害
service = インターネット関連サービス（電子メール）
category = 5
impact = mail-send 電子メールの送受信ができない
open = yes
CONF
eval "$(sandbox up)"
post() { # post PATH FILE [curl options]: the HTTP status, body in $T/body
	local path=$1 file=$2; shift 2
	curl -sS -o "$T/body" -w '%{http_code}' "$@" --data-binary "@$file" "$SOCHI_HTTP$path"
}

# Grafana, with Basic auth as Grafana offers it.
cat >"$T/grafana.json" <<'JSON'
{"receiver":"sochi","status":"firing","orgId":1,"groupKey":"{}/{}:{alertname=\"StorageDown\"}",
 "groupLabels":{"alertname":"StorageDown"},"commonLabels":{"alertname":"StorageDown"},"commonAnnotations":{},
 "externalURL":"http://127.0.0.1:3000/","version":"1","state":"alerting","title":"[FIRING:1] StorageDown",
 "message":"ストレージ機器Ａ 応答なし","truncatedAlerts":0,
 "alerts":[{"status":"firing","labels":{"alertname":"StorageDown","instance":"storage-a","severity":"critical"},
  "annotations":{"summary":"ストレージ機器Ａ 応答なし"},"startsAt":"2026-11-16T12:03:00+09:00",
  "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://127.0.0.1:3000/alerting/grafana/x/view",
  "fingerprint":"3d8f0e6a","silenceURL":"http://127.0.0.1:3000/s","dashboardURL":"","panelURL":"",
  "values":{"B":0,"C":1},"valueString":"[ var='B' value=0 ]"}]}
JSON
code=$(post /v1/grafana "$T/grafana.json" -u "grafana:$SOCHI_TOKEN")
expect_eq "grafana with Basic auth" "$code" 200
inc=$(sed -n 's/.*"incident":"\([^"]*\)".*/\1/p' "$T/body")
[ -n "$inc" ] || fail "no incident opened: $(cat "$T/body")"
expect_eq "again: nothing new" "$(post /v1/grafana "$T/grafana.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 200
expect_eq "the rule opened the incident" "$(sql "select title || '|' || category || '|' || state from incident where code = '$inc'")" "メールサービスの障害|5|open"
expect_eq "events" "$(sql "select string_agg(e.kind, ',' order by e.id) from event e join incident i on i.id = e.incident_id where i.code = '$inc'")" "incident,alert,impact"
expect_eq "wrong password" "$(post /v1/grafana "$T/grafana.json" -u grafana:wrong)" 401
expect_eq "Basic is for Grafana only" "$(post /v1/alertmanager "$T/grafana.json" -u "x:$SOCHI_TOKEN")" 401
pass "Grafana: Basic or Bearer, the rule opens an incident and starts its impact, repeats add nothing"

# Zabbix: a problem, then its recovery, dates in the configured zone.
cat >"$T/zp.json" <<JSON
{"event_id":"4711","event_value":"1","event_nseverity":"4","event_date":"2026.11.16","event_time":"12:05:00",
 "recovery_date":"{EVENT.RECOVERY.DATE}","recovery_time":"{EVENT.RECOVERY.TIME}",
 "event_tags":"[{\"tag\":\"incident\",\"value\":\"$inc\"},{\"tag\":\"service\",\"value\":\"mail\"}]",
 "host_name":"storage-b","trigger_name":"ストレージ機器Ｂ 応答遅延","user_fullname":"{USER.FULLNAME}"}
JSON
expect_eq "zabbix problem" "$(post /v1/zabbix "$T/zp.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 200
sed 's/"event_value":"1"/"event_value":"0"/; s/{EVENT.RECOVERY.DATE}/2026.11.16/; s/{EVENT.RECOVERY.TIME}/14:10:00/' "$T/zp.json" >"$T/zr.json"
expect_eq "zabbix recovery" "$(post /v1/zabbix "$T/zr.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 200
out=$("$SOCHI" timeline -i "$inc")
expect_match "grafana entry" "$out" "^11/16 12:03 StorageDown（storage-a）：ストレージ機器Ａ 応答なし を検知$"
expect_match "zabbix problem entry" "$out" "^12:05 ストレージ機器Ｂ 応答遅延 を検知$"
expect_match "zabbix recovery entry" "$out" "^14:10 ストレージ機器Ｂ 応答遅延 の解消を確認$"
sed 's/"event_date":"2026.11.16"/"event_date":"16-11-2026"/' "$T/zp.json" >"$T/zbad.json"
expect_eq "bad zabbix date" "$(post /v1/zabbix "$T/zbad.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 400
expect_match "names the fields" "$(cat "$T/body")" '"error":"event_date, event_time: expected YYYY.MM.DD and HH:MM:SS'
pass "Zabbix: problem and recovery at their own times, the incident from a tag, unresolved macros empty"

# Malformed Alertmanager payloads: 400 naming the member, logged once.
printf '{"version":"4","groupKey":"g1","alerts":[{"status":"firing","labels":{"alertname":"X"},"startsAt":"yesterday"}]}' >"$T/bad.json"
for _ in 1 2 3; do
	expect_eq "bad startsAt" "$(post /v1/alertmanager "$T/bad.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 400
done
expect_match "names the member" "$(cat "$T/body")" '"error":"alerts\[0\].startsAt: not an RFC 3339 time"'
expect_eq "logged once" "$(grep -c 'refused a payload of group g1' "$SOCHI_SANDBOX_DIR/sochid.log")" 1
printf '{"version":"4","alerts":[{"status":"pending","labels":{"alertname":"X"}}]}' >"$T/bad.json"
expect_eq "bad status" "$(post /v1/alertmanager "$T/bad.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 400
expect_match "bad status says so" "$(cat "$T/body")" 'alerts\[0\].status: expected firing or resolved'
expect_eq "not JSON" "$(printf 'x' >"$T/x"; post /v1/alertmanager "$T/x" -H "Authorization: Bearer $SOCHI_TOKEN")" 400
pass "malformed payloads: 400 naming the member, logged once per group"

# An alert no rule matches, in a group no incident has: unattached, then attached.
cat >"$T/am.json" <<'JSON'
{"version":"4","groupKey":"{}:{alertname=\"FanSpeed\"}","status":"firing","receiver":"sochi","groupLabels":{},
 "commonLabels":{},"commonAnnotations":{},"externalURL":"","truncatedAlerts":0,
 "alerts":[{"status":"firing","labels":{"alertname":"FanSpeed","instance":"rack-3"},"annotations":{},
  "startsAt":"2026-11-16T03:20:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"f00d"}]}
JSON
expect_eq "unmatched alert" "$(post /v1/alertmanager "$T/am.json" -H "Authorization: Bearer $SOCHI_TOKEN")" 200
out=$("$SOCHI" alerts --unattached)
expect_match "listed unattached, in the carrier's zone with its offset" "$out" "^[0-9]+	2026-11-16 12:20\\+09:00	firing	FanSpeed	rack-3	-	sandbox$"
aid=$(cut -f1 <<<"$out")
expect_match "attach" "$("$SOCHI" attach "$aid" -i "$inc")" "^recorded event [0-9]+ in $inc$"
expect_eq "no longer unattached" "$("$SOCHI" alerts --unattached 2>/dev/null)" ""
expect_match "in the timeline" "$("$SOCHI" timeline -i "$inc")" "^12:20 FanSpeed（rack-3） を検知$"
rc=0; "$SOCHI" attach "$aid" -i "$inc" >/dev/null 2>&1 || rc=$?
expect_eq "attach twice" "$rc" 2
pass "an alert no rule matches is stored unattached; sochi attach ties it to an incident"

# The Zabbix media type: valid YAML, and its script posts the documented parameters.
$PY - "$top_srcdir/conf/zabbix/media_sochi.yaml" "$T/media.json" <<'PY' || fail "media type"
import json, sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
mt = doc["zabbix_export"]["media_types"][0]
assert doc["zabbix_export"]["version"] == "6.0" and mt["type"] == "WEBHOOK"
params = {p["name"]: p["value"] for p in mt["parameters"]}
for macro in ["{EVENT.ID}", "{EVENT.VALUE}", "{EVENT.NSEVERITY}", "{EVENT.DATE}", "{EVENT.TIME}",
              "{EVENT.RECOVERY.DATE}", "{EVENT.RECOVERY.TIME}", "{EVENT.TAGSJSON}", "{HOST.NAME}",
              "{TRIGGER.NAME}", "{USER.FULLNAME}"]:
    assert macro in params.values(), macro
json.dump({"script": mt["script"], "parameters": params}, open(sys.argv[2], "w"))
PY
cat >"$T/params.json" <<JSON
{"sochi_url":"$SOCHI_HTTP/v1/zabbix","sochi_token":"$SOCHI_TOKEN","event_id":"5001","event_value":"1",
 "event_nseverity":"5","event_date":"2026.11.16","event_time":"12:07:30","recovery_date":"{EVENT.RECOVERY.DATE}",
 "recovery_time":"{EVENT.RECOVERY.TIME}","event_tags":"{EVENT.TAGSJSON}","host_name":"mail-gw",
 "trigger_name":"メールゲートウェイ停止","user_fullname":"Zabbix 管理者"}
JSON
out=$(node "$top_srcdir/tests/integration/zabbix_media.js" "$T/media.json" "$T/params.json" 2>"$T/node.err") ||
	fail "the media script failed: $out $(cat "$T/node.err")"
expect_eq "script result" "$out" "OK"
expect_eq "stored by the script" "$(sql "select (data->>'name') || '|' || (data->'labels'->>'host') || '|' || to_char(occurred_at at time zone 'Asia/Tokyo', 'HH24:MI:SS') from event where source_key = 'zabbix:5001:firing'")" "メールゲートウェイ停止|mail-gw|12:07:30"
sed -i "s/$SOCHI_TOKEN/wrong-token/" "$T/params.json"
rc=0; out=$(node "$top_srcdir/tests/integration/zabbix_media.js" "$T/media.json" "$T/params.json" 2>/dev/null) || rc=$?
expect_eq "a refused post fails the script" "$rc" 1
expect_match "and says why" "$out" "Sending to sochid failed: sochid answered 401"
pass "the Zabbix media type is YAML whose script posts its parameters as Zabbix would"
