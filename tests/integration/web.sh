#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The read-only web view and the read API, answered by the `sochid: web`
# worker on connections the ingest process hands it: the list, an incident
# with its timeline, figures and draft (as headless Chromium sees the DOM),
# the live update through the event stream, the stored drafts and their
# diff, the JSON API against the CLI's output, and access: loopback without
# a token, any other address (127.0.0.2 here) with a token or the cookie
# GET /login sets.
. "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || fail "chromium is not installed (script/bootstrap installs it)"
sb_up
H=$SOCHI_HTTP
"$SOCHI" send -q "$top_srcdir/tests/fixtures/sample-incident.ndjson" || fail "sample not stored"

# code URL [CURL ARGS...]: the HTTP status only.
code() { local u=$1; shift; curl -s -m 30 -o /dev/null -w '%{http_code}' "$@" "$u"; }

web_pid=$(pgrep -P "$(sochid_pid)" -f '^sochid: web') || fail "no process titled 'sochid: web'"
pass "sochid started its web worker (pid $web_pid)"

# --- The front page and the list API. ---
page=$(curl -s -m 30 "$H/")
for want in SAMPLE-1 電子メールサービスの障害 2時間15分間 10日間11時間40分間 58,990人 'serious' '2026-12-16' '<meta http-equiv="refresh"'; do
	grep -qF -- "$want" <<<"$page" || fail "/ lacks '$want'"
done
curl -s -m 30 "$H/v1/incidents" | grep -v '"now"' >"$T/api-list.json"
"$SOCHI" list --json | grep -v '"now"' >"$T/cli-list.json"
diff "$T/cli-list.json" "$T/api-list.json" >"$T/list.diff" ||
	fail "GET /v1/incidents differs from sochi list --json: $(head -n 5 "$T/list.diff")"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert any(i["code"] == "SAMPLE-1" for i in j["incidents"])' "$T/api-list.json" ||
	fail "GET /v1/incidents does not list SAMPLE-1"
pass "/ and GET /v1/incidents list SAMPLE-1 with the figures of sochi list --json"

# A running impact's 継続時間 is marked provisional on the list.
b=$(open_incident "試験用の障害")
ndjson "{\"kind\":\"impact\",\"op\":\"start\",\"incident\":\"$b\",\"at\":\"2026-11-20T12:00:00+09:00\",\"name\":\"voice\",\"label\":\"通話ができない\"}" >/dev/null
curl -s -m 30 "$H/" >"$T/list.html"
python3 - "$b" "$T/list.html" <<'PY' || fail "the running impact of $b is not marked provisional on /"
import re, sys
page = open(sys.argv[2], encoding="utf-8").read()
row = re.search(r'<tr[^>]*>(?:(?!</tr>).)*' + re.escape(sys.argv[1]) + r'(?:(?!</tr>).)*</tr>', page, re.S)
assert row and "暫定" in row.group(0), row and row.group(0)
PY
pass "a running impact's 継続時間 is marked provisional (暫定)"

# --- The JSON report and the timeline. ---
curl -s -m 30 "$H/v1/incidents/SAMPLE-1" >"$T/api-report.json"
"$SOCHI" report -i SAMPLE-1 --format json >"$T/cli-report.json"
curl -s -m 30 "$H/v1/incidents/SAMPLE-1/timeline" >"$T/api-timeline.json"
python3 - "$T/api-report.json" "$T/cli-report.json" "$T/api-timeline.json" <<'PY' || fail "the JSON report of the API differs from sochi report --format json"
import json, sys
api, cli, tl = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:])
assert api["format"] == cli["format"], (api["format"], cli["format"])
for k in ("incident", "occurred", "impacts", "users", "timeline", "classification", "missing"):
    assert api[k] == cli[k], k
assert tl["format"] == "sochi-timeline/1"
assert [e["event_id"] for e in tl["timeline"]] == [e["event_id"] for e in cli["timeline"]]
assert len(cli["timeline"]) == 11, len(cli["timeline"])
PY
pass "GET /v1/incidents/SAMPLE-1 is the JSON report sochi report prints; /timeline its entries"

