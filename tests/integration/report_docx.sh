#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sochi report --format docx: a Word document that python-docx opens, with
# every label of the form and the sample's figures in its table's cells,
# 【要記入】 highlighted, A4 portrait, IPAMincho, both attachments as
# pictures; LibreOffice converts it to a PDF whose text holds every label.
# The drafter stores a docx draft when [drafts] formats names docx, and
# sochi report --draft N --format docx gives back the very bytes.
. "$(dirname "$0")/lib.sh"
# python-docx is Debian's python3-docx, a module of the system's Python.
py=/usr/bin/python3
$py -c 'import docx' 2>/dev/null || fail "python-docx is not installed (python3-docx; script/bootstrap installs it)"
command -v soffice >/dev/null || fail "LibreOffice is not installed (libreoffice-writer-nogui; script/bootstrap installs it)"
command -v pdftotext >/dev/null || fail "pdftotext is not installed (poppler-utils)"
sb_up
sandbox down --sochid
spool=$SOCHI_SANDBOX_DIR/spool
mkdir -p "$spool"
cat >>"$SOCHI_CONFIG" <<CONF

[drafts]
spool_dir = $spool
formats = text,docx
CONF
eval "$(sandbox up)"
now=2026-11-28T12:00:00+09:00
"$SOCHI" send -q "$top_srcdir/tests/fixtures/sample-incident.ndjson" || fail "sample not stored"
"$SOCHI" report -i SAMPLE-1 --format docx --now $now -o "$T/r.docx" || fail "report --format docx -o"
"$SOCHI" report -i SAMPLE-1 --format json --now $now >"$T/r.json"

$py - "$T/r.docx" "$T/r.json" <<'PY' || fail "the Word document is not the form"
import json, sys, zipfile
import docx
from docx.shared import Mm
LABELS = ["発生年月日及び時刻", "復旧年月日及び時刻", "発生場所", "事故の全体概要",
    "事故の原因となつた電気通信設備の概要", "発生状況", "措置模様（事故対応状況）", "発生原因",
    "再発防止策", "利用者対応状況", "関連する基準及び規程", "関連する事故の発生傾向",
    "電気通信設備統括管理者の氏名", "事故の対策を確認した電気通信主任技術者の氏名及び資格の種別"]
d = docx.Document(sys.argv[1])
j = json.load(open(sys.argv[2], encoding="utf-8"))
form = [t for t in d.tables if len(t.columns) == 2 and t.rows[0].cells[0].text == LABELS[0]]
assert len(form) == 1, "no two-column table beginning with 発生年月日及び時刻"
rows = [(r.cells[0].text, r.cells[1].text) for r in form[0].rows]
assert [r[0] for r in rows] == LABELS, [r[0] for r in rows]
cells = "\n".join(c for _, c in rows)
for i in j["impacts"]:
    want = "継続時間：" + i["duration"]["text"]
    assert want in cells, "no " + want + " in the cells"
assert "58,990人" in dict(rows)["発生状況"], "no 58,990人 in 発生状況"
assert j["occurred"]["text"] in dict(rows)["発生年月日及び時刻"]
for e in j["timeline"]:
    assert e["text"] in dict(rows)["措置模様（事故対応状況）"], e["text"]
# Borders on the form's table (its style), none on the letter's head.
styles = zipfile.ZipFile(sys.argv[1]).read("word/styles.xml").decode()
assert 'w:styleId="FormTable"' in styles and "<w:insideV w:val=\"single\"" in styles
assert form[0].style.name == "Form"
text = "\n".join(p.text for p in d.paragraphs)
for w in ["様式第50の３（第57条関係）", "重大な事故報告書（詳報）", "総務大臣 殿", "別添　影響利用者数の推移", "別添　影響と措置の時系列"]:
    assert w in text, w
