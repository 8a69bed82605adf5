#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Drafts write themselves: the sample incident fed through the socket gets
# its 速報 the moment it first meets row 五 pair A and exactly one 詳報 draft
# (table, spool files, notify command once) when ②'s recovery is committed;
# a late action makes it stale, sochi draft makes version 2, sochi diff
# shows the added line.  A running impact reaching two hours makes the 速報
# by its timer; two daemons on one database make one draft.
. "$(dirname "$0")/lib.sh"
sb_up
sandbox down --sochid
spool=$SOCHI_SANDBOX_DIR/spool
mkdir -p "$spool"
cat >"$T/notify" <<'SH'
#!/bin/sh
# Records its arguments and environment, one call a line.
echo "$* | $SOCHI_INCIDENT $SOCHI_DRAFT_VERSION $SOCHI_DRAFT_TRIGGER $SOCHI_DRAFT_FILES" >>"$NOTIFY_LOG"
SH
chmod +x "$T/notify"
cat >>"$SOCHI_CONFIG" <<CONF

[drafts]
spool_dir = $spool
formats = text,html
notify_command = $T/notify --from-sochi
CONF
export NOTIFY_LOG=$T/notified
: >"$NOTIFY_LOG"
eval "$(sandbox up)"
fx=$top_srcdir/tests/fixtures/sample-incident.ndjson

# For the timer (checked further down): 40,000 users on an impact that
# reaches two hours 30 s from now, made first so that the rest of the
# test runs while sochid's timer waits.
inc=$("$SOCHI" open 長引く障害 --category 5)
crossing=$(($(date +%s) + 30))
"$SOCHI" impact start web Webメールが使えない --users 40000 -i "$inc" \
	--at "$(date -d "@$((crossing - 7200))" +%Y-%m-%dT%H:%M:%S%:z)" >/dev/null

drafts() { sql "select coalesce(string_agg(d.version || ':' || d.trigger || ':' || d.format, ' ' order by d.version, d.format), '') from draft d join incident i on i.id = d.incident_id where i.code = '$1'"; }
settle() { # settle CODE WANT [SECONDS]: wait for the detector's drafts
	local deadline=$((SECONDS + ${3:-60}))
	until [ "$(drafts "$1")" = "$2" ]; do
		[ $SECONDS -lt $deadline ] || fail "drafts of $1: '$(drafts "$1")', wanted '$2'"
		sleep 0.1
	done
}

# Lines 1-15: the incident, both impacts, the actions, ① recovered.  No
# user count yet: not serious, no draft.
sed -n 1,15p "$fx" | "$SOCHI" send -q || fail "first part"
sleep 1
expect_eq "no draft without users" "$(drafts SAMPLE-1)" ""
# The user counts: ① lasted 2時間15分間 with 58,990 users: row 五 pair A.
# They go in one transaction (an HTTP array), so that the drafter reads them
# all at once: sent line by line, the 速報 could rightly be made from the
# first count above 30,000 alone.
sed -n 17,24p "$fx" | python3 -c 'import sys, json; print(json.dumps([json.loads(l) for l in sys.stdin]))' >"$T/users.json"
expect_eq "users sent" "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" --data-binary "@$T/users.json" "$SOCHI_HTTP/v1/events")" 200
settle SAMPLE-1 "0:sokuho:text"
grep -q "該当：重大な事故（五 A：2時間以上かつ30,000人以上）" "$spool/SAMPLE-1-sokuho.txt" ||
	fail "the 速報 file: $(cat "$spool/SAMPLE-1-sokuho.txt")"
grep -q "復旧日時：未復旧" "$spool/SAMPLE-1-sokuho.txt" || fail "the 速報 says recovered"
grep -q "影響利用者数：約58,990人（契約数ベース）（詳細調査中）" "$spool/SAMPLE-1-sokuho.txt" ||
	fail "the 速報's users: $(grep 影響利用者数 "$spool/SAMPLE-1-sokuho.txt")"
pass "the 速報 is drafted when the incident first meets row 五 pair A"

