#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole sample incident entered with the CLI alone (no JSON written by
# hand) gives the fixture's timeline block and the golden report; then every
# error path of the write verbs, and attribution by the socket's peer uid.
. "$(dirname "$0")/lib.sh"
sb_up
fx=$top_srcdir/tests/fixtures
# The clock as of after the incident, so its times are in the past.
export SOCHI_NOW=2026-12-01T00:00:00+09:00
NOC=ネットワークオペレーション部門
S() { "$SOCHI" "$@" -i SAMPLE-CLI >/dev/null || fail "sochi $*"; }

code=$("$SOCHI" open 電子メールサービスの障害 --code SAMPLE-CLI \
	--service 'インターネット関連サービス（電子メール）' --category 5 \
	--location '○○ビル○○センター（○県○市○丁目○番地の○）' --equipment ストレージ機器Ａ \
	--at '2026-11-16 12:10' --actor $NOC) || fail "open"
expect_eq "open prints the code" "$code" SAMPLE-CLI
S impact start mail-send 電子メールの送受信ができない --at '11/16 12:00'
S impact start mail-view 過去に受信したメールの閲覧ができない --at '11/16 12:00'
S log --phase work --heading 機器追加作業 --actor メンテナンス委託業者 --at '11/16 12:00' \
	仮想基盤の追加に伴い既存システム内で正常認識されるか確認することを目的に、当該機器から既存システムに対し、試験信号を発信
S log --phase detect --actor 監視業務部門 --at '11/16 12:03' サービス監視システムにてサービス障害を検知
S log --phase identify --actor 機器メーカー --at '11/16 12:30' ストレージ機器Ａの障害と断定
# The recovery work as an engineer would paste it: one action a line.
out=$("$SOCHI" log -i SAMPLE-CLI --phase recover --actor $NOC <<'LINES'
11/16 12:40 ストレージ機器Ａの再起動を開始
11/16 12:55 ストレージ機器Ａの再起動完了を確認
11/16 13:00 仮想サーバの再起動を開始
11/16 14:15 仮想サーバの再起動を完了し、メールの送受信機能が復旧。
11/16 14:20 メールの利用者情報をバックアップからストレージ機器Ｂへのコピーを開始。

2026-11-16 15:00 メールの利用者情報をバックアップからストレージ機器Ｂへのコピーを完了。
2026-11-16T06:10:00Z バックアップからのメールの利用者情報と過去に受信したメールの整合性を確認。差分があればメールの利用者情報を更新。確認できた利用者からメールの閲覧が復旧。
LINES
) || fail "pasted lines: $out"
expect_eq "one result per line" "$(grep -c 'recorded event' <<<"$out")" 7
expect_match "lines keep their numbers" "$out" "^line 8: recorded event [0-9]+ in SAMPLE-CLI$"
S log --phase recover --actor '' --at '11/26 23:40' 全利用者の過去に受信したメールの閲覧機能が復旧。
S impact recover mail-send --at '11/16 14:15'
S impact recover mail-view --at '11/26 23:40'
for s in '11/16 12:20 21000' '11/16 12:45 47500' '11/16 13:30 58990' '11/16 14:30 41200' \
	'11/17 09:00 30500' '11/19 09:00 18200' '11/22 09:00 7400' '11/25 09:00 1900'; do
	set -- $s
	S users "$3" --total 904432 --basis 契約数ベース --region 全国 --at "$1 $2"
done
S notice --channel web 障害が発生した旨を周知 --at '11/16 13:15'
S notice --channel web 障害影響サービスの詳細を周知 --at '11/16 14:30'
S notice --channel web 障害影響の回避方法を周知 --at '11/16 15:15'
for d in 16 17 18 19 20 21 22 23; do
	S notice --channel web 過去に受信したメールの復旧状況を周知 --at "11/$d 18:00"
done
S notice --channel web 障害が復旧した旨を周知 --at '11/26 23:40'
S notice --channel press 報道機関へ障害が復旧した旨の情報提供を実施 --at '11/27 10:00'
for s in '11/16 18:00 310 42' '11/17 18:00 455 70' '11/27 12:00 499 88'; do
	set -- $s
	S inquiry --channel phone "$3" --at "$1 $2"
	S inquiry --channel mail "$4" --at "$1 $2"
done
S inquiry --channel other 300 --topic 障害復旧の見込みについて --at '11/27 12:00'
S inquiry --channel other 100 --topic 影響サービスの詳細について --at '11/27 12:00'
S inquiry --channel other 100 --topic 障害の影響対象者について --at '11/27 12:00'
# The notes, each as the sample wrote it (from the fixture's text).
note() { # note SECTION [options]: the text comes from the fixture's note
	python3 - "$fx/sample-incident.ndjson" "$1" "$2" <<'PY'
import json, sys
notes = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"note"' in l]
sec, n = sys.argv[2], int(sys.argv[3])
print([x for x in notes if x["section"] == sec][n]["text"])
PY
}
for sec in overview equipment.normal equipment.failure users.basis measure.summary cause.summary \
	inquiry.scope notice.web response.other standards related; do
	note $sec 0 | "$SOCHI" note $sec - -i SAMPLE-CLI --at '11/28 10:00' >/dev/null || fail "note $sec"