# --- The incident's page, as a browser builds its DOM. ---
dom() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T/chromium" --dump-dom "$1" 2>"$T/chromium.log"
}
dom "$H/incidents/SAMPLE-1" >"$T/dom.html" || fail "chromium could not load the page: $(tail -n 3 "$T/chromium.log")"
python3 - "$T/dom.html" "$T/cli-report.json" <<'PY' || fail "the page's DOM lacks part of the sample"
import json, sys
from html.parser import HTMLParser
dom = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2], encoding="utf-8"))
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set(); self.events = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "tr" and "data-event" in a: self.events.append(int(a["data-event"]))
p = P(); p.feed(dom)
want = [e["event_id"] for e in rep["timeline"]]
assert p.events == want, (p.events, want)
for i in ("incident", "timeline", "report", "users-chart", "timeline-chart"):
    assert i in p.ids, "no #" + i
for e in rep["timeline"]:
    assert e["text"].split("\n")[0][:20] in dom, e["text"]
for t in ("58,990人", "2時間15分間", "10日間11時間40分間", "重大な事故報告書（詳報）"):
    assert t in dom, t
print("entries:", len(p.events))
PY
pass "Chromium's DOM of /incidents/SAMPLE-1 holds every timeline entry, the figures and both attachments' charts"
dom "$H/" | grep -qF 'href="/incidents/SAMPLE-1"' || fail "Chromium's DOM of / has no link to SAMPLE-1"
pass "Chromium's DOM of / links to the incident"

# The one script runs under the page's policy: the header names its hash.
curl -s -m 30 -D "$T/h" "$H/incidents/SAMPLE-1" >"$T/page.html"
python3 - "$T/h" "$T/page.html" <<'PY' || fail "the policy does not name the page's script"
import base64, hashlib, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
page = open(sys.argv[2], encoding="utf-8").read()
csp = re.search(r"^Content-Security-Policy: (.*)$", h, re.M | re.I).group(1)
scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
assert len(scripts) == 1, len(scripts)
d = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
assert "'sha256-%s'" % d in csp, csp
assert "default-src 'none'" in csp
PY
grep -qF '<noscript><meta http-equiv="refresh"' "$T/page.html" || fail "no meta refresh for pages without script"
pass "the page's script is allowed by hash alone; without script it refreshes itself"

# --- The live update: an event arrives, the stream sends the page anew. ---
last=$(sed -n 's/.*data-last-event="\([0-9]*\)".*/\1/p' "$T/page.html" | head -n 1)
[ -n "$last" ] || fail "the page does not say its newest event"
curl -s -N -m 60 "$H/incidents/SAMPLE-1/events?since=$last" >"$T/stream" 2>/dev/null &
extra_pids+=($!)
wait_for 20 "grep -q '^: following SAMPLE-1' '$T/stream'" || fail "the event stream did not start"
grep -q '^event: update' "$T/stream" && fail "the stream sent an update though nothing changed"
t0=$(date +%s%N)
ndjson '{"kind":"action","incident":"SAMPLE-1","at":"2026-11-27T09:00:00+09:00","phase":"recover","text":"ライブ更新の確認","actor":"試験"}' | grep -q '"ok":true' ||
	fail "the new event was not taken"
wait_for 10 "grep -q 'ライブ更新の確認' '$T/stream'" || fail "the new event did not reach the stream: $(cat "$T/stream")"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 2000 ] || fail "the new event took $ms ms to reach the open page (at most 2000)"
grep -q '^id: [0-9]' "$T/stream" || fail "the update has no id to resume from"
pass "a new event reaches the open page's stream in $ms ms"

# --- Stored drafts: the list, one, the diff. ---
wait_for 60 "\"$SOCHI\" drafts -i SAMPLE-1 | grep -q recovery" || fail "the drafter made no drafts"
page=$(curl -s -m 30 "$H/incidents/SAMPLE-1/drafts")
for want in '/incidents/SAMPLE-1/drafts/0' '/incidents/SAMPLE-1/drafts/1' 速報 'action="/incidents/SAMPLE-1/drafts/diff"' '<select name="b">'; do
	grep -qF -- "$want" <<<"$page" || fail "the drafts page lacks '$want'"