# Everything but ②'s recovery: still no 詳報.
sed -n '25,$p' "$fx" | "$SOCHI" send -q || fail "the rest"
sleep 1
expect_eq "no 詳報 before ② recovers" "$(drafts SAMPLE-1)" "0:sokuho:text"
sed -n 16p "$fx" | "$SOCHI" send -q || fail "② recovery"
settle SAMPLE-1 "0:sokuho:text 1:recovery:html 1:recovery:text"
[ -f "$spool/SAMPLE-1-v1.txt" ] && [ -f "$spool/SAMPLE-1-v1.html" ] || fail "spool files: $(ls "$spool")"
grep -q "10日間11時間40分間" "$spool/SAMPLE-1-v1.txt" || fail "the 詳報 file lacks ②'s duration"
ls "$spool" | grep -q '^\.' && fail "temporary files left in the spool"
wait_for 60 '[ "$(grep -c recovery "$NOTIFY_LOG")" = 1 ]' || true
expect_eq "notify calls" "$(wc -l <"$NOTIFY_LOG")" 2
expect_eq "notify for the 詳報" "$(grep recovery "$NOTIFY_LOG")" "--from-sochi -- SAMPLE-1 1 recovery $spool/SAMPLE-1-v1.txt $spool/SAMPLE-1-v1.html | SAMPLE-1 1 recovery $spool/SAMPLE-1-v1.txt $spool/SAMPLE-1-v1.html"
grep -q "notify_command for SAMPLE-1 exited 0" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the command's exit was not logged"
expect_match "drafts" "$("$SOCHI" drafts -i SAMPLE-1)" "^1	recovery	.*	html,text	current$"
pass "exactly one 詳報 draft when ② recovers: stored, spooled, announced once"

# The drafts' times in the carrier's zone with its offset; version 0 is the
# 速報, shown and compared like any other.
gen=$(sql "select to_char(min(generated_at) at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI:SS') from draft d join incident i on i.id = d.incident_id where i.code = 'SAMPLE-1' and d.version = 1")
expect_match "drafts in the carrier's zone" "$("$SOCHI" drafts -i SAMPLE-1)" "^1	recovery	$gen\+09:00	html,text	current$"
expect_match "drafts: the 速報's time" "$("$SOCHI" drafts -i SAMPLE-1)" "^0	sokuho	[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\+09:00	text	"
"$SOCHI" report -i SAMPLE-1 --draft 0 | cmp -s - "$spool/SAMPLE-1-sokuho.txt" || fail "report --draft 0 differs from the spooled 速報"
rc=0; out=$("$SOCHI" diff 0 1 -i SAMPLE-1) || rc=$?
expect_eq "diff 0 1" "$rc" 1
expect_match "diff 0 1 shows the 速報's title" "$out" "^- 重大な事故の発生について（速報）$"
rc=0; out=$("$SOCHI" report -i SAMPLE-1 --draft 7 2>&1) || rc=$?
expect_eq "no such version" "$rc" 2
expect_match "no such version says so" "$out" "SAMPLE-1 has no draft version 7"
rc=0; "$SOCHI" report -i SAMPLE-1 --draft -1 >/dev/null 2>&1 || rc=$?
expect_eq "a negative version" "$rc" 2
pass "sochi drafts shows times in the carrier's zone with the offset; --draft 0 and diff 0 1 work"

# A late action: the drafts go stale; a new version by hand; the diff.
printf '%s\n' '{"kind":"action","incident":"SAMPLE-1","at":"2026-11-27T09:00:00+09:00","phase":"followup","actor":"ネットワークオペレーション部門","text":"全利用者への個別連絡を完了"}' | "$SOCHI" send -q
out=$("$SOCHI" drafts -i SAMPLE-1)
expect_match "stale" "$out" "^1	recovery	.*	stale$"
expect_match "sochi draft" "$("$SOCHI" draft -i SAMPLE-1)" "^SAMPLE-1: draft version 2$"
expect_match "version 2" "$("$SOCHI" drafts -i SAMPLE-1)" "^2	manual	.*	current$"
rc=0; out=$("$SOCHI" diff 1 2 -i SAMPLE-1) || rc=$?
expect_eq "diff exit status" "$rc" 1
expect_match "the added line" "$out" "^\+ +11/27 09:00 全利用者への個別連絡を完了$"
expect_match "its heading" "$out" "^\+ +（事後対応）$"
expect_eq "nothing removed but the report date" "$(grep -c '^- ' <<<"$out")" "$(grep -c '^- .*令和' <<<"$out")"
"$SOCHI" report -i SAMPLE-1 --draft 1 | cmp -s - "$spool/SAMPLE-1-v1.txt" || fail "report --draft 1 differs from the spooled file"
expect_match "report --sokuho" "$("$SOCHI" report -i SAMPLE-1 --sokuho)" "^重大な事故の発生について（速報）$"
sleep 1
expect_eq "no new automatic draft" "$(drafts SAMPLE-1)" "0:sokuho:text 1:recovery:html 1:recovery:text 2:manual:html 2:manual:text"
pass "a late action makes the drafts stale; sochi draft makes version 2; diff shows the line"

