#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The database away for longer than write_timeout while traffic goes on,
# NDJSON and HTTP, with clients hanging up while they wait: sochid stays up,
# every request of a client that stayed gets exactly one answer, in order,
# and once the database is back new events are stored.  (This killed sochid
# with a use-after-free when an expired job stayed in its batch; script/test
# also runs it under AddressSanitizer.)
. "$(dirname "$0")/lib.sh"
# Without the journal (journal = off): what waits past write_timeout is
# refused; journal.sh and the fault_*.sh tests cover it with one.
export SOCHI_SANDBOX_JOURNAL=off
export SOCHI_SANDBOX_WRITE_TIMEOUT=2
sb_up
inc=$(open_incident "outage")
pid=$(sochid_pid)
sandbox down --postgres

# Six NDJSON clients send a line every 0.3 s for 5 s; three of them hang up
# halfway without reading.  Each of the others checks it got one answer per
# line, numbered in order, each either stored or refused with a reason.
python3 - "$SOCHI_SOCKET" "$inc" >"$T/ndjson" 2>&1 <<'PY' &
import json, socket, sys, threading, time
path, inc = sys.argv[1], sys.argv[2]
errors, results = [], {}
def client(k, hang_up):
    s = socket.socket(socket.AF_UNIX); s.connect(path); s.settimeout(30)
    n = 0
    for i in range(16):
        line = {"kind": "action", "incident": inc, "at": "2026-11-20T12:00:00+09:00",
                "text": "during the outage", "key": "out-%d-%d" % (k, i)}
        s.sendall((json.dumps(line) + "\n").encode()); n += 1
        time.sleep(0.3)
        if hang_up and i == 8:
            s.close(); return
    buf = b""
    while buf.count(b"\n") < n:
        chunk = s.recv(65536)
        if not chunk: break
        buf += chunk
    s.close()
    answers = [json.loads(l) for l in buf.decode().splitlines()]
    if len(answers) != n:
        errors.append("client %d: %d answers for %d lines" % (k, len(answers), n)); return
    for i, a in enumerate(answers):
        if not a.get("ok") and (a.get("line") != i + 1 or not a.get("error")):
            errors.append("client %d: answer %d: %s" % (k, i + 1, a))
    results[k] = sum(1 for a in answers if a.get("ok")), sum(1 for a in answers if not a.get("ok"))
ts = [threading.Thread(target=client, args=(k, k % 2 == 1)) for k in range(6)]
[t.start() for t in ts]; [t.join() for t in ts]
print("ndjson clients (ok, refused):", results)
for e in errors: print("ERROR", e)
sys.exit(1 if errors or len(results) != 3 else 0)
PY
py=$!

# HTTP: a request every 0.4 s; every other one gives up after 0.5 s.
for i in $(seq 1 12); do
	body="{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"http\",\"key\":\"outh-$i\"}"
	if [ $((i % 2)) = 0 ]; then
		curl -s -o /dev/null -m 0.5 -H "Authorization: Bearer $SOCHI_TOKEN" -d "$body" "$SOCHI_HTTP/v1/events" &
	else
		curl -s -o "$T/http.$i" -w '%{http_code}\n' -m 20 -H "Authorization: Bearer $SOCHI_TOKEN" -d "$body" "$SOCHI_HTTP/v1/events" >"$T/code.$i" &
	fi
	sleep 0.4
done
wait $py || fail "NDJSON clients: $(cat "$T/ndjson")"
wait
cat "$T/ndjson"
for i in $(seq 1 2 12); do
	expect_eq "HTTP request $i while the database is away" "$(cat "$T/code.$i")" 503
	expect_match "its body" "$(cat "$T/http.$i")" '"error":"not stored: the database has been unavailable for 2 s'
done
kill -0 "$pid" 2>/dev/null || fail "sochid died"
pass "the database away past write_timeout: every waiting client got one answer, sochid stayed up"

eval "$(sandbox up)"
for _ in $(seq 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$SOCHI_HTTP/healthz")" = 200 ] && break
	sleep 0.1
done
expect_match "stored after the outage" "$(ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"after\"}")" '^\{"ok":true'
kill -0 "$pid" 2>/dev/null || fail "sochid died"
! grep -q "AddressSanitizer\|runtime error" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "sanitizer: $(grep -m3 "AddressSanitizer\|runtime error" "$SOCHI_SANDBOX_DIR/sochid.log")"
pass "sochid reconnects by itself and stores again"
