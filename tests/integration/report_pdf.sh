#!/usr/bin/env bash
# The HTML draft printed by headless Chromium gives A4 pages, and the PDF's
# text holds every label of the form and the sample's figures.
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
