#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The read side of the CLI against the sandbox's database: the sample
# incident entered through the socket gives the golden report in text and
# Markdown, the HTML and JSON carry every field and figure (with the ids of
# the events in the database), and check, timeline and list say what they
# must; then every error path of these verbs.
. "$(dirname "$0")/lib.sh"
sb_up
NOW=2026-11-28T12:00:00+09:00
fx=$top_srcdir/tests/fixtures
"$SOCHI" send -q "$fx/sample-incident.ndjson" || fail "the sample was not stored"
export SOCHI_INCIDENT=SAMPLE-1

"$SOCHI" report --now $NOW >"$T/r.txt" || fail "report text"
diff -u "$fx/sample-report.txt" "$T/r.txt" || fail "text report differs from the golden file"
"$SOCHI" report --format md --now $NOW >"$T/r.md" || fail "report md"
diff -u "$fx/sample-report.md" "$T/r.md" || fail "Markdown report differs from the golden file"
"$SOCHI" report -f text --now $NOW -o "$T/out.txt" || fail "report -o"
cmp -s "$T/r.txt" "$T/out.txt" || fail "-o wrote something else than standard output"
pass "text and Markdown from the database match the golden files byte for byte"

"$SOCHI" report --format html --now $NOW -o "$T/r.html" || fail "report html"
python3 - "$T/r.html" <<'PY' || fail "HTML check"
import sys
from html.parser import HTMLParser
labels = ["様式第50の３（第57条関係）", "重大な事故報告書（詳報）", "総務大臣 殿", "発生年月日及び時刻",
    "復旧年月日及び時刻", "発生場所", "事故の全体概要", "事故の原因となつた電気通信設備の概要", "発生状況",
    "措置模様（事故対応状況）", "発生原因", "再発防止策", "利用者対応状況", "関連する基準及び規程",
    "関連する事故の発生傾向", "電気通信設備統括管理者の氏名",
    "事故の対策を確認した電気通信主任技術者の氏名及び資格の種別"]
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.text = []; s.th = []; s.in_th = False; s.tags = []
    def handle_starttag(s, tag, attrs):
        s.tags.append((tag, dict(attrs)))
        if tag == "th": s.in_th = True; s.th.append("")
    def handle_endtag(s, tag):
        if tag == "th": s.in_th = False
    def handle_data(s, d):
        s.text.append(d)
        if s.in_th: s.th[-1] += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
text = "".join(p.text)
pos = 0
for l in labels:
    i = text.find(l, pos)
    if i < 0: print("label missing or out of order:", l); sys.exit(1)
    pos = i + len(l)
for fig in ["2時間15分間", "10日間11時間40分間", "58,990人", "904,432人", "587件", "第12報", "総務 次郎（伝送交換）"]:
    if fig not in text: print("figure missing:", fig); sys.exit(1)
tags = p.tags
if any(t in ("script", "link", "img", "iframe") for t, _ in tags): print("external or active content"); sys.exit(1)
svgs = [a.get("id") for t, a in tags if t == "svg"]
if svgs != ["users-chart", "timeline-chart"]: print("charts:", svgs); sys.exit(1)
samples = [(a["data-at"], int(a["data-count"])) for t, a in tags if t == "circle" and a.get("class") == "sample"]
want = [("2026-11-16T12:20:00+09:00", 21000), ("2026-11-16T12:45:00+09:00", 47500),
    ("2026-11-16T13:30:00+09:00", 58990), ("2026-11-16T14:30:00+09:00", 41200),
    ("2026-11-17T09:00:00+09:00", 30500), ("2026-11-19T09:00:00+09:00", 18200),
    ("2026-11-22T09:00:00+09:00", 7400), ("2026-11-25T09:00:00+09:00", 1900)]
if samples != want: print("users chart points:", samples); sys.exit(1)
bars = [(a["data-no"], a["data-minutes"]) for t, a in tags if t == "rect" and a.get("class") == "impact"]
if bars != [("1", "135"), ("2", "15100")]: print("impact bars:", bars); sys.exit(1)
marks = [a for t, a in tags if t == "circle" and a.get("class") == "entry"]
if len(marks) != 11: print("entry marks:", len(marks)); sys.exit(1)
PY
pass "HTML: every label in order, the figures, both charts with their data points"

