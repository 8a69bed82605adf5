#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# README.md's examples work as written: every ```sh block but the first two
# (which build and test the tree) runs, in order, in one bash with -e, in an
# empty folder that has the checkout's script/ (so `script/sandbox up` is
# this test's sandbox), with nothing on PATH of sochi's but what the
# sandbox's exports put there.
. "$(dirname "$0")/lib.sh"
command -v nc >/dev/null || fail "nc not found (package netcat-openbsd)"
sandbox down --purge >/dev/null 2>&1 || true
awk '/^```sh$/ { n++; inb = 1; next } /^```/ { inb = 0; next }
	inb && n > 2 { print }' "$top_srcdir/README.md" >"$T/examples.sh"
[ "$(grep -c . "$T/examples.sh")" -ge 20 ] || fail "read too few lines from README.md: $(cat "$T/examples.sh")"
chmod 755 "$T" && mkdir "$T/work" && ln -s "$top_srcdir/script" "$T/work/script"
PATH=$(tr ':' '\n' <<<"$PATH" | grep -vx "$top_builddir/cli" | paste -sd:)
(cd "$T/work" && unset SOCHI_CONFIG SOCHI_SOCKET SOCHI_INCIDENT &&
	SOCHI_NOW=2026-11-25T15:00:00+09:00 bash -e -o pipefail "$T/examples.sh") \
	>"$T/out" 2>&1 </dev/null || fail "README.md's examples: $(tail -n 30 "$T/out")"
out=$(cat "$T/out")
expect_match "nc's answer" "$out" '^\{"ok":true,"id":1,"incident":"2026-0001"\}$'
expect_match "curl's answer" "$out" '^\{"ok":true,"id":2,"incident":"2026-0001"\}'
expect_match "psql" "$out" '障害を検知'
expect_match "check" "$out" '^classification: serious 五 A \(2時間15分間 >= 2時間, 58,990人 >= 30,000人\)$'
[ -s "$T/work/draft.html" ] && [ -s "$T/work/audit.csv" ] && [ -s "$T/work/詳報.docx" ] ||
	fail "the report files are missing or empty: $(ls -l "$T/work")"
pass "README.md's examples run as written"
