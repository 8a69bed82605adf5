#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Incidents remember: three past incidents on the same equipment (sent as
# NDJSON, with their own codes, dates, impacts and users) are listed by
# `sochi related` with their dates, durations, users and classes, and the
# report's 関連する事故の発生傾向 is drafted from them, each tagged; one
# older than [report] related_years and one that shares nothing are left
# out; a note of that section wins; then the errors of the verb.
. "$(dirname "$0")/lib.sh"
sb_up
NOW=2026-11-28T12:00:00+09:00
eq='ストレージ機器Ａ'

# past CODE OPENED EQUIPMENT CATEGORY START RECOVER USERS
past() {
	ndjson "{\"kind\":\"incident\",\"op\":\"open\",\"code\":\"$1\",\"title\":\"障害 $1\",\"equipment\":\"$3\",\"category\":$4,\"at\":\"$2\"}" \
		"{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$1\",\"name\":\"m\",\"label\":\"メールが使えない\",\"users\":$7,\"at\":\"$5\"}" \
		"{\"kind\":\"impact\",\"op\":\"recover\",\"incident\":\"$1\",\"name\":\"m\",\"at\":\"$6\"}" \
		"{\"kind\":\"incident\",\"op\":\"close\",\"incident\":\"$1\",\"at\":\"$6\"}" >"$T/a"
	[ "$(grep -c '"ok":true' "$T/a")" = 4 ] || fail "past incident $1 not stored: $(cat "$T/a")"
}
past 2022-0031 2022-06-01T10:00:00+09:00 "$eq" 5 2022-06-01T10:00:00+09:00 2022-06-01T13:00:00+09:00 1200
past 2024-0007 2024-03-01T12:00:00+09:00 "$eq" 5 2024-03-01T12:00:00+09:00 2024-03-01T14:15:00+09:00 58990
past 2025-0012 2025-08-10T09:00:00+09:00 " ストレージ機器ａ " 5 2025-08-10T09:00:00+09:00 2025-08-10T10:30:00+09:00 1500000
# Too old (more than 5 years before), and one that shares nothing.
past 2020-0003 2020-01-05T10:00:00+09:00 "$eq" 5 2020-01-05T10:00:00+09:00 2020-01-05T15:00:00+09:00 90000
past 2023-0044 2023-02-01T10:00:00+09:00 'ルータＢ' 3 2023-02-01T10:00:00+09:00 2023-02-01T23:00:00+09:00 50000
# ... and the present one.
ndjson '{"kind":"incident","op":"open","code":"CUR-1","title":"ストレージ障害","equipment":"ストレージ機器Ａ","category":5,"at":"2026-11-16T12:05:00+09:00"}' \
	'{"kind":"impact","op":"start","incident":"CUR-1","name":"mail","label":"電子メールの送受信ができない","users":58990,"at":"2026-11-16T12:00:00+09:00"}' \
	'{"kind":"impact","op":"recover","incident":"CUR-1","name":"mail","at":"2026-11-16T14:15:00+09:00"}' >"$T/a"
[ "$(grep -c '"ok":true' "$T/a")" = 3 ] || fail "the present incident: $(cat "$T/a")"

"$SOCHI" related -i CUR-1 --now $NOW >"$T/rel" || fail "sochi related failed"
cat >"$T/want" <<'TSV'
2025-0012	2025-08-10 09:00+09:00	1時間30分間	1,500,000人	serious	equipment,category	障害 2025-0012
2024-0007	2024-03-01 12:00+09:00	2時間15分間	58,990人	serious	equipment,category	障害 2024-0007
2022-0031	2022-06-01 10:00+09:00	3時間0分間	1,200人	periodic	equipment,category	障害 2022-0031
TSV
diff -u "$T/want" "$T/rel" || fail "sochi related lists other incidents or figures"
pass "sochi related: the three past incidents on the same equipment, newest first, with their figures"