"$SOCHI" report --format json --now $NOW >"$T/r.json" || fail "report json"
id_of() { sql "select id from event where source_key = '$1'"; }
python3 - "$T/r.json" "$(id_of sample-002)" "$(id_of sample-015)" "$(id_of sample-016)" "$(id_of sample-019)" <<'PY' || fail "JSON check"
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
start, rec1, rec2, maxu = map(int, sys.argv[2:])
im = j["impacts"]
assert [i["duration"]["text"] for i in im] == ["2時間15分間", "10日間11時間40分間"], im
assert im[0]["event_ids"] == [start, rec1], im[0]["event_ids"]
assert im[1]["event_ids"][1] == rec2
assert j["occurred"]["event_ids"] == [start]
assert j["users"]["max"] == 58990 and j["users"]["max_event_ids"] == [maxu]
assert j["users"]["total"] == 904432
assert j["inquiries"]["total"] == 587
assert sorted(c["count"] for c in j["inquiries"]["channels"]) == [88, 499]
assert len([n for n in j["notices"] if n["channel"] == "web"]) == 12
c = j["classification"]
assert (c["class"], c["row"], c["pair"], c["due"]) == ("serious", "五", "A", "2026-12-16"), c
assert j["missing"] == [], j["missing"]
assert all(isinstance(e["event_id"], int) for e in j["timeline"])
PY
pass "JSON: every figure with the ids of its events in the database"

"$SOCHI" timeline >"$T/tl.txt" || fail "timeline"
diff -u "$fx/sample-timeline.txt" "$T/tl.txt" || fail "timeline block differs from the fixture"
out=$("$SOCHI" check --now $NOW) || fail "check on the clean sample: $out"
expect_eq "check on the sample" "$out" "warning users-not-per-impact: 2 of 2 impacts are classified with the incident's peak of users, as no sample names them (sochi users COUNT --impact NAME) [events $(id_of sample-019)]
info due-date: the 詳報 (発生日 + 30 days) is due 2026-12-16, in 18 days (to be confirmed by a person)
classification: serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
impact ①: serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
impact ②: serious 五 A (10日間11時間40分間 >= 2時間, 58,990人 >= 30,000人)
due: 2026-12-16"
"$SOCHI" check --json --now $NOW | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["classification"]=="serious" and j["due"]=="2026-12-16" and j["days_left"]==18 and j["errors"]==0, j' ||
	fail "check --json"
out=$("$SOCHI" list)
expect_match "list" "$out" "^SAMPLE-1 +open +2026-11-16 12:00\\+09:00 +10日間11時間40分間 +58,990人 +serious 五A +2026-12-16 \(-?[0-9]+d\) +電子メールサービスの障害$"
pass "timeline, check and list on the sample"

# The sample's own hand-written figure for ① is caught.
"$SOCHI" send -q <<<'{"kind":"note","incident":"SAMPLE-1","section":"overview","at":"2026-11-29T10:00:00+09:00","text":"① 電子メールの送受信ができない（継続時間：2時間30分間）","key":"bad-figure"}' || fail "note"
rc=0; out=$("$SOCHI" check --now $NOW) || rc=$?
expect_eq "check exit status with a wrong figure" "$rc" 1
expect_match "finding" "$out" "^error note-duration: note overview states 継続時間 2時間30分間, but the events give 電子メールの送受信ができない 2時間15分間、過去に受信したメールの閲覧ができない 10日間11時間40分間 \[events $(id_of bad-figure), $(id_of sample-002), $(id_of sample-003)\]$"
expect_match "classification still printed" "$out" "^classification: serious 五 A"
pass "check reports the sample's 2時間30分間 against the events' 2時間15分間, exit 1"