done
curl -s -m 30 "$H/incidents/SAMPLE-1/drafts/0" >"$T/d0.html"
grep -qF '重大な事故の発生について（速報）' "$T/d0.html" || fail "draft 0 is not the stored 速報"
curl -s -m 30 "$H/incidents/SAMPLE-1/drafts/diff?a=0&b=1" >"$T/diff.html"
"$SOCHI" diff -i SAMPLE-1 0 1 >"$T/cli.diff" || true
grep -q 'class="del"' "$T/diff.html" && grep -q 'class="add"' "$T/diff.html" ||
	fail "the diff page shows no deleted and added lines"
expect_eq "missing draft" "$(code "$H/incidents/SAMPLE-1/drafts/99")" 404
expect_eq "diff without versions" "$(code "$H/incidents/SAMPLE-1/drafts/diff?a=0")" 400
pass "the drafts page lists both drafts, shows one and the diff between two"

# --- Errors. ---
expect_eq "unknown incident page" "$(code "$H/incidents/NOPE-9")" 404
expect_eq "unknown incident API" "$(code "$H/v1/incidents/NOPE-9")" 404
expect_eq "not a code" "$(code "$H/incidents/..%2Fetc")" 404
expect_eq "POST to the read API" "$(code "$H/v1/incidents" -X POST -d x)" 405
expect_eq "no such page" "$(code "$H/nowhere")" 404
expect_eq "an unknown format" "$(code "$H/v1/incidents/SAMPLE-1/report?format=pdf")" 400
expect_eq "the report as md" "$(code "$H/v1/incidents/SAMPLE-1/report?format=md")" 200
pass "unknown incidents and pages are 404, a POST 405, an unknown format 400"

# --- Access. ---
expect_eq "/ from 127.0.0.2" "$(code "$H/" --interface 127.0.0.2)" 401
expect_eq "/v1/incidents from 127.0.0.2" "$(code "$H/v1/incidents" --interface 127.0.0.2)" 401
expect_eq "/incidents/SAMPLE-1 from 127.0.0.2" "$(code "$H/incidents/SAMPLE-1" --interface 127.0.0.2)" 401
expect_eq "events from 127.0.0.2" "$(code "$H/incidents/SAMPLE-1/events" --interface 127.0.0.2)" 401
expect_eq "forwarded from loopback" "$(code "$H/v1/incidents" -H 'X-Forwarded-For: 192.0.2.1')" 401
expect_eq "a wrong token" "$(code "$H/v1/incidents" --interface 127.0.0.2 -H 'Authorization: Bearer nottoken')" 401
curl -s -m 30 --interface 127.0.0.2 "$H/incidents/SAMPLE-1" | grep -qF 'action="/login"' ||
	fail "a person without a token is not offered the login form"