done
note cause.scale 0 | S note cause.scale - --stage 工事 --at '11/28 10:00'
note cause.scale 1 | S note cause.scale - --stage 維持・運用 --at '11/28 10:00'
note cause.duration 0 | S note cause.duration - --stage 維持・運用 --at '11/28 10:00'
note measure.interim 0 | S note measure.interim - --done 2026-11-30 --at '11/28 10:00'
note measure.permanent 0 | S note measure.permanent - --done 2026-12-10 --at '11/28 10:00'
note measure.permanent 1 | S note measure.permanent - --due 2027-01-31 --at '11/28 10:00'

"$SOCHI" timeline -i SAMPLE-CLI >"$T/tl.txt"
diff -u "$fx/sample-timeline.txt" "$T/tl.txt" || fail "the timeline entered with the CLI differs from the fixture"
"$SOCHI" report -i SAMPLE-CLI --now 2026-11-28T12:00:00+09:00 >"$T/r.txt"
diff -u "$fx/sample-report.txt" "$T/r.txt" || fail "the report entered with the CLI differs from the golden file"
out=$("$SOCHI" check -i SAMPLE-CLI) || fail "check: $out"
expect_match "check" "$out" "^classification: serious 五 A \(2時間15分間 >= 2時間, 58,990人 >= 30,000人\)$"
pass "the whole sample entered with the CLI alone gives the fixture's timeline and the golden report"

# Corrections: amend keeps the kind, changes what is given; retract once.
id=$(sql "select id from event e where e.text = 'ストレージ機器Ａの障害と断定'")
out=$("$SOCHI" amend "$id" ストレージ機器Ａの障害と断定（機器メーカー確認） --at '11/16 12:31') || fail "amend: $out"
expect_match "amend" "$out" "^recorded event [0-9]+ in SAMPLE-CLI$"
"$SOCHI" timeline -i SAMPLE-CLI | grep -q '^12:31 ストレージ機器Ａの障害と断定（機器メーカー確認）$' || fail "amend not shown"
expect_eq "amend supersedes" "$(sql "select supersedes from event order by id desc limit 1")" "$id"
expect_eq "amend keeps the actor" "$(sql "select actor || ' ' || phase from event order by id desc limit 1")" "機器メーカー identify"
rc=0; out=$("$SOCHI" amend "$id" --channel web 2>&1) || rc=$?
expect_eq "option of another kind" "$rc" 2
expect_match "says which" "$out" "--channel does not apply to an action"
nid=$(sql "select max(id) from event")
expect_match "retract" "$("$SOCHI" retract "$nid" --why 誤記)" "^recorded event"
rc=0; out=$("$SOCHI" retract "$nid" --why 誤記 2>&1) || rc=$?
expect_eq "retract twice" "$rc" 1
expect_match "retract twice says so" "$out" "target: event $nid is already retracted"
"$SOCHI" timeline -i SAMPLE-CLI | grep -q '^12:30 ストレージ機器Ａの障害と断定$' || fail "retracting the correction did not restore the original"
pass "amend replaces an entry, retract restores the original, a second retract is refused"

# Error paths.
other=$("$SOCHI" open もう一つの障害 --at '11/30 10:00') || fail "second open"
rc=0; out=$("$SOCHI" log 何か 2>&1) || rc=$?
expect_eq "two open incidents, no -i" "$rc" 2
expect_match "lists the open ones" "$out" "2 incidents are open; choose one with -i CODE or SOCHI_INCIDENT:"
SOCHI_INCIDENT=$other "$SOCHI" log --at '11/30 10:05' 環境変数で指定 >/dev/null || fail "SOCHI_INCIDENT"
rc=0; out=$("$SOCHI" log -i NOPE 何か 2>&1) || rc=$?
expect_eq "unknown incident" "$rc" 1
expect_match "unknown incident says so" "$out" 'incident: no incident "NOPE"'
for bad in 25:61 '11/31 10:00' yesterday 10m '2026-11-16'; do
	rc=0; out=$("$SOCHI" log -i "$other" --at "$bad" x 2>&1) || rc=$?
	expect_eq "bad --at $bad" "$rc" 2
	expect_match "bad --at $bad shows the forms" "$out" "not a time: \"$bad\"; write HH:MM, M/D HH:MM, YYYY-MM-DD HH:MM"
