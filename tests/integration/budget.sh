#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# max_pending_bytes bounds what all unanswered requests hold together:
# 30 concurrent POSTs of 4 MB while the database is away are taken until
# the budget is spent, the rest answered 503 with Retry-After; an NDJSON
# connection pauses meanwhile; sochid's memory stays bounded; when the
# database is back everything taken is stored and the paused connection
# goes on.
. "$(dirname "$0")/lib.sh"
# Without the journal (journal = off): what waits past write_timeout is
# refused; journal.sh and the fault_*.sh tests cover it with one.
export SOCHI_SANDBOX_JOURNAL=off
# Built with AddressSanitizer, sochid keeps freed memory in a quarantine
# (256 MB by default) that would hide whether it holds what it reads, as
# in backpressure.sh; its shadow memory and redzones add about half again
# to what the budget allows.
limit=256
case $(ldd "$SOCHID" 2>/dev/null) in
*libasan*)
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
	limit=384
	;;
esac
export SOCHI_SANDBOX_WRITE_TIMEOUT=60
sb_up
inc=$(open_incident "budget")
pid=$(sochid_pid)
budget=$(sed -n 's/^sochid.max_pending_bytes = //p' <<<"$("$SOCHID" -f "$SOCHI_CONFIG" --print-config)")
expect_eq "the default budget" "$budget" 67108864
python3 - "$inc" >"$T/body.json" <<'PY'
import json, sys
pad = "障" * 3300                      # about 10 kB of UTF-8 per event
evs = [{"kind": "action", "incident": sys.argv[1], "at": "2026-11-20T12:00:00+09:00",
        "text": pad, "key": "KEY-%d" % i} for i in range(400)]
print(json.dumps(evs, ensure_ascii=False))
PY
size=$(stat -c %s "$T/body.json")
[ "$size" -gt 3900000 ] || fail "the body is only $size bytes"
sandbox down --postgres

for i in $(seq 1 30); do
	sed "s/KEY-/b$i-/g" "$T/body.json" >"$T/body.$i"
done
for i in $(seq 1 30); do
	curl -s -o "$T/out.$i" -D "$T/head.$i" -w '%{http_code}\n' -m 120 \
		-H "Authorization: Bearer $SOCHI_TOKEN" --data-binary "@$T/body.$i" \
		"$SOCHI_HTTP/v1/events" >"$T/code.$i" &
done
# Wait until every POST was either taken or refused.
for _ in $(seq 600); do
	refused=$(cat "$T"/code.* 2>/dev/null | grep -c 503 || true)
	held=$(curl -s "$SOCHI_HTTP/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')
	[ $((refused + held / 400)) -ge 30 ] && break
	sleep 0.1
done
refused=$(cat "$T"/code.* | grep -c 503 || true)
[ "$refused" -ge 1 ] || fail "no POST was refused"
[ "$refused" -lt 30 ] || fail "every POST was refused"
grep -qi '^Retry-After: 1' $(grep -l 503 "$T"/code.* | sed 's/code/head/' | head -n 1) || fail "503 without Retry-After"
grep -q 'max_pending_bytes' $(grep -l 503 "$T"/code.* | sed 's/code/out/' | head -n 1) || fail "the 503 does not say why"
pending=$(curl -s "$SOCHI_HTTP/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending_bytes"])')
[ "$pending" -le "$budget" ] || fail "holding $pending bytes, over the budget"
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
echo "30 POSTs of $size bytes: $refused refused (503), $pending bytes held; sochid peak RSS $((hwm / 1024)) MiB"
[ "$hwm" -lt $((limit * 1024)) ] || fail "sochid grew to $((hwm / 1024)) MiB (over $limit MiB)"
pass "the budget holds: $((30 - refused)) POSTs taken, $refused answered 503 with Retry-After, peak RSS $((hwm / 1024)) MiB"

# An NDJSON sender is paused while the budget is spent...
python3 - "$SOCHI_SOCKET" "$inc" >"$T/ndjson" <<'PY' &
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(120)
s.sendall((json.dumps({"kind": "action", "incident": sys.argv[2], "at": "2026-11-20T12:00:00+09:00", "text": "paused"}) + "\n").encode())
print(s.recv(4096).decode().strip())
PY
nd=$!
sleep 1
[ -s "$T/ndjson" ] && fail "answered while the budget is spent: $(cat "$T/ndjson")"
# ... and goes on once the database is back and the held events are stored.
eval "$(sandbox up)"
wait $nd || fail "the NDJSON sender"
expect_match "the paused line" "$(cat "$T/ndjson")" '^\{"ok":true'
wait
taken=$(cat "$T"/code.* | grep -c 200 || true)
expect_eq "every POST answered" "$((taken + refused))" 30
expect_eq "stored" "$(sql "select count(*) from event where source_key like 'b%-%'")" $((taken * 400))
pass "when the database is back the $taken POSTs taken are stored and the paused connection goes on"