"$SOCHI" report -i CUR-1 -f json --now $NOW >"$T/r.json" || fail "report json"
python3 - "$T/r.json" <<'PY' || fail "the drafted 関連する事故の発生傾向"
import json, sys
r = json.load(open(sys.argv[1]))["related"]
want = ("【下書き：sochiに記録された過去の事故から作成。内容を確認のこと】\n"
    "過去5年間に同一設備（ストレージ機器Ａ）に起因する事故が3件（2025-0012、2024-0007、2022-0031）発生している。\n"
    "・2025-0012 令和7年8月10日発生 障害 2025-0012（継続時間：1時間30分間、影響利用者数：1,500,000人）【重大な事故に該当した事例】\n"
    "・2024-0007 令和6年3月1日発生 障害 2024-0007（継続時間：2時間15分間、影響利用者数：58,990人）【重大な事故に該当した事例】\n"
    "・2022-0031 令和4年6月1日発生 障害 2022-0031（継続時間：3時間0分間、影響利用者数：1,200人）【四半期報告事故に該当した事例】")
if r["text"] != want: print(r["text"]); sys.exit(1)
if not r["draft"] or [i["code"] for i in r["incidents"]] != ["2025-0012", "2024-0007", "2022-0031"]: print(r); sys.exit(1)
if [i["class"] for i in r["incidents"]] != ["serious", "serious", "periodic"]: print(r); sys.exit(1)
PY
"$SOCHI" report -i CUR-1 --now $NOW >"$T/r.txt" || fail "report text"
grep -q '関連する事故の発生傾向' "$T/r.txt" && grep -q '2024-0007' "$T/r.txt" &&
	grep -q '【四半期報告事故に該当した事例】' "$T/r.txt" || fail "text report lacks the draft: $(grep -A8 関連する事故 "$T/r.txt")"
pass "the report drafts 関連する事故の発生傾向 from them, each tagged, marked as a draft"

# The 詳報 sochid's drafter made when the last impact recovered carries it too.
wait_for 60 '"$SOCHI" drafts -i CUR-1 2>/dev/null | grep -q recovery' || fail "no 詳報 draft of CUR-1"
"$SOCHI" report -i CUR-1 --draft 1 >"$T/d1.txt" || fail "draft 1"
for c in 2025-0012 2024-0007 2022-0031; do
	grep -q "・$c" "$T/d1.txt" || fail "the drafter's 詳報 lacks $c: $(grep -A12 関連する事故 "$T/d1.txt")"
done
pass "the drafter's 詳報 drafts 関連する事故の発生傾向 too"

# A person's note of the section wins over the draft.
ndjson '{"kind":"note","incident":"CUR-1","section":"related","text":"過去に同種の事故は発生していない。","at":"2026-11-20T10:00:00+09:00"}' | grep -q '"ok":true' ||
	fail "note related"
"$SOCHI" report -i CUR-1 -f json --now $NOW >"$T/r.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["related"]; assert r["text"] == "過去に同種の事故は発生していない。" and "draft" not in r, r' "$T/r.json" ||
	fail "the note of the section does not win"
pass "a note of section related wins over the draft"

# A narrower window, nothing related, and the errors.
"$SOCHI" related -i CUR-1 --years 2 --now $NOW | cut -f1 | tr '\n' ' ' >"$T/codes"
expect_eq "--years 2" "$(cat "$T/codes")" "2025-0012 "
out=$("$SOCHI" related -i 2023-0044 --now $NOW 2>&1) || fail "related of an incident with none: $out"
expect_match "nothing related" "$out" "no incident declared in the 5 years before 2023-0044"
set +e
"$SOCHI" related -i NO-SUCH --now $NOW >/dev/null 2>"$T/e"; rc=$?
set -e
expect_eq "unknown incident's status" "$rc" 2
expect_match "unknown incident" "$(cat "$T/e")" 'no incident "NO-SUCH"'
set +e
"$SOCHI" related -i CUR-1 --years 0 >/dev/null 2>"$T/e"; rc=$?
set -e
expect_eq "--years 0" "$rc" 2
expect_match "--years 0 message" "$(cat "$T/e")" "expected 1 to 100"
set +e
"$SOCHI" --db 'host=/nonexistent dbname=x' related -i CUR-1 >/dev/null 2>"$T/e"; rc=$?
set -e
expect_eq "database unreachable" "$rc" 2
pass "--years narrows; an incident with none says so; errors exit 2 with a reason"