s = d.sections[0]
assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5), (s.page_width.mm, s.page_height.mm)
assert s.orientation == 0  # portrait
assert [round(x.mm) for x in (s.top_margin, s.right_margin, s.bottom_margin, s.left_margin)] == [14, 14, 16, 14]
rpr = d.styles.element.find(docx.oxml.ns.qn("w:docDefaults")).find(".//" + docx.oxml.ns.qn("w:rFonts"))
assert rpr.get(docx.oxml.ns.qn("w:eastAsia")) == "IPAMincho" and rpr.get(docx.oxml.ns.qn("w:ascii")) == "IPAMincho"
fonts = zipfile.ZipFile(sys.argv[1]).read("word/fontTable.xml").decode()
assert '<w:font w:name="IPAMincho"><w:altName w:val="ＭＳ 明朝"/>' in fonts
pics = d.inline_shapes
assert len(pics) == 2, f"{len(pics)} pictures"
for p in pics:
    assert abs(p.width - Mm(182)) < Mm(1) and p.height > Mm(30)
blobs = [r.target_part.blob for r in d.part.rels.values() if "image" in r.reltype]
assert len(blobs) == 2 and all(b.startswith(b"\x89PNG") for b in blobs)
# Filled in from the profile and the notes: nothing to highlight.
assert "【要記入】" not in cells
print("cells", len(rows))
PY
pass "python-docx finds every label in the two-column table, both 継続時間 and 58,990人 in its cells, A4, IPAMincho, two pictures"

# The charts are drawn, not blank: a blank picture this size deflates to a
# few kilobytes; lines, bars and text need tens.
$py - "$T/r.docx" <<'PY' || fail "a chart picture is blank"
import struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in ("word/media/users.png", "word/media/timeline.png"):
    b = z.read(name)
    assert b.startswith(b"\x89PNG\r\n\x1a\n"), name
    w, h = struct.unpack(">II", b[16:24])
    assert w == 1920 and h > 300, (name, w, h)
    assert len(b) > 20000, (name, len(b))
PY
pass "both attachments are drawn, 1920 px wide"

# LibreOffice reads it too: converted to PDF, every label is in its text.
timeout 300 soffice -env:UserInstallation="file://$T/lo" --headless --convert-to pdf \
	--outdir "$T" "$T/r.docx" >"$T/lo.log" 2>&1 || fail "LibreOffice could not convert it: $(tail -n 3 "$T/lo.log")"
info=$(pdfinfo "$T/r.pdf")
expect_match "page size" "$(sed -n 's/^Page size: *//p' <<<"$info")" "^59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)$"
pdffonts "$T/r.pdf" | grep -q IPAMincho || fail "the PDF is not set in IPAMincho: $(pdffonts "$T/r.pdf")"
pdftotext "$T/r.pdf" - | tr -d ' \n\t' >"$T/text"
rest=$(cat "$T/text")
for want in 発生年月日及び時刻 復旧年月日及び時刻 発生場所 事故の全体概要 \
	事故の原因となつた電気通信設備の概要 発生状況 措置模様（事故対応状況） 発生原因 再発防止策 \
	利用者対応状況 関連する基準及び規程 関連する事故の発生傾向 電気通信設備統括管理者の氏名 \
	事故の対策を確認した電気通信主任技術者の氏名及び資格の種別; do
	case $rest in
	*"$want"*) rest=${rest#*"$want"} ;;
	*) fail "LibreOffice's PDF lacks the label '$want' (or it is out of order)" ;;
	esac
done
for want in 重大な事故報告書（詳報） 58,990人 令和8年11月16日（月曜日）12時00分 影響利用者数の推移 影響と措置の時系列; do
	grep -q -- "$want" "$T/text" || fail "LibreOffice's PDF lacks '$want'"
done
pass "LibreOffice converts it to an A4 PDF in IPAMincho whose text holds every label, in order"

# 【要記入】 is highlighted wherever something is missing.
inc=$(open_incident "記入待ち")
ndjson "{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$inc\",\"at\":\"2026-11-20T10:00:00+09:00\",\"name\":\"a\",\"label\":\"障害\"}" >/dev/null
"$SOCHI" report -i "$inc" --format docx --now 2026-11-20T13:00:00+09:00 | cat >"$T/blank.docx"
$py - "$T/blank.docx" <<'PY' || fail "【要記入】 is not highlighted"
import sys, docx
d = docx.Document(sys.argv[1])
runs = [r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs if "【要記入】" in r.text]
assert len(runs) > 10, len(runs)
assert all(r.text == "【要記入】" and r.font.highlight_color == 7 and r.bold for r in runs), [(r.text, r.font.highlight_color) for r in runs]
# No users count: the first attachment says it is missing, no picture.
assert len(d.inline_shapes) == 1
assert any("【要記入】（影響利用者数の記録がありません）" == p.text for p in d.paragraphs)
print(len(runs))
PY
pass "every 【要記入】 is a run of its own, bold and highlighted yellow; a pipe gets the document"

