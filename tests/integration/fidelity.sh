#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every figure right whatever the order and the corrections, through the
# real interfaces: each case of tests/fixtures/cases sent as NDJSON into the
# sandbox (in file order, and again in another order with other ids), then
# sochi check gives the classification lines of its .expect file; then the
# CLI's corrections, the unknowns, the per-impact figures, lint of stated
# figures, the threshold tables, and the report's fixes.
. "$(dirname "$0")/lib.sh"
sb_up
cases=$top_srcdir/tests/fixtures/cases
# The report's rows one content line a line (the Markdown cells split at
# <br>), so that a figure is matched whatever the text format's wrapping.
rep() { "$SOCHI" report "$@" --format md | sed -e 's/<br>/\n/g' -e 's/^| [^|]* | //' -e 's/ |$//'; }

# send_case FILE SUFFIX ORDER: the case's lines on the socket, one request at
# a time (so that each is recorded after the one before), the incident code
# with SUFFIX, supersedes/target turned from line numbers into the ids the
# lines got.  ORDER is "file", or "other": as late as possible, the reverse
# of the file, with every correction after what it corrects and corrections
# of one event in file order.  Prints "LINE ID" for every line.
send_case() {
	python3 - "$SOCHI_SOCKET" "$1" "$2" "$3" <<'PY'
import json, socket, sys
path, file, suffix, order = sys.argv[1:]
lines = [json.loads(l) for l in open(file, encoding="utf-8") if l.strip()]
n = len(lines)
ref = lambda o: o.get("supersedes") or o.get("target")
seq = list(range(1, n))
if order == "other":
    # Kahn's algorithm: latest file line first, within the constraints.
    after = {i: set() for i in seq}
    for i in seq:
        r = ref(lines[i])
        if r:
            after[i].add(r - 1)
            for j in seq:
                if j < i and ref(lines[j]) == r:
                    after[i].add(j)
    done, seq = {0}, []
    while len(seq) < n - 1:
        i = max(i for i in after if i not in done and after[i] <= done)
        seq.append(i)
        done.add(i)
ids = {}
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(path)
f = s.makefile("rwb")
def send(i):
    o = dict(lines[i])
    if "code" in o:
        o["code"] += suffix
    if "incident" in o:
        o["incident"] += suffix
    for k in ("supersedes", "target"):
        if k in o:
            o[k] = ids[o[k]]
    f.write((json.dumps(o, ensure_ascii=False) + "\n").encode())
    f.flush()
    a = json.loads(f.readline())
    if not a.get("ok"):
        sys.exit("line %d refused: %s" % (i + 1, a))
    ids[i + 1] = a["id"]
for i in [0] + seq:
    send(i)
for k in sorted(ids):
    print(k, ids[k])
PY
}

# check_case NAME SUFFIX IDS: sochi check against NAME.expect.
check_case() {
	local name=$1 suffix=$2 ids=$3 exp=$cases/$1.expect code now want rc out tail line
	code=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["code"])' "$cases/$name.ndjson")$suffix
	now=$(sed -n 's/^now //p' "$exp")
	want=$(grep -E '^(classification|impact|due):? ' "$exp")
	rc=0; out=$("$SOCHI" check -i "$code" --now "$now") || rc=$?
	expect_eq "$name$suffix: exit status" "$rc" "$(sed -n 's/^exit //p' "$exp")"
	tail=$(grep -E '^(classification|impact .*|due): ' <<<"$out")
	[ "$tail" = "$want" ] || fail "$name$suffix: sochi check gave
