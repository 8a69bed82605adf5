#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Socket activation through real LISTEN_FDS: systemd-socket-activate (from
# the systemd package, the same protocol as sochid.socket) makes the Unix,
# TCP and HTTP sockets and starts sochid on the first connection, which
# waits in the queue meanwhile; sochid serves each socket as the listener
# configured at its address, keeps them from the drafter, and leaves the
# Unix socket in place when it stops.  A passed socket that matches no
# listener, or malformed variables, stop it at start; variables meant for
# another process are ignored.
. "$(dirname "$0")/lib.sh"
command -v systemd-socket-activate >/dev/null ||
	fail "systemd-socket-activate not found (package systemd; script/bootstrap installs it)"
sb_up
sandbox down --sochid >/dev/null
[ ! -e "$SOCHI_SOCKET" ] || fail "sochid left its own socket behind"
log=$SOCHI_SANDBOX_DIR/sochid.log
: >"$log"

sock=$SOCHI_SOCKET tcp=$SOCHI_TCP http=${SOCHI_HTTP#http://} syslog=$SOCHI_SYSLOG
systemd-socket-activate -E PGUSER=sochi -l "$sock" -l "$tcp" -l "$http" -l "$syslog" \
	"$SOCHID" -f "$SOCHI_CONFIG" >>"$log" 2>&1 </dev/null &
pid=$!
# systemd-socket-activate execs sochid in its place: the same process.
echo "$pid" >"$SOCHI_SANDBOX_DIR/sochid.pid"
wait_for 20 '[ -S "$sock" ] && grep -q "Listening on" "$log"' ||
	fail "systemd-socket-activate did not listen: $(cat "$log")"
grep -q "ready" "$log" && fail "sochid started before any connection"

# The first client's connection starts sochid and is answered by it.
a=$(ndjson '{"kind":"incident","op":"open","title":"起動","at":"2026-11-20T12:00:00+09:00"}')
expect_match "answer through the passed Unix socket" "$a" '^\{"ok":true,"id":[0-9]+,"incident":"[^"]+"\}$'
inc=$(sed -n 's/.*"incident":"\([^"]*\)".*/\1/p' <<<"$a")
grep -q "ready (pid $pid)" "$log" || fail "sochid is not the activated process: $(tail -n 5 "$log")"
expect_match "Unix listener" "$(cat "$log")" "listening on $sock \(socket from systemd\)"
expect_match "TCP listener" "$(cat "$log")" "listening for NDJSON on tcp $tcp \(socket from systemd\)"
expect_match "HTTP listener" "$(cat "$log")" "listening for HTTP on $http \(socket from systemd\)"
expect_match "syslog listener" "$(cat "$log")" "listen_syslog_tcp $syslog: socket from systemd"
pass "started by the first connection; the Unix socket answers"

act() { echo "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:0$1:00+09:00\",\"text\":\"$2\",\"key\":\"sa-$1\"}"; }
exec 3<>"/dev/tcp/${tcp%:*}/${tcp##*:}"
printf '%s\n' "{\"auth\":\"$SOCHI_TOKEN\"}" "$(act 1 tcp)" >&3
out=$(timeout 10 head -n 2 <&3) || true
exec 3<&-
expect_match "answer through the passed TCP socket" "$(tail -n 1 <<<"$out")" '^\{"ok":true,"id":[0-9]+[,}]'
code=$(curl -s -o "$T/http.out" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "$(act 2 http)" "$SOCHI_HTTP/v1/events")
expect_eq "answer through the passed HTTP socket" "$code" 200
expect_eq "stored" "$(sql "select count(*) from event where source_key in ('sa-1', 'sa-2')")" 2
pass "TCP and HTTP served on the passed sockets"

# The passed sockets are sochid's alone: not the drafter's.
drafter=$(pgrep -P "$pid" -f 'sochid: drafter' | head -n 1 || true)
wait_for 10 'drafter=$(pgrep -P "$pid" -f "sochid: drafter" | head -n 1); [ -n "$drafter" ]' ||
	fail "no drafter under sochid"
passed=$(for fd in 3 4 5 6; do readlink "/proc/$pid/fd/$fd"; done)
expect_match "sochid holds the passed sockets" "$(head -n 1 <<<"$passed")" '^socket:'
for s in $passed; do
	for f in /proc/"$drafter"/fd/*; do
		[ "$(readlink "$f")" != "$s" ] || fail "the drafter holds a passed socket ($s)"
	done
done
tr '\0' '\n' <"/proc/$drafter/environ" | grep -q '^LISTEN_' &&
	fail "the drafter inherited LISTEN_* variables"
pass "the drafter holds none of them"

kill -TERM "$pid"
wait_for 30 '! alive "$pid"' || fail "sochid did not stop"
[ -S "$sock" ] || fail "sochid removed the socket systemd made"
pass "the socket stays after sochid stops"
rm -f "$sock"

# A passed socket that no listener is configured for: refused at start,
# naming it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$T/other.log"
systemd-socket-activate -E PGUSER=sochi -l "$sock" -l "127.0.0.1:$port" \
	"$SOCHID" -f "$SOCHI_CONFIG" >"$T/other.log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$SOCHI_SANDBOX_DIR/sochid.pid"
wait_for 20 '[ -S "$sock" ] && grep -q "Listening on" "$T/other.log"' || fail "not listening"
exec 3<>"/dev/tcp/127.0.0.1/$port"
wait_for 30 '! alive "$pid"' || fail "sochid runs with a socket it cannot match"
exec 3<&-
rc=0; wait "$pid" || rc=$?
expect_eq "exit status" "$rc" 1
expect_match "message" "$(cat "$T/other.log")" "socket activation: systemd passed stream 127.0.0.1:$port, which matches no listener of $SOCHI_CONFIG"
rm -f "$sock"
pass "a socket no listener is configured for is refused"

# Variables that are malformed: refused; meant for another process: ignored.
rc=0
out=$(LISTEN_FDS=two bash -c 'LISTEN_PID=$$ exec "$0" -f "$1"' "$SOCHID" "$SOCHI_CONFIG" 2>&1) || rc=$?
expect_eq "exit status, malformed" "$rc" 1
expect_match "malformed" "$out" "socket activation: LISTEN_FDS is not a count from 0 to 64: two"
LISTEN_PID=1 LISTEN_FDS=1 "$SOCHID" -f "$SOCHI_CONFIG" >>"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$SOCHI_SANDBOX_DIR/sochid.pid"
wait_for 30 'grep -q "ready (pid $pid)" "$log"' || fail "sochid did not start: $(tail -n 5 "$log")"
expect_match "binds its own" "$(grep "listening on $sock" "$log" | tail -n 1)" "listening on $sock$"
a=$(ndjson "$(act 3 own)")
expect_match "answer on its own socket" "$a" '^\{"ok":true,"id":[0-9]+[,}]'
pass "LISTEN_FDS for another process is ignored"