expect_eq "the token" "$(code "$H/v1/incidents" --interface 127.0.0.2 -H "Authorization: Bearer $SOCHI_TOKEN")" 200
expect_eq "a wrong login" "$(code "$H/login?token=nottoken" --interface 127.0.0.2)" 401
curl -s -m 30 --interface 127.0.0.2 -D "$T/login.h" -o /dev/null "$H/login?token=$SOCHI_TOKEN&next=/incidents/SAMPLE-1"
grep -q '^HTTP/1.1 303' "$T/login.h" || fail "login did not redirect: $(head -n 1 "$T/login.h")"
grep -qi '^Location: /incidents/SAMPLE-1' "$T/login.h" || fail "login did not go on to next"
cookie=$(sed -n 's/^Set-Cookie: \(sochi_session=[0-9a-f]*\);.*/\1/Ip' "$T/login.h" | tr -d '\r')
[ -n "$cookie" ] || fail "login set no cookie"
grep -qi '^Set-Cookie: .*HttpOnly.*SameSite=Strict' "$T/login.h" || fail "the cookie is not HttpOnly and SameSite=Strict"
expect_eq "the cookie on a page" "$(code "$H/incidents/SAMPLE-1" --interface 127.0.0.2 -b "$cookie")" 200
expect_eq "the cookie on the API" "$(code "$H/v1/incidents/SAMPLE-1/timeline" --interface 127.0.0.2 -b "$cookie")" 200
expect_eq "a forged cookie" "$(code "$H/" --interface 127.0.0.2 -b "sochi_session=${cookie#sochi_session=}0")" 401
# The cookie reads; it does not write.
v=${cookie#sochi_session=}
expect_eq "the cookie as a token for events" "$(code "$H/v1/events" -H "Authorization: Bearer $v" -H 'Content-Type: application/json' -d '{"kind":"note","incident":"SAMPLE-1","section":"cause.summary","text":"x"}')" 401
expect_eq "an open redirect" "$(curl -s -m 30 -o /dev/null -w '%{redirect_url}' "$H/login?token=$SOCHI_TOKEN&next=//example.org/")" "${H}/"
pass "loopback reads without a token; 127.0.0.2 gets 401 without one, 200 with the token or the /login cookie"

# --- The worker dies: sochid starts it again, the ingest path never stopped. ---
kill -KILL "$web_pid"
ndjson '{"kind":"note","incident":"SAMPLE-1","section":"cause.summary","text":"作業手順の誤り"}' | grep -q '"ok":true' ||
	fail "an event was refused while the web worker was down"
wait_for 30 "[ \"\$(code '$H/v1/incidents')\" = 200 ]" || fail "the web view did not come back"
new=$(pgrep -P "$(sochid_pid)" -f '^sochid: web') || fail "no web worker after the restart"
[ "$new" != "$web_pid" ] || fail "the web worker was not started again"
curl -s -m 10 "$H/healthz" | grep -q '"web":"running"' || fail "/healthz does not say the web view runs"
pass "a killed web worker is started again (pid $new) while events are still taken"

# --- Its limits: [web] max_clients connections at once, [web] timeout. ---
sandbox down --sochid
printf '\n[web]\nmax_clients = 2\ntimeout = 2\n' >>"$SOCHI_CONFIG"
eval "$(sandbox up)"
wait_for 30 "[ \"\$(code '$H/v1/incidents')\" = 200 ]" || fail "the web view did not start again"
for i in 1 2; do
	curl -s -N -m 60 "$H/incidents/SAMPLE-1/events" >"$T/stream$i" 2>/dev/null &
	extra_pids+=($!)
done
wait_for 20 "grep -q '^: following' '$T/stream1' && grep -q '^: following' '$T/stream2'" || fail "two streams did not start"
curl -s -m 30 -D "$T/busy.h" -o "$T/busy" "$H/v1/incidents"
grep -q '^HTTP/1.1 503' "$T/busy.h" || fail "a third connection past max_clients = 2 was not refused: $(head -n 1 "$T/busy.h")"
grep -q 'max_clients' "$T/busy" || fail "the refusal does not say why: $(cat "$T/busy")"
for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait_for 20 "[ \"\$(code '$H/v1/incidents')\" = 200 ]" || fail "the web view did not serve again once the streams ended"
pass "past [web] max_clients a connection is answered 503 at once, and served again once streams end"

sandbox down --postgres
t0=$SECONDS
st=$(code "$H/v1/incidents")
expect_eq "the API while the database is away" "$st" 503
[ $((SECONDS - t0)) -le 20 ] || fail "the 503 took $((SECONDS - t0)) s with [web] timeout = 2"
expect_eq "a page while the database is away" "$(code "$H/incidents/SAMPLE-1")" 503
eval "$(sandbox up)"
wait_for 60 "[ \"\$(code '$H/v1/incidents')\" = 200 ]" || fail "the web view did not read again once the database came back"
pass "while the database is away pages and API answer 503 within [web] timeout; they read again when it returns"