$tail
wanted
$want"
	while IFS= read -r line; do
		line=${line#finding }
		# [events 6, 5, 4] names lines: the ids they got.
		line=$(python3 - "$line" "$ids" <<'PY'
import re, sys
line, ids = sys.argv[1], dict(l.split() for l in sys.argv[2].splitlines())
print(re.sub(r"\[events ([0-9, ]+)\]", lambda m: "[events " + ", ".join(ids[x.strip()] for x in m.group(1).split(",")) + "]", line))
PY
)
		sev=${line%% *}; rest=${line#* }; c=${rest%% *}
		grep -F -- "$sev $c: " <<<"$out" | grep -qF -- "${rest#"$c"}" ||
			fail "$name$suffix: no finding \"$line\" in
$out"
	done < <(grep '^finding ' "$exp")
}

n=0
for f in "$cases"/*.ndjson; do
	name=$(basename "$f" .ndjson)
	ids=$(send_case "$f" "" file) || fail "$name: not stored: $ids"
	check_case "$name" "" "$ids"
	ids=$(send_case "$f" "-R" other) || fail "$name-R: not stored: $ids"
	check_case "$name" "-R" "$ids"
	n=$((n + 1))
done
[ "$n" -ge 9 ] || fail "only $n cases"
pass "each of the $n cases, sent in two orders with other ids, gives its classification lines"

# The report of the fixed-line case: each row of the table once, each
# impact's own users.
out=$(rep -i CASE-FIXED --now 2026-07-02T09:00:00+09:00)
expect_eq "two rows" "$(grep -A2 '＜影響を与えた電気通信役務の区分＞' <<<"$out")" "＜影響を与えた電気通信役務の区分＞
一の項から四の項までに掲げる電気通信役務以外の電気通信役務
緊急通報を取り扱う音声伝送役務"
expect_match "per-impact users" "$out" "①データ通信ができない：200,000人"
expect_match "per-impact users" "$out" "②固定電話の発着信（緊急通報を含む）ができない：35,000人"
"$SOCHI" report -i CASE-FIXED --format json --now 2026-07-02T09:00:00+09:00 | python3 -c '
import json, sys
j = json.load(sys.stdin); c = j["classification"]
assert (c["class"], c["row"], c["pair"], c["impact"], c["users"]) == ("serious", "一", "A", 2, 35000), c
assert [(i["no"], i["class"], i["row"]) for i in c["impacts"]] == [(1, "periodic", "五"), (2, "serious", "一")], c["impacts"]
assert j["overview"]["category_rows"] == ["一の項から四の項までに掲げる電気通信役務以外の電気通信役務", "緊急通報を取り扱う音声伝送役務"], j["overview"]
assert [s["impact"] for s in j["users"]["samples"]] == [2, 1], j["users"]["samples"]' || fail "JSON of the fixed-line case"
# Unknown users: the report says 【要記入】 where the count belongs, JSON null.
out=$(rep -i CASE-NOUSERS --now 2026-07-02T09:00:00+09:00)
expect_match "users unknown in the report" "$(grep -A1 '＜影響を与えた利用者数＞' <<<"$out")" "【要記入】"
"$SOCHI" report -i CASE-NOUSERS --format json --now 2026-07-02T09:00:00+09:00 | python3 -c '
import json, sys
j = json.load(sys.stdin); c = j["classification"]
assert c["class"] == "undetermined" and c["users"] is None and c["due"] is None, c
assert (c["due_if_serious"], c["due_if_not"]) == ("2026-07-31", "2027-05-31"), c
assert "users.max" in j["missing"] and "users.basis" in j["missing"] and "users.region" in j["missing"], j["missing"]' ||
	fail "JSON of the users-unknown case"
pass "the report lists each row, each impact's users, and 【要記入】 / null for an unknown count"

# Corrections through the CLI: the second amend of a sample amends the
# current version and says so; the chain ends at the last amend.
export SOCHI_NOW=2026-07-02T09:00:00+09:00
inc=$("$SOCHI" open 訂正の連鎖 --category 5 --location ○○センター --at '2026-07-01 10:05')
"$SOCHI" impact start net 接続不可 --at '2026-07-01 10:00' -i "$inc" >/dev/null
"$SOCHI" impact recover net --at '2026-07-01 13:00' -i "$inc" >/dev/null
"$SOCHI" users 20000 --basis 契約数ベース --region 東京都 --at '2026-07-01 11:00' -i "$inc" >/dev/null
sid=$(sql "select max(id) from event")
out=$("$SOCHI" amend "$sid" --count 60000 2>&1) || fail "first amend: $out"
first=$(sql "select max(id) from event")
out=$("$SOCHI" amend "$sid" --count 25000 2>&1) || fail "second amend: $out"
expect_match "the second amend says so" "$out" "event $sid was corrected; amending its current version, event $first"
expect_eq "it supersedes the current version" "$(sql "select supersedes from event order by id desc limit 1")" "$first"
out=$("$SOCHI" check -i "$inc") || fail "check after the amends: $out"
expect_match "25,000 stands" "$out" "^classification: periodic 五 \(3時間0分間 >= 2時間, 25,000人 < 30,000人\)$"
grep -q correction-conflict <<<"$out" && fail "a chain is not a conflict: $out"
# Retracting the current version restores the one before it.
"$SOCHI" retract "$(sql "select max(id) from event")" --why 誤り -i "$inc" >/dev/null
expect_match "60,000 restored" "$("$SOCHI" check -i "$inc")" "^classification: serious 五 A \(3時間0分間 >= 2時間, 60,000人 >= 30,000人\)$"
# amend changes only what it was given: no actor stays no actor.
"$SOCHI" log --actor '' --phase recover --at '2026-07-01 12:00' 切替を実施 -i "$inc" >/dev/null
aid=$(sql "select max(id) from event")
"$SOCHI" amend "$aid" --at '2026-07-01 12:01' >/dev/null || fail "amend of an entry with no actor"
expect_eq "no actor added" "$(sql "select coalesce(actor, '(none)') || ' ' || text || ' ' || phase from event order by id desc limit 1")" "(none) 切替を実施 recover"
pass "amend follows the chain and says so, retract restores the version before, amend adds nothing"

# Writes that cannot silently go wrong.
n0=$(sql "select count(*) from event")
rc=0; out=$("$SOCHI" impact recover nope -i "$inc" 2>&1) || rc=$?
expect_eq "recover of no running impact" "$rc" 2
expect_match "says none is running" "$out" "no impact named nope is running in $inc \(running: none\); nothing sent"
"$SOCHI" impact start dns 名前解決不可 --at '2026-07-01 14:00' -i "$inc" >/dev/null
rc=0; out=$("$SOCHI" impact recover nope -i "$inc" 2>&1) || rc=$?
expect_eq "recover of no running impact" "$rc" 2
expect_match "lists the running ones" "$out" "\(running: dns\)"
rc=0; out=$("$SOCHI" impact recover dns --at '2026-07-01 13:00' -i "$inc" 2>&1) || rc=$?
expect_eq "recover before the start" "$rc" 2
expect_match "says it starts later" "$out" "no impact named dns is running at that time \(it starts later\)"
expect_eq "nothing sent" "$(sql "select count(*) from event")" "$((n0 + 1))"
"$SOCHI" impact recover nope --force --at '2026-07-01 14:30' -i "$inc" >/dev/null || fail "--force"
expect_match "--force recorded it, lint names it" "$("$SOCHI" check -i "$inc" 2>&1)" "^error impact-not-started: impact nope recovered but never started"
# --at without an offset is the carrier's local time.
"$SOCHI" log --phase recover --at 2026-07-01T14:45:00 オフセットなし -i "$inc" >/dev/null
expect_eq "--at without an offset" "$(sql "select to_char(occurred_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI:SS') from event order by id desc limit 1")" "2026-07-01 14:45:00"
"$SOCHI" log --help | grep -q "YYYY-MM-DDTHH:MM (seconds optional; these in the carrier's zone)" ||
	fail "the help does not say how a time without an offset is read"
pass "recover of an impact not running is refused (--force back-fills); --at without offset is local"

# A running duration is provisional in sochi check.
run=$("$SOCHI" open 継続中 --category 5 --location ○○ --at '2026-07-01 10:00')
"$SOCHI" impact start net 接続不可 --users 50000 --at '2026-07-01 10:00' -i "$run" >/dev/null
rc=0; out=$("$SOCHI" check -i "$run" --now 2026-07-01T13:30:00+09:00) || rc=$?
expect_match "※暫定" "$out" "^classification: serious 五 A \(3時間30分間 ※暫定 >= 2時間, 50,000人 >= 30,000人\)$"
expect_match "※暫定 per impact" "$out" "^impact ①: serious 五 A \(3時間30分間 ※暫定 >= 2時間, 50,000人 >= 30,000人\)$"
# --as-of: the incident as it stood, durations to then.
"$SOCHI" impact recover net --at '2026-07-01 15:00' -i "$run" >/dev/null
"$SOCHI" users 80000 --at '2026-07-01 14:00' -i "$run" >/dev/null
out=$(rep -i "$run" --as-of '2026-07-01 13:30' --now 2026-07-02T09:00:00+09:00)
expect_match "as of 13:30: not recovered" "$out" "① 接続不可：未復旧（継続時間：3時間30分間 ※暫定、7月1日 13時30分現在）"
expect_match "as of 13:30: 50,000" "$out" "^50,000人 （【要記入】）$"
expect_match "the report date is --now" "$out" "^令和8年7月2日$"
out=$(rep -i "$run" --now 2026-07-02T09:00:00+09:00)
expect_match "after: recovered" "$out" "① 接続不可：令和8年7月1日（水曜日）15時00分（継続時間：5時間0分間）"
expect_match "after: 80,000" "$out" "^80,000人 "
pass "check marks a running duration ※暫定; report --as-of shows the incident as it stood"

# The 速報 of an incident not (yet) serious; missing basis and region.
small=$("$SOCHI" open 小規模 --category 5 --at '2026-07-01 10:00')
"$SOCHI" impact start net 接続不可 --users 40000 --at '2026-07-01 10:00' -i "$small" >/dev/null
out=$("$SOCHI" report -i "$small" --sokuho --now 2026-07-01T10:30:00+09:00)
expect_match "title" "$(head -n 1 <<<"$out")" "^重大な事故に該当するおそれのある事故の発生について（速報）$"
out=$(rep -i "$small" --now 2026-07-01T10:30:00+09:00)
expect_match "basis 【要記入】" "$out" "^40,000人 （【要記入】）$"
expect_match "region 【要記入】" "$(grep -A1 '＜影響を与えた地域＞' <<<"$out")" "【要記入】"
"$SOCHI" report -i "$small" --format json --now 2026-07-01T10:30:00+09:00 | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert "users.basis" in j["missing"] and "users.region" in j["missing"], j["missing"]
assert j["users"]["basis"] is None and j["users"]["region"] is None' || fail "missing basis and region in JSON"
# Inquiries to the minute; impacts past ⑳.
"$SOCHI" inquiry --channel phone 220 --at '2026-07-01 20:30' -i "$small" >/dev/null
for i in $(seq 2 22); do
	printf '{"kind":"impact","op":"start","incident":"%s","at":"2026-07-01T11:%02d:00+09:00","name":"f%d","label":"機能%dが使えない"}\n' "$small" "$i" "$i" "$i"
done | "$SOCHI" send -q || fail "impacts"
out=$(rep -i "$small" --now 2026-07-01T21:00:00+09:00)
expect_match "inquiries to the minute" "$out" "220件（7月1日20時30分時点）"
expect_match "㉑" "$out" "^㉑ 機能21が使えない：未復旧"
expect_match "㉒" "$out" "^㉒機能22が使えない。$"
expect_match "impact ㉒ in check" "$("$SOCHI" check -i "$small" --now 2026-07-01T21:00:00+09:00)" "^impact ㉒: undetermined 五 \(9時間38分間 ※暫定 >= 2時間, users unknown\)$"
pass "the 速報 of an incident not serious is a notice of a possible one; basis, region, inquiry time, ㉑"

# Lint reads every stated figure in any note.
for text in "…メールの送受信が不可となる状態が2時間30分間継続した。" \
	"メールサーバが２時間４５分間停止した" "約2時間16分間で復旧"; do
	note=$(printf '{"kind":"note","incident":"CASE-FIXED","section":"overview","at":"2026-07-01T18:00:00+09:00","text":"%s"}' "$text" |
		"$SOCHI" send | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
	rc=0; out=$("$SOCHI" check -i CASE-FIXED --now 2026-07-02T09:00:00+09:00) || rc=$?
	expect_eq "$text: exit status" "$rc" 1
	expect_match "$text" "$out" "^error note-duration: note overview states 継続時間 .*, but the events give .* \[events $note, "
	"$SOCHI" retract "$note" --why 確認済み -i CASE-FIXED >/dev/null
done
printf '%s\n' '{"kind":"note","incident":"CASE-FIXED","section":"overview","at":"2026-07-01T18:00:00+09:00","text":"音声は約1時間10分間、データは40分間停止し、影響は約20万人。"}' | "$SOCHI" send -q
"$SOCHI" check -i CASE-FIXED --now 2026-07-02T09:00:00+09:00 >/dev/null || fail "right figures are flagged"
printf '%s\n' '{"kind":"note","incident":"CASE-FIXED","section":"response.other","at":"2026-07-01T18:00:00+09:00","text":"影響は36,000人、問い合わせは12件。"}' | "$SOCHI" send -q
out=$("$SOCHI" check -i CASE-FIXED --now 2026-07-02T09:00:00+09:00 2>&1) || true
expect_match "N人" "$out" "^error note-users: note response.other states 36,000人"
pass "lint flags the seed's sentence, full-width digits and 約 beyond rounding, and N人 anywhere"

# The 2025 proposal: only when asked for.
p=$("$SOCHI" open 提案の確認 --category 5 --location ○○ --at '2026-07-01 10:00')
"$SOCHI" impact start data データ通信不可 --users 150000 --at '2026-07-01 10:00' -i "$p" >/dev/null
"$SOCHI" impact recover data --at '2026-07-01 11:15' -i "$p" >/dev/null
expect_match "in force" "$("$SOCHI" check -i "$p")" "^classification: periodic 五 \(1時間15分間 < 2時間, 150,000人 >= 30,000人\)$"
out=$("$SOCHI" check -i "$p" --table proposed-2025)
expect_match "proposed" "$out" "^classification: serious 五 B \(1時間15分間 >= 1時間, 150,000人 >= 100,000人\)$"
expect_match "says it is a what-if" "$out" "^info table: classified with 情報通信審議会答申"
rc=0; out=$("$SOCHI" check -i "$p" --table 2030 2>&1) || rc=$?
expect_eq "unknown table" "$rc" 2
expect_match "unknown table says so" "$out" "expected in-force, 1985, 2015, 2019 or proposed-2025, got \"2030\""
python3 - "$SOCHI_CONFIG" "$T/b.conf" <<'PY'
import sys
text = open(sys.argv[1]).read()
if "[report]" in text:
    text = text.replace("[report]", "[report]\ntable = proposed-2025", 1)
else:
    text += "\n[report]\ntable = proposed-2025\n"
open(sys.argv[2], "w").write(text)
PY
expect_match "[report] table" "$("$SOCHI" -c "$T/b.conf" check -i "$p")" "^classification: serious 五 B "
expect_match "--table in-force over the config" "$("$SOCHI" -c "$T/b.conf" check -i "$p" --table in-force)" "^classification: periodic 五 "
pass "the 2025 proposal classifies only with --table proposed-2025 or [report] table"