# Deadlines: due lists it; filed takes it off.
expect_match "due" "$("$SOCHI" due)" "^SAMPLE-1	2026-12-16	[0-9]+ days (left|overdue)	電子メールサービスの障害$"
expect_match "filed" "$("$SOCHI" filed -i SAMPLE-1 --at 2026-12-01)" "^recorded event"
expect_eq "due after filing" "$("$SOCHI" due 2>/dev/null | grep -c '^SAMPLE-1')" 0
rc=0; "$SOCHI" filed -i SAMPLE-1 --at 12/01 >/dev/null 2>&1 || rc=$?
expect_eq "filed with a bad date" "$rc" 2
tomorrow=$(TZ=Asia/Tokyo date -d tomorrow +%Y-%m-%d)
n0=$(sql "select count(*) from event")
rc=0; out=$("$SOCHI" filed -i SAMPLE-1 --at "$tomorrow" 2>&1) || rc=$?
expect_eq "filed in the future" "$rc" 2
expect_match "filed in the future says so" "$out" "--at: $tomorrow is in the future \(today is $(TZ=Asia/Tokyo date +%Y-%m-%d) in Asia/Tokyo\)"
expect_eq "nothing sent" "$(sql "select count(*) from event")" "$n0"
pass "sochi due lists the unfiled 詳報, sochi filed takes it off"

# The timer: the impact made at the start reaches two hours; no event
# arrives then, so only the timer can make the 速報, and never before.
settle "$inc" "0:sokuho:text" $((crossing - $(date +%s) + 120))
made=$(sql "select extract(epoch from d.generated_at) >= $crossing from draft d join incident i on i.id = d.incident_id where i.code = '$inc'")
expect_eq "the 速報 not made before two hours" "$made" t
pass "a running impact reaching two hours makes the 速報 by its timer"

# A serious incident whose 詳報 is due within seven days: warned about once.
old=$("$SOCHI" open 古い障害 --category 5)
"$SOCHI" impact start mail 送受信不可 --users 50000 --at "$(date -d '-26 days' +%Y-%m-%dT%H:%M:%S%:z)" -i "$old" >/dev/null
"$SOCHI" impact recover mail --at "$(date -d '-26 days +3 hours' +%Y-%m-%dT%H:%M:%S%:z)" -i "$old" >/dev/null
wait_for 60 'grep -q "the 詳報 of $old is due" "$SOCHI_SANDBOX_DIR/sochid.log"' || true
expect_match "deadline warning" "$(grep "the 詳報 of $old is due" "$SOCHI_SANDBOX_DIR/sochid.log")" "is due [0-9-]+ \(4 days left\) and is not marked filed"
"$SOCHI" log -i "$old" --at -1m 追記 >/dev/null
sleep 1
expect_eq "warned once a day" "$(grep -c "the 詳報 of $old is due" "$SOCHI_SANDBOX_DIR/sochid.log")" 1
pass "an unfiled 詳報 due within seven days is warned about once a day"