# A terminal gets no binary: refused before any work, with the way out.
rc=0
$py - "$SOCHI" <<'PY' >"$T/tty" 2>&1 || rc=$?
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "report", "-i", "SAMPLE-1", "--format", "docx"])
out = b""
while True:
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(st))
PY
expect_eq "docx to a terminal" "$rc" 2
grep -q 'not for a terminal: give -o FILE' "$T/tty" || fail "no reason given: $(cat "$T/tty")"
pass "to a terminal, --format docx is refused (exit 2) and says to give -o FILE"

# The drafter: [drafts] formats = text,docx gives a .docx in the spool and
# in the draft table, and --draft 1 --format docx gives the same bytes.
wait_for 60 '[ -f "$spool/SAMPLE-1-v1.docx" ]' || fail "no SAMPLE-1-v1.docx in the spool: $(ls "$spool")"
expect_eq "stored formats" "$(sql "select string_agg(format || ':' || (body is null) || ':' || (data is null), ' ' order by format) from draft d join incident i on i.id = d.incident_id where i.code = 'SAMPLE-1' and d.version = 1")" "docx:true:false text:false:true"
"$SOCHI" report -i SAMPLE-1 --draft 1 --format docx -o "$T/d1.docx" || fail "report --draft 1 --format docx"
cmp "$T/d1.docx" "$spool/SAMPLE-1-v1.docx" || fail "the stored .docx and the spool's differ"
$py -c 'import sys, docx; d = docx.Document(sys.argv[1]); assert len(d.tables) == 2 and len(d.inline_shapes) == 2' "$T/d1.docx" ||
	fail "the drafter's .docx is not the form"
"$SOCHI" report -i SAMPLE-1 --draft 1 >"$T/d1.txt"
grep -q '重大な事故報告書（詳報）' "$T/d1.txt" || fail "the text of draft 1 is gone"
rc=0; "$SOCHI" report -i SAMPLE-1 --draft 0 --format docx >"$T/d0" 2>&1 || rc=$?
expect_eq "--draft 0 --format docx" "$rc" 2
grep -q 'was stored as text, not docx' "$T/d0" || fail "no reason: $(cat "$T/d0")"
"$SOCHI" draft -i SAMPLE-1 >/dev/null || fail "sochi draft"
"$SOCHI" report -i SAMPLE-1 --draft 2 --format docx | $py -c 'import io, sys, docx; docx.Document(io.BytesIO(sys.stdin.buffer.read()))' ||
	fail "sochi draft stored no .docx"
pass "the drafter and sochi draft store the .docx (bytea), the spool has it, --draft N --format docx gives the same bytes"

# librsvg is loaded for the first chart, not linked: neither program
# needs it to start, and a .docx without it says why.
for b in "$SOCHI" "$SOCHID"; do
	if ldd "$b" | grep -Eq 'librsvg|libcairo|libglib'; then
		fail "$b is linked with librsvg, cairo or GLib: $(ldd "$b" | grep -E 'librsvg|libcairo|libglib')"
	fi
done
mkdir "$T/nolib"
: >"$T/nolib/librsvg-2.so.2"
rc=0; LD_LIBRARY_PATH="$T/nolib" "$SOCHI" report -i SAMPLE-1 --format docx --now $now -o "$T/none.docx" 2>"$T/nolib.err" || rc=$?
expect_eq "a .docx without librsvg" "$rc" 2
expect_match "its reason" "$(cat "$T/nolib.err")" 'chart: cannot load librsvg-2\.so\.2 \(librsvg, to draw the charts\)'
[ ! -s "$T/none.docx" ] || fail "a .docx was written without its charts"
LD_LIBRARY_PATH="$T/nolib" "$SOCHI" report -i SAMPLE-1 --now $now >/dev/null || fail "a text report needs librsvg"
pass "librsvg is loaded when a chart is drawn: the programs start without it, a .docx without it says why"
