#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTML draft printed by headless Chromium gives A4 pages, and the PDF's
# text holds every label of the form and the sample's figures; sochi report
# --format pdf prints it so itself, and names the package when the browser
# is missing.
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is not installed (script/bootstrap installs it)"
command -v pdftotext >/dev/null || fail "pdftotext is not installed (poppler-utils)"
sb_up
"$SOCHI" send -q "$top_srcdir/tests/fixtures/sample-incident.ndjson" || fail "sample not stored"
"$SOCHI" report -i SAMPLE-1 --format html --now 2026-11-28T12:00:00+09:00 -o "$T/r.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$T/chromium" --no-pdf-header-footer \
	--print-to-pdf="$T/r.pdf" "file://$T/r.html" >"$T/chromium.log" 2>&1 ||
	fail "chromium could not print: $(tail -n 3 "$T/chromium.log")"
info=$(pdfinfo "$T/r.pdf")
pages=$(sed -n 's/^Pages: *//p' <<<"$info")
size=$(sed -n 's/^Page size: *//p' <<<"$info")
expect_match "page size" "$size" "^59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)$"
[ "$pages" -ge 3 ] || fail "only $pages pages: the form and both attachments need more"
# Labels wrap within their cells, beside the content: read the label column
# alone (it ends before the content column at x = 131 pt) for the labels, the
# whole page for the figures, both without white space.
pdftotext -x 30 -y 0 -W 98 -H 842 "$T/r.pdf" - | tr -d ' \n\t' >"$T/labels"
pdftotext "$T/r.pdf" - | tr -d ' \n\t' >"$T/text"
rest=$(cat "$T/labels")
for want in 発生年月日及び時刻 復旧年月日及び時刻 発生場所 事故の全体概要 \
	事故の原因となつた電気通信設備の概要 発生状況 措置模様（事故対応状況） 発生原因 再発防止策 \
	利用者対応状況 関連する基準及び規程 関連する事故の発生傾向 電気通信設備統括管理者の氏名 \
	事故の対策を確認した電気通信主任技術者の氏名及び資格の種別; do
	case $rest in
	*"$want"*) rest=${rest#*"$want"} ;;
	*) fail "the PDF lacks the label '$want' (or it is out of order)" ;;
	esac
done
for want in 様式第50の３（第57条関係） 重大な事故報告書（詳報） 総務大臣殿 郵便番号 登録年月日 連絡先 \
	令和8年11月16日（月曜日）12時00分 58,990人 904,432人 587件 第12報 総務次郎（伝送交換） \
	影響利用者数の推移 影響と措置の時系列; do
	grep -q -- "$want" "$T/text" || fail "the PDF lacks '$want'"
done
pass "the HTML prints to $pages A4 pages holding every label, in order, and the figures"

# Figures are never split across lines: every 継続時間 and every 発生 (and
# recovery) time the report states appears whole on one line of the PDF.
"$SOCHI" report -i SAMPLE-1 --format json --now 2026-11-28T12:00:00+09:00 >"$T/r.json"
pdftotext "$T/r.pdf" "$T/lines.txt"
python3 - "$T/r.json" "$T/lines.txt" <<'PY' || fail "a figure is split across lines in the PDF"
import json, re, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
lines = [re.sub(r"\s+", "", l) for l in open(sys.argv[2], encoding="utf-8")]
want = [j["occurred"]["text"]]
for i in j["impacts"]:
    want.append("継続時間：" + i["duration"]["text"])
want += ["令和8年11月16日（月曜日）14時15分", "令和8年11月26日（木曜日）23時40分"]
for w in want:
    if not any(w in l for l in lines):
        print("not on one line:", w); sys.exit(1)
print("unbroken:", len(want))
PY
pass "every 継続時間 and 発生 string appears unbroken on one line of the PDF"

# Every chart label lies within its SVG, and every text meets 4.5:1 against
# what is behind it, measured in the DOM of headless Chromium: the sample,
# an impact still running (a light bar), and a short impact at the chart's
# right edge (its label cannot go after the bar).
inc=$(open_incident "図の確認")
ndjson "{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$inc\",\"at\":\"2026-11-20T10:00:00+09:00\",\"name\":\"a\",\"label\":\"長い障害\",\"users\":40000}" \
	"{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:55:00+09:00\",\"name\":\"b\",\"label\":\"短い障害\",\"users\":30000}" \
	"{\"kind\":\"impact\",\"op\":\"recover\",\"incident\":\"$inc\",\"at\":\"2026-11-20T13:00:00+09:00\",\"name\":\"b\"}" \
	"{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:59:00+09:00\",\"name\":\"c\",\"label\":\"継続中\",\"users\":1000}" \
	"{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T10:05:00+09:00\",\"phase\":\"detect\",\"text\":\"検知\"}" >/dev/null
