#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Limits that keep sochid reachable: TCP and HTTP clients, however many,
# never take the Unix socket's connections (the CLI's); a TCP client that
# does not authenticate within auth_timeout is closed, and so is an idle
# connection after idle_timeout; an HTTP client sending a byte now and then
# is answered 408 after http_request_timeout; out of file descriptors,
# accept() pauses instead of spinning, and says so once.  sochid refuses to
# remove a file at its socket path that is not a socket, and a second
# sochid on the same socket path.
. "$(dirname "$0")/lib.sh"
sb_up
sandbox down --sochid
sed -i 's/^listen_http = .*/&\nmax_clients_tcp = 20\nmax_clients_http = 20\nauth_timeout = 2\nidle_timeout = 4\nhttp_request_timeout = 3/' "$SOCHI_CONFIG"
eval "$(sandbox up)"
inc=$("$SOCHI" open 制限 --category 5)
host=${SOCHI_TCP%:*} port=${SOCHI_TCP##*:}
hport=${SOCHI_HTTP##*:}

# 60 idle TCP and 60 idle HTTP connections, never a byte.
python3 - "$host" "$port" "$hport" >"$T/hold" 2>&1 <<'PY' &
import socket, sys, time
host, port, hport = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held = []
for p in (port, hport):
    for i in range(60):
        s = socket.socket(); s.settimeout(1)
        try:
            s.connect((host, p)); held.append(s)
        except OSError:
            pass
print(len(held), flush=True)
time.sleep(8)
PY
holder=$!
extra_pids+=("$holder")
wait_for 30 '[ -s "$T/hold" ]' || fail "the connections were not made"
wait_for 30 'grep -q "tcp: 20 connections open (max_clients_tcp = 20): not accepting more until one closes" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "the TCP cap was not reached"
wait_for 30 'grep -q "http: 20 connections open (max_clients_http = 20): not accepting more until one closes" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "the HTTP cap was not reached"
expect_match "the CLI meanwhile" "$("$SOCHI" log -i "$inc" --at -1m 満員でも)" '^recorded event [0-9]+'
pass "120 idle TCP and HTTP connections: each listener stops at its cap; the CLI still writes"

# No authentication within auth_timeout: closed.
wait $holder 2>/dev/null || true
out=$(python3 - "$host" "$port" <<'PY'
import socket, sys, time
s = socket.socket(); s.connect((sys.argv[1], int(sys.argv[2]))); s.settimeout(10)
t = time.time(); data = s.recv(4096)
print("closed after %.0f s" % (time.time() - t) if not data else data.decode().strip())
PY
)
expect_match "no authentication" "$out" 'closed after [1-4] s'
grep -q "no authentication within 2 s; closed" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the auth timeout was not logged"
pass "a TCP client that does not authenticate is closed after auth_timeout ($out)"

# Idle after authenticating: closed after idle_timeout.
out=$(python3 - "$host" "$port" "$SOCHI_TOKEN" <<'PY'
import socket, sys, time
s = socket.socket(); s.connect((sys.argv[1], int(sys.argv[2]))); s.settimeout(20)
s.sendall(b'{"auth":"%s"}\n' % sys.argv[3].encode()); print(s.recv(4096).decode().strip())
t = time.time(); data = s.recv(4096)
print("closed after %.0f s" % (time.time() - t) if not data else "got " + data.decode())
PY
)
expect_match "idle TCP" "$out" 'closed after [3-9] s'
pass "an idle connection is closed after idle_timeout"

# A byte every second: 408 once http_request_timeout is past.
out=$(python3 - "$host" "$hport" <<'PY'
import socket, sys, time
s = socket.socket(); s.connect((sys.argv[1], int(sys.argv[2]))); s.settimeout(1)
req = b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 100
t = time.time(); got = b""
for b in req:
    try:
        s.sendall(bytes([b]))
    except OSError:
        break
    try:
        got += s.recv(4096)
        if got: break
    except socket.timeout:
        pass
print("%.0f %s" % (time.time() - t, got.decode().split("\r\n")[0]))
PY
)
expect_match "slow HTTP" "$out" '^[3-9] HTTP/1.1 408 Request Timeout$'
pass "an HTTP request trickling in a byte a second is answered 408 after http_request_timeout"

# Out of descriptors: accept pauses and says so once, then serves again.
pid=$(sochid_pid)
soft=$(prlimit --pid "$pid" --nofile --output SOFT --noheadings | tr -d " ")
# A few descriptors above what it holds now (which depends on the build and
# on what is configured), so that accepting runs out before the HTTP cap.
nfd=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
prlimit --pid "$pid" --nofile=$((nfd + 4)):
python3 - "$host" "$hport" >"$T/many" <<'PY'
import socket, sys, time
held = []
for i in range(60):
    s = socket.socket(); s.settimeout(0.2)
    try:
        s.connect((sys.argv[1], int(sys.argv[2]))); held.append(s)
    except OSError:
        pass
time.sleep(3)
print(len(held))
PY
wait_for 30 'grep -q "accept: Too many open files; not accepting for a second" "$SOCHI_SANDBOX_DIR/sochid.log"' || fail "the accept failure was not reported"
n=$(grep -c "accept: Too many open files" "$SOCHI_SANDBOX_DIR/sochid.log")
[ "$n" -le 6 ] || fail "accept's failure was logged $n times in a few seconds: it spins"
prlimit --pid "$pid" --nofile="$soft":
wait_for 30 '"$SOCHI" log -i "$inc" --at -1m 再開 >/dev/null 2>&1' || fail "not serving again"
pass "out of file descriptors, accept pauses ($n lines logged) and serves again"

# The socket path: never a file that is not a socket; one sochid per path.
sandbox down --sochid
sock=$(sed -n 's/^socket = //p' "$SOCHI_CONFIG")
rm -f "$sock"; echo "precious" >"$sock"
rc=0; out=$("$SOCHID" -f "$SOCHI_CONFIG" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "sochid started over a regular file"
expect_match "refusal" "$out" "exists and is not a socket; not removing it"
expect_eq "the file" "$(cat "$sock")" precious
rm -f "$sock"
eval "$(sandbox up)"
sed -e "s/^listen_tcp = .*/listen_tcp =/" -e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" "$SOCHI_CONFIG" >"$T/second.conf"
rc=0; out=$(timeout 20 "$SOCHID" -f "$T/second.conf" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "a second sochid started on the same socket path"
expect_match "second" "$out" "another sochid"
expect_match "the first still serves" "$("$SOCHI" log -i "$inc" --at -1m 一つだけ)" '^recorded event'
pass "sochid removes only a socket at its path, and one sochid holds a path"

# The unit gives sochid more descriptors than the default caps add up to,
# with room for what it holds besides, so that the caps bound connections.
caps=$(( $("$SOCHID" --print-config -f /dev/null | sed -n 's/^sochid\.max_clients_[a-z]* = //p' | paste -sd+) ))
nofile=$(sed -n 's/^LimitNOFILE=//p' "$top_srcdir/systemd/sochid.service.in")
[ -n "$nofile" ] || fail "no LimitNOFILE= in systemd/sochid.service.in"
[ "$nofile" -ge $((caps + 256)) ] || fail "LimitNOFILE=$nofile, below the default caps ($caps) and 256 more"
pass "LimitNOFILE=$nofile in the unit covers the default caps ($caps)"