# An incident still in progress, and one with no notes at all.
inc=$(open_incident "進行中の障害")
ndjson "{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"name\":\"web\",\"label\":\"Webメールが使えない\",\"users\":40000}" >/dev/null
out=$("$SOCHI" report -i "$inc" --now 2026-11-20T15:30:00+09:00)
expect_match "in progress" "$("$SOCHI" report -i "$inc" --now 2026-11-20T15:30:00+09:00 -f md)" "① Webメールが使えない：未復旧（継続時間：3時間30分間 ※暫定、11月20日 15時30分現在）"
# 22 as before and the users' basis (契約数ベース) no event gave, less
# 関連する事故の発生傾向: drafted from past incidents (none here), to confirm.
expect_eq "placeholders" "$(grep -o '【要記入】' <<<"$out" | wc -l)" 22
expect_match "nothing related, to confirm" "$out" "過去5年間にsochiに記録された事故のうち"
expect_match "basis unknown" "$out" " +40,000人 （【要記入】）$"
rc=0; out=$("$SOCHI" check -i "$inc" --now 2026-11-20T15:30:00+09:00) || rc=$?
expect_eq "no category: check fails" "$rc" 1
expect_match "no category" "$out" "^error category-unknown: "
expect_match "no category" "$out" "^classification: undetermined \(3時間30分間 ※暫定, 40,000人, category unknown\)$"
expect_match "no category" "$out" "^impact ①: undetermined \(3時間30分間 ※暫定, 40,000人, category unknown\)$"
expect_match "no category" "$out" "^due: 2026-12-20 if serious; 2027-05-31 if not$"
pass "an incident in progress shows 未復旧 with a provisional duration; unknowns show 【要記入】"

# Error paths.
unset SOCHI_INCIDENT
rc=0; out=$("$SOCHI" report 2>&1) || rc=$?
expect_eq "two open incidents, no -i" "$rc" 2
expect_match "lists them" "$out" "2 incidents are open; choose one with -i CODE or SOCHI_INCIDENT:"
expect_match "lists SAMPLE-1" "$out" "SAMPLE-1  電子メールサービスの障害"
rc=0; out=$("$SOCHI" report -i NOPE 2>&1) || rc=$?
expect_eq "unknown incident" "$rc" 2
expect_match "unknown incident says so" "$out" 'no incident "NOPE"'
rc=0; out=$("$SOCHI" report -i SAMPLE-1 --format odt 2>&1) || rc=$?
expect_eq "bad format" "$rc" 2
expect_match "bad format says so" "$out" 'expected text, md, html, json, docx or pdf, got "odt"'
rc=0; out=$("$SOCHI" check -i SAMPLE-1 --now yesterday 2>&1) || rc=$?
expect_eq "bad --now" "$rc" 2
rc=0; out=$("$SOCHI" --db "host=$T port=1 dbname=none" list 2>&1) || rc=$?
expect_eq "database unreachable" "$rc" 2
expect_match "database unreachable says so" "$out" "cannot connect to the database"
rc=0; "$SOCHI" frobnicate >/dev/null 2>&1 || rc=$?
expect_eq "unknown command" "$rc" 2
rc=0; "$SOCHI" timeline -i SAMPLE-1 extra >/dev/null 2>&1 || rc=$?
expect_eq "extra argument" "$rc" 2
for v in list timeline report check send; do
	"$SOCHI" $v --help | grep -q "^usage: sochi $v" || fail "$v --help"
done
SOCHI_INCIDENT=SAMPLE-1 "$SOCHI" timeline >/dev/null || fail "SOCHI_INCIDENT"
pass "errors name what was wrong; exit 2"

# --follow draws again when an event arrives.
"$SOCHI" timeline -i "$inc" --follow >"$T/follow" 2>&1 &
f=$!
sleep 1.5
ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:05:00+09:00\",\"phase\":\"detect\",\"text\":\"追従テスト\"}" >/dev/null
for _ in $(seq 50); do grep -q "追従テスト" "$T/follow" && break; sleep 0.1; done
kill $f; wait $f 2>/dev/null || true
grep -q "追従テスト" "$T/follow" || fail "--follow did not redraw: $(cat "$T/follow")"
pass "timeline --follow redraws as events arrive"