done
rc=0; out=$(SOCHI_NOW=2026-12-01T09:00:00+09:00 "$SOCHI" log -i "$other" --at 10:00 x 2>&1) || rc=$?
expect_eq "future time" "$rc" 2
expect_match "future time suggests yesterday" "$out" '10:00 is later than now; for yesterday write "11/30 10:00"'
rc=0; out=$("$SOCHI" log -i "$other" --phase repair x 2>&1) || rc=$?
expect_eq "unknown phase" "$rc" 1
expect_match "unknown phase lists the phases" "$out" 'phase: unknown phase \(configured: work\|detect\|identify\|recover\|notify\|followup\), got "repair"'
rc=0; out=$("$SOCHI" note causes x -i "$other" 2>&1) || rc=$?
expect_eq "unknown section" "$rc" 2
expect_match "unknown section says so" "$out" 'unknown section "causes" \(sochi note --list shows them\)'
expect_match "note --list" "$("$SOCHI" note --list)" "^cause.scale +発生原因＜大規模化した原因＞"
oid=$(sql "select id from event where text = '環境変数で指定'")
n0=$(sql "select count(*) from event")
rc=0; out=$("$SOCHI" amend "$oid" -i SAMPLE-CLI 別の障害の訂正 2>&1) || rc=$?
expect_eq "amend across incidents" "$rc" 2
expect_match "amend across incidents says so" "$out" "event $oid belongs to $other, not to SAMPLE-CLI \(-i\); nothing sent"
rc=0; out=$(SOCHI_INCIDENT=SAMPLE-CLI "$SOCHI" amend "$oid" 別の障害の訂正 2>&1) || rc=$?
expect_eq "amend across incidents by SOCHI_INCIDENT" "$rc" 2
expect_match "names SOCHI_INCIDENT" "$out" "not to SAMPLE-CLI \(SOCHI_INCIDENT\); nothing sent"
rc=0; out=$(SOCHI_INCIDENT=SAMPLE-CLI "$SOCHI" retract "$oid" --why 誤り 2>&1) || rc=$?
expect_eq "retract across incidents" "$rc" 2
expect_match "retract across incidents says so" "$out" "event $oid belongs to $other, not to SAMPLE-CLI \(SOCHI_INCIDENT\)"
expect_eq "nothing was sent" "$(sql "select count(*) from event")" "$n0"
SOCHI_INCIDENT=$other "$SOCHI" amend "$oid" --at '11/30 10:06' >/dev/null || fail "amend in its own incident"
rc=0; out=$(SOCHI_SOCKET=$T/no.sock "$SOCHI" log -i "$other" x 2>&1) || rc=$?
expect_eq "no daemon" "$rc" 2
expect_match "no daemon names the socket" "$out" "cannot reach sochid at $T/no.sock"
rc=0; "$SOCHI" impact begin x -i "$other" >/dev/null 2>&1 || rc=$?
expect_eq "impact begin" "$rc" 2
rc=0; "$SOCHI" users many -i "$other" >/dev/null 2>&1 || rc=$?
expect_eq "users many" "$rc" 2
rc=0; "$SOCHI" log --channel web x -i "$other" >/dev/null 2>&1 || rc=$?
expect_eq "option of another verb" "$rc" 2
for v in open log impact users notice inquiry note amend retract close; do
	"$SOCHI" $v --help | grep -q "^usage: sochi $v" || fail "$v --help"
done
expect_match "close" "$("$SOCHI" close -i "$other")" "^recorded event"
rc=0; out=$("$SOCHI" close -i "$other" 2>&1) || rc=$?
expect_eq "close twice" "$rc" 1
pass "each error path is refused with its reason and the right exit status"

# Attribution: the uid comes from the socket, never from the request.
if id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	runuser -u nobody -- env SOCHI_NOW=$SOCHI_NOW SOCHI_CONFIG=/dev/null "$SOCHI" \
		--socket "$SOCHI_SOCKET" log -i SAMPLE-CLI --at '11/27 09:00' 別の利用者から >/dev/null ||
		fail "a write as nobody was refused"
	expect_eq "recorded_by" "$(sql "select recorded_by || ' ' || actor from event where text = '別の利用者から'")" "$(id -u nobody) nobody"
fi
expect_eq "recorded_by of this user" "$(sql "select distinct recorded_by from event where text = '全利用者の過去に受信したメールの閲覧機能が復旧。'")" "$(id -u)"
rc=0; out=$(printf '%s\n' '{"kind":"action","incident":"SAMPLE-CLI","at":"2026-11-27T09:00:00+09:00","text":"x","recorded_by":"0"}' | "$SOCHI" send 2>&1) || rc=$?
expect_match "a request cannot name its recorder" "$out" '"error":"recorded_by: unknown field for kind action"'
pass "events record the uid of the socket's peer, whatever the request says"
