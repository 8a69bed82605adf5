#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sochi timeline --format csv and sochi alerts --format csv: RFC 4180 with a
# UTF-8 BOM and CRLF, read back with Python's csv module; the sample's rows
# are the JSON report's timeline (count, ids, times, order); --all adds the
# superseded and retracted ones with their state.
. "$(dirname "$0")/lib.sh"
sb_up
now=2026-11-28T12:00:00+09:00
"$SOCHI" send -q "$top_srcdir/tests/fixtures/sample-incident.ndjson" || fail "sample not stored"
"$SOCHI" timeline -i SAMPLE-1 --format csv >"$T/tl.csv" || fail "timeline --format csv"
"$SOCHI" report -i SAMPLE-1 --format json --now $now >"$T/r.json"
check() { # check CSV JSON [STATE...]: the CSV's current rows are the JSON's timeline
	python3 - "$@" <<'PY'
import csv, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
body = raw[3:]
assert body.endswith(b"\r\n"), "the last line does not end CRLF"
assert b"\n" not in body.replace(b"\r\n", b""), "a bare LF (none of the texts has one)"
rows = list(csv.DictReader(body.decode("utf-8").splitlines(keepends=True), strict=True))
tl = json.load(open(sys.argv[2], encoding="utf-8"))["timeline"]
cur = [r for r in rows if r["state"] == "current"]
assert len(cur) == len(tl), f"{len(cur)} current rows, {len(tl)} entries in the JSON report"
for r, e in zip(cur, tl):
    assert int(r["event_id"]) == e["event_id"], (r["event_id"], e["event_id"])
    assert r["time"] == e["at"], (r["time"], e["at"])
    assert r["text"] == e["text"] and r["phase"] == (e["phase"] or "")
    assert r["heading"] == (e["heading"] or "") and r["actor"] == (e["actor"] or "")
    uid = str(__import__("os").getuid())
    assert r["source"] == "local:" + uid and r["recorded_by"] == uid, (r["source"], r["recorded_by"])
others = sorted((r["state"], r["event_id"], r["superseded_by"], r["retracted_by"]) for r in rows if r["state"] != "current")
want = sorted(tuple(s.split(":")) for s in sys.argv[3:])
assert others == want, f"{others} != {want}"
print(len(rows))
PY
}
n=$(check "$T/tl.csv" "$T/r.json") || fail "the CSV disagrees with the JSON report"
[ "$n" -ge 10 ] || fail "only $n rows"
pass "timeline CSV: $n rows, BOM and CRLF, ids, times and texts as the JSON report's"

# A correction and a retraction: shown as they stand, and with --all as
# they were, with their state.
SOCHI_NOW=$now "$SOCHI" amend 6 -i SAMPLE-1 --text 'ストレージ機器Ａの障害と断定, "確認"' >"$T/amend" || fail "amend"
cid=$(sed -n 's/^recorded event \([0-9]*\) .*/\1/p' "$T/amend")
SOCHI_NOW=$now "$SOCHI" retract 7 -i SAMPLE-1 --why 誤入力 >"$T/retract" || fail "retract"
rid=$(sed -n 's/^recorded event \([0-9]*\) .*/\1/p' "$T/retract")
"$SOCHI" report -i SAMPLE-1 --format json --now $now >"$T/r2.json"
"$SOCHI" timeline -i SAMPLE-1 --format csv >"$T/tl2.csv"
"$SOCHI" timeline -i SAMPLE-1 --format csv --all >"$T/all.csv"
check "$T/tl2.csv" "$T/r2.json" >/dev/null || fail "after the corrections, the CSV disagrees with the JSON report"
check "$T/all.csv" "$T/r2.json" "superseded:6:$cid:" "retracted:7::$rid" >/dev/null ||
	fail "--all does not list the superseded and the retracted entry with their state"
grep -q '"ストレージ機器Ａの障害と断定, ""確認"""' "$T/all.csv" || fail "a text with a comma and quotes is not quoted as RFC 4180 says"
pass "--all adds the superseded and the retracted entries with their state; quoting per RFC 4180"

rc=0; "$SOCHI" timeline -i SAMPLE-1 --all >/dev/null 2>"$T/err" || rc=$?
expect_eq "--all without csv" "$rc" 2
rc=0; "$SOCHI" timeline -i SAMPLE-1 --format xml >/dev/null 2>"$T/err" || rc=$?
expect_eq "an unknown format" "$rc" 2
grep -q 'expected text or csv' "$T/err" || fail "no reason for the unknown format: $(cat "$T/err")"

# Alerts: one attached by a label, one corrected; csv and --all.
a1=$(ndjson '{"kind":"alert","incident":"SAMPLE-1","at":"2026-11-16T12:02:00+09:00","status":"firing","name":"StorageDown","fingerprint":"fp1","labels":{"instance":"storage-a"}}' |
	sed -n 's/.*"id":\([0-9]*\).*/\1/p')
a2=$(ndjson "{\"kind\":\"alert\",\"incident\":\"SAMPLE-1\",\"at\":\"2026-11-16T12:02:00+09:00\",\"status\":\"firing\",\"name\":\"StorageDown\",\"fingerprint\":\"fp1\",\"labels\":{\"instance\":\"storage-a,1\"},\"supersedes\":$a1}" |
	sed -n 's/.*"id":\([0-9]*\).*/\1/p')
[ -n "$a1" ] && [ -n "$a2" ] || fail "alerts not stored"
"$SOCHI" alerts --format csv >"$T/a.csv"
"$SOCHI" alerts --format csv --all >"$T/aall.csv"
python3 - "$T/a.csv" "$T/aall.csv" "$a1" "$a2" <<'PY' || fail "the alerts' CSV is wrong"
import csv, sys
def rows(p):
    raw = open(p, "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    return list(csv.DictReader(raw[3:].decode("utf-8").splitlines(keepends=True), strict=True))
a, b = rows(sys.argv[1]), rows(sys.argv[2])
assert [r["id"] for r in a] == [sys.argv[4]], a
r = a[0]
assert (r["time"], r["status"], r["name"], r["instance"], r["incident"], r["fingerprint"], r["supersedes"], r["state"]) == \
    ("2026-11-16T12:02:00+09:00", "firing", "StorageDown", "storage-a,1", "SAMPLE-1", "fp1", sys.argv[3], "current"), r
st = {r["id"]: (r["state"], r["superseded_by"]) for r in b}
assert st == {sys.argv[3]: ("superseded", sys.argv[4]), sys.argv[4]: ("current", "")}, st
PY
expect_match "alerts --all as text ends with the state" "$("$SOCHI" alerts --all | sort)" "^$a1	.*	superseded$"
pass "alerts CSV: the current alerts, and with --all the superseded one with its state"