"$SOCHI" report -i "$inc" --format html --now 2026-11-20T13:00:00+09:00 -o "$T/edge.html"
measure() { # measure HTML: the report with a script that measures it, dumped
	python3 - "$1" "$T/m.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
script = """<script>
function lum(c) {
  const v = c.match(/[0-9.]+/g).slice(0, 3).map(Number).map(x => x / 255)
    .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
const out = [];
for (const svg of document.querySelectorAll("svg")) {
  const s = svg.getBoundingClientRect();
  for (const t of svg.querySelectorAll("text")) {
    const r = t.getBoundingClientRect();
    if (r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5)
      out.push("outside " + svg.id + ": " + t.textContent + " [" + r.left + "," + r.right + "] of [" + s.left + "," + s.right + "]");
    let bg = "rgb(255, 255, 255)";
    const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    for (const b of svg.querySelectorAll("rect")) {
      const q = b.getBoundingClientRect();
      if (cx >= q.left && cx <= q.right && cy >= q.top && cy <= q.bottom) bg = getComputedStyle(b).fill;
    }
    const fg = getComputedStyle(t).fill, c = ratio(fg, bg);
    if (c < 4.5) out.push("contrast " + c.toFixed(2) + " " + svg.id + ": " + t.textContent + " " + fg + " on " + bg);
  }
}
const n = document.querySelectorAll("svg text").length;
const pre = document.createElement("pre");
pre.id = "measure";
pre.textContent = "texts " + n + "\\n" + out.join("\\n");
document.body.appendChild(pre);
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", script + "</body>"))
PY
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/chromium" --window-size=794,1123 --virtual-time-budget=5000 \
		--dump-dom "file://$T/m.html" 2>"$T/chromium.log" |
		python3 -c 'import html, re, sys; m = re.search(r"<pre id=\"measure\">(.*?)</pre>", sys.stdin.read(), re.S); print(html.unescape(m.group(1)) if m else "no measurement")'
}
for f in "$T/r.html" "$T/edge.html"; do
	out=$(measure "$f")
	expect_match "measured $(basename "$f")" "$(head -n 1 <<<"$out")" "^texts [1-9][0-9]*$"
	[ "$(wc -l <<<"$out")" = 1 ] || fail "$(basename "$f"): $(tail -n +2 <<<"$out")"
done
grep -q 'fill="#f5b7b1"' "$T/edge.html" || fail "no running impact's bar in the edge case"
pass "every chart text lies within its SVG and meets 4.5:1, in the DOM of headless Chromium"

# sochi report --format pdf does that printing itself, with the browser of
# [report] chromium: to -o FILE, or to a standard output that is not a
# terminal; and says which package to install when the browser is not there.
"$SOCHI" report -i SAMPLE-1 --format pdf --now 2026-11-28T12:00:00+09:00 -o "$T/p.pdf" ||
	fail "report --format pdf -o"
expect_match "its page size" "$(pdfinfo "$T/p.pdf" | sed -n 's/^Page size: *//p')" "^59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)$"
pdftotext -x 30 -y 0 -W 98 -H 842 "$T/p.pdf" - | tr -d ' \n\t' >"$T/plabels"
pdftotext "$T/p.pdf" - | tr -d ' \n\t' >"$T/ptext"
for want in 発生年月日及び時刻 事故の対策を確認した電気通信主任技術者の氏名及び資格の種別; do
	grep -q -- "$want" "$T/plabels" || fail "sochi's PDF lacks the label '$want'"
done
for want in 令和8年11月16日（月曜日）12時00分 58,990人 影響利用者数の推移 影響と措置の時系列; do
	grep -q -- "$want" "$T/ptext" || fail "sochi's PDF lacks '$want'"
done
"$SOCHI" report -i SAMPLE-1 --format pdf | cat >"$T/piped.pdf"
pdftotext "$T/piped.pdf" - | tr -d ' \n\t' | grep -q 重大な事故報告書（詳報） || fail "the piped PDF is not the draft"
ls -d "${TMPDIR:-/tmp}"/sochi-pdf.* >/dev/null 2>&1 && fail "the temporary folder was left behind: $(ls -d "${TMPDIR:-/tmp}"/sochi-pdf.*)"
pass "sochi report --format pdf: an A4 PDF that pdftotext reads, to -o FILE or a pipe"
printf '\n[report]\nchromium = %s\n' "$T/no-such-chromium" >>"$SOCHI_CONFIG"
rc=0; "$SOCHI" report -i SAMPLE-1 --format pdf -o "$T/none.pdf" 2>"$T/err" || rc=$?
expect_eq "no browser" "$rc" 2
grep -q "install the Debian package chromium" "$T/err" || fail "the message does not name the package: $(cat "$T/err")"
grep -q "$T/no-such-chromium" "$T/err" || fail "the message does not name the path: $(cat "$T/err")"
[ ! -e "$T/none.pdf" ] || fail "a file was written all the same"
sed -i 's|^chromium = .*|chromium = /bin/false|' "$SOCHI_CONFIG"
rc=0; "$SOCHI" report -i SAMPLE-1 --format pdf -o "$T/none.pdf" 2>"$T/err" || rc=$?
expect_eq "a browser that fails" "$rc" 2
grep -q "/bin/false could not print the draft: it exited with status 1" "$T/err" || fail "no reason: $(cat "$T/err")"
pass "without the browser, --format pdf exits 2 naming the package chromium and the path; a failing one is reported"