# notify_url: a JSON summary of each new draft is POSTed.
sandbox down --sochid
port=$(( 10000 + RANDOM % 20000 ))
python3 - "$port" "$T/posted" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(sys.argv[2], "ab").write(self.path.encode() + b" " + body + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
web=$!
extra_pids+=($web)
printf 'notify_url = http://127.0.0.1:%s/hook\n' "$port" >>"$SOCHI_CONFIG"
eval "$(sandbox up)"
inc3=$("$SOCHI" open 通知の確認 --category 5)
"$SOCHI" impact start x 不可 --users 40000 --at -10m -i "$inc3" >/dev/null
"$SOCHI" impact recover x --at -5m -i "$inc3" >/dev/null
wait_for 60 '[ -s "$T/posted" ]' || true
expect_match "notify_url" "$(cat "$T/posted")" "^/hook \{\"incident\":\"$inc3\",\"version\":1,\"trigger\":\"recovery\",\"files\":\[\"$spool/$inc3-v1.txt\",\"$spool/$inc3-v1.html\"\]\}$"
wait_for 20 'grep -q "notify_url for $inc3 v1 answered 204" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "the answer was not logged, naming the incident"
kill $web 2>/dev/null; wait $web 2>/dev/null || true
pass "notify_url gets a JSON summary of each new draft"

# An incident classified none (15 minutes, 1,000 users) recovers: no 詳報
# is due, none is drafted, and the log says why.
none=$("$SOCHI" open 短い障害 --category 5)
t0=$(( $(date +%s) - 1200 ))
"$SOCHI" impact start x 不可 --users 1000 --at "$(date -d "@$t0" +%Y-%m-%dT%H:%M:%S%:z)" -i "$none" >/dev/null
"$SOCHI" impact recover x --at "$(date -d "@$((t0 + 900))" +%Y-%m-%dT%H:%M:%S%:z)" -i "$none" >/dev/null
for _ in $(seq 50); do grep -q "drafts: $none: no 詳報 draft" "$SOCHI_SANDBOX_DIR/sochid.log" && break; sleep 0.1; done
expect_match "the log says why" "$(grep "drafts: $none:" "$SOCHI_SANDBOX_DIR/sochid.log")" "no 詳報 draft: it is classified none \(neither serious nor periodic\), so no 詳報 is due"
expect_eq "no draft for an incident classified none" "$(drafts "$none")" ""
expect_match "check agrees" "$("$SOCHI" check -i "$none")" "^classification: none 五 \(15分間 < 2時間, 1,000人 < 30,000人\)$"
pass "no automatic 詳報 for an incident classified none; the log says why"

# Two daemons on one database: the same recovery makes one draft.
sandbox down --sochid
sed -e "s|^socket = .*|socket = $T/a.sock|" -e "s/^listen_tcp = .*/listen_tcp =/" -e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" "$SOCHI_CONFIG" >"$T/a.conf"
sed -e "s|^socket = .*|socket = $T/b.sock|" -e "s/^listen_tcp = .*/listen_tcp =/" -e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" "$SOCHI_CONFIG" >"$T/b.conf"
"$SOCHID" -f "$T/a.conf" >"$T/a.log" 2>&1 & a=$!
"$SOCHID" -f "$T/b.conf" >"$T/b.log" 2>&1 & b=$!
extra_pids+=("$a" "$b")
wait_for 60 '[ -S "$T/a.sock" ] && [ -S "$T/b.sock" ]' || fail "the two daemons did not start: $(cat "$T/a.log" "$T/b.log")"
rec="{\"kind\":\"impact\",\"op\":\"recover\",\"incident\":\"$inc\",\"at\":\"$(date +%Y-%m-%dT%H:%M:%S%:z)\",\"name\":\"web\",\"key\":\"both\"}"
printf '%s\n' "$rec" | "$SOCHI" --socket "$T/a.sock" send -q &
s=$!
printf '%s\n' "$rec" | "$SOCHI" --socket "$T/b.sock" send -q || fail "daemon b refused the recovery"
wait $s || fail "daemon a refused the recovery"
wait_for 60 '[ "$(sql "select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '"'$inc'"' and d.trigger = '"'recovery'"'")" != 0 ]' || true
sleep 1
kill $a $b; wait $a $b 2>/dev/null || true
grep -h "made the recovery draft" "$T/a.log" "$T/b.log" | wc -l | grep -qx 1 || fail "both daemons made the draft"
expect_eq "one recovery draft" "$(drafts "$inc")" "0:sokuho:text 1:recovery:html 1:recovery:text"
pass "two daemons receiving the same recovery make one draft"