# A cause's stage: the stage notes that stand (not corrected, not retracted)
# decide; the list is the same whether PostgreSQL reads them through the
# partial indexes of sql/007 or through all of each incident's events.
# note CODE STAGE: a cause note of that stage; its event id.
note() {
	ndjson "{\"kind\":\"note\",\"incident\":\"$1\",\"section\":\"cause.summary\",\"text\":\"原因 $1\",\"stage\":\"$2\",\"at\":\"2026-11-20T11:00:00+09:00\"}" |
		sed -n 's/.*"ok":true,"id":\([0-9]*\).*/\1/p'
}
[ -n "$(note CUR-1 工事)" ] && [ -n "$(note CUR-1 設計)" ] || fail "CUR-1's cause notes"
[ -n "$(note 2024-0007 工事)" ] && [ -n "$(note 2023-0044 工事)" ] || fail "past cause notes"
# 設計 of 2025-0012 is retracted, 設計 of 2022-0031 corrected to no stage.
id=$(note 2025-0012 設計)
ndjson "{\"kind\":\"retract\",\"incident\":\"2025-0012\",\"target\":$id,\"text\":\"誤記\"}" |
	grep -q '"ok":true' || fail "retract the stage note"
id=$(note 2022-0031 設計)
ndjson "{\"kind\":\"note\",\"incident\":\"2022-0031\",\"section\":\"cause.summary\",\"text\":\"原因（訂正）\",\"supersedes\":$id,\"at\":\"2026-11-20T11:00:00+09:00\"}" |
	grep -q '"ok":true' || fail "correct the stage note"
"$SOCHI" related -i CUR-1 --now $NOW >"$T/rel" || fail "sochi related with stages failed"
cat >"$T/want" <<'TSV'
2025-0012	2025-08-10 09:00+09:00	1時間30分間	1,500,000人	serious	equipment,category	障害 2025-0012
2024-0007	2024-03-01 12:00+09:00	2時間15分間	58,990人	serious	equipment,stage,category	障害 2024-0007
2023-0044	2023-02-01 10:00+09:00	13時間0分間	50,000人	serious	stage	障害 2023-0044
2022-0031	2022-06-01 10:00+09:00	3時間0分間	1,200人	periodic	equipment,category	障害 2022-0031
TSV
diff -u "$T/want" "$T/rel" || fail "sochi related with stages lists other incidents or shares"
pass "a shared stage counts where its note stands; a retracted or corrected one does not"
sql "drop index event_figures; drop index event_stage_notes"
"$SOCHI" related -i CUR-1 --now $NOW >"$T/rel-noidx" || fail "sochi related without the indexes failed"
"$SOCHI" report -i CUR-1 -f json --now $NOW >"$T/r-noidx.json" || fail "report without the indexes"
psql -X -q -v ON_ERROR_STOP=1 -f "$top_srcdir/sql/007_related_indexes.sql" || fail "sql/007 again"
expect_eq "the partial indexes are back" \
	"$(sql "select count(*) from pg_indexes where indexname in ('event_figures', 'event_stage_notes')")" 2
"$SOCHI" report -i CUR-1 -f json --now $NOW >"$T/r.json" || fail "report with the indexes"
diff -u "$T/rel-noidx" "$T/rel" || fail "the related list differs without the indexes"
cmp -s "$T/r-noidx.json" "$T/r.json" || fail "the report differs without the indexes"
pass "the related list and the report are the same with and without the partial indexes"
