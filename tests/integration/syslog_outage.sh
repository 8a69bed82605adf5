#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Syslog lines while the database is away.  With the journal on, they are
# journaled (counted so in /healthz) and stored once it is back, in their
# incident.  With the journal off and max_pending_bytes spent, a datagram
# is refused, counted and logged once (UDP has no way to wait), while a
# TCP connection stops being read and loses nothing: its lines are all
# stored once the database returns.
. "$(dirname "$0")/lib.sh"
sb_up
ndjson '{"kind":"incident","op":"open","code":"RTR-1","title":"東京ルータ障害","equipment":"tokyo-rtr1"}' | grep -q '"ok":true' ||
	fail "setup"
sport=${SOCHI_SYSLOG##*:}

counter() {
	curl -s "$SOCHI_HTTP/healthz" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["syslog"][sys.argv[1]])' "$1"
}
# lines PREFIX N: N Cisco command lines, octet-counted, on one connection
# to PORT (default: the TCP listener); waits until sochid closes it.
lines() {
	python3 - "${3:-$sport}" "$1" "$2" <<'PY'
import socket, sys, time
port, prefix, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
t = time.strftime("%b %e %H:%M:%S", time.localtime())
out = b""
for i in range(n):
    m = ("<189>%s tokyo-rtr1 52: %%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  "
         "logged command:%s %d" % (t, prefix, i)).encode()
    out += b"%d " % len(m) + m
s = socket.create_connection(("127.0.0.1", port))
s.sendall(out)
s.shutdown(socket.SHUT_WR)
s.settimeout(300)
s.recv(1)
PY
}
stored() { sql "select count(*) from event e join incident i on i.id = e.incident_id
	where i.code = 'RTR-1' and e.text like '%「$1 %'"; }

sandbox down --postgres
TZ=Asia/Tokyo lines journaled 3
wait_for 60 '[ "$(counter journaled)" = 3 ]' || fail "journaled: $(counter journaled)"
curl -s "$SOCHI_HTTP/healthz" | grep -q '"journaling":true' || fail "not journaling"
eval "$(sandbox up)"
wait_for 60 '[ "$(stored journaled)" = 3 ]' || fail "the journaled lines were not stored: $(stored journaled)"
pass "with PostgreSQL stopped, syslog lines are journaled and stored in their incident once it is back"

# Journal off, the smallest budget, a long write_timeout.
sandbox down --sochid
sed -i 's/^journal = .*/journal = off/; s/^write_timeout = .*/write_timeout = 300/' "$SOCHI_CONFIG"
cat >>"$SOCHI_CONFIG" <<EOF
[sochid]
listen_syslog_udp = 127.0.0.1:$sport
max_pending_bytes = 65536
EOF
eval "$(sandbox up)"
sport=${SOCHI_SYSLOG##*:}
uport=$(sed -n 's/^listen_syslog_udp = 127\.0\.0\.1://p' "$SOCHI_CONFIG")
sandbox down --postgres
TZ=Asia/Tokyo python3 - "$uport" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = time.strftime("%b %e %H:%M:%S", time.localtime())
for i in range(300):
    s.sendto(("<189>%s tokyo-rtr1 52: %%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  "
              "logged command:udp %d" % (t, i)).encode(), ("127.0.0.1", int(sys.argv[1])))
    if i % 50 == 49:
        time.sleep(0.05)
PY
wait_for 60 '[ "$(counter received)" = 300 ]' || fail "received $(counter received) of 300 datagrams"
refused=$(counter refused)
[ "$refused" -gt 0 ] || fail "no datagram refused with max_pending_bytes spent"
n=$(grep -c "was not stored: sochid holds as many unanswered events as max_pending_bytes allows" "$SOCHI_SANDBOX_DIR/sochid.log")
expect_eq "logged once" "$n" 1
pass "UDP with the budget spent: $refused of 300 datagrams refused, counted, logged once"

TZ=Asia/Tokyo lines tcp 200 &
sender=$!
extra_pids+=("$sender")
wait_for 60 '[ "$(counter paused)" = 1 ]' || fail "the TCP connection did not pause: $(curl -s "$SOCHI_HTTP/healthz")"
eval "$(sandbox up)"
wait "$sender" || fail "the TCP sender failed"
wait_for 120 '[ "$(stored tcp)" = 200 ]' || fail "TCP lines stored: $(stored tcp) of 200"
wait_for 120 '[ "$(stored udp)" = $((300 - refused)) ]' || fail "UDP lines stored: $(stored udp), wanted $((300 - refused))"
expect_eq "no TCP line refused" "$(counter refused)" "$refused"
pass "a TCP connection waits for room instead: all 200 lines stored once the database is back"
