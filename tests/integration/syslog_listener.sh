#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The syslog listener through real sockets.  A real rsyslogd (run by this
# test as an unprivileged process with its own config, pid file and work
# folder: imtcp on a loopback port, omfwd to sochid over TCP with octet
# counting) relays what logger sends as equipment would: each logger runs
# with a host name of its own (a UTS namespace) and its clock set 3 hours
# back (faketime), so that the stored time can only be the equipment's.
# Cisco and Junos command lines become actions with those times, the
# operator as actor, in the incident of their host; sent twice they store
# once.  A sender not in [syslog] allow is dropped and counted; malformed
# syslog (bad PRI, no timestamp, invalid UTF-8, an oversize frame, not
# syslog framing at all) is counted and the listener goes on; UDP too;
# a line whose incident cannot be found is refused and counted; the TCP
# cap and idle timeout hold; the counters are in /healthz and in the log's
# summary at shutdown.
. "$(dirname "$0")/lib.sh"
for t in rsyslogd faketime unshare logger nc setpriv; do
	command -v "$t" >/dev/null || fail "$t is not installed (script/bootstrap installs rsyslog and faketime)"
done
sb_up
sandbox down --sochid
cat >>"$SOCHI_CONFIG" <<EOF

[sochid]
listen_syslog_udp = 127.0.0.1:${SOCHI_SYSLOG##*:}
max_clients_syslog = 3

[syslog]
allow = 127.0.0.1
max_message_bytes = 1024
EOF
eval "$(sandbox up)"
sport=${SOCHI_SYSLOG##*:}
uport=$(sed -n 's/^listen_syslog_udp = 127\.0\.0\.1://p' "$SOCHI_CONFIG")
grep -q "listening for syslog on tcp 127.0.0.1:$sport" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "no syslog TCP listener"
grep -q "listening for syslog on udp 127.0.0.1:$uport" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "no syslog UDP listener"

# counter NAME: the syslog counter of /healthz.
counter() {
	curl -s "$SOCHI_HTTP/healthz" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["syslog"][sys.argv[1]])' "$1"
}
# wait_counter NAME VALUE: until the counter reaches VALUE.
wait_counter() {
	wait_for 60 '[ "$(counter '"$1"')" -ge '"$2"' ]' ||
		fail "syslog counter $1 is $(counter "$1"), wanted $2"
}
# equip HOST TIME LOGGER-ARGS...: logger on equipment HOST whose clock
# stands at TIME (Asia/Tokyo).
unshare_uts=(unshare -u)
[ "$(id -u)" = 0 ] || unshare_uts=(unshare -r -u)
equip() {
	local host=$1 at=$2
	shift 2
	TZ=Asia/Tokyo faketime -f "$at" "${unshare_uts[@]}" \
		sh -c 'hostname "$0" && exec logger "$@"' "$host" "$@"
}
# tcp_send BYTES...: one connection from 127.0.0.1, each argument (a Python
# bytes expression; oc(m) frames m by octet counting) sent as it is;
# prints whether the server then closed it.
tcp_send() {
	python3 - "$sport" "$@" <<'PY'
import socket, sys
def oc(m): return b"%d " % len(m) + m
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
for m in sys.argv[2:]:
    s.sendall(eval(m))
s.shutdown(socket.SHUT_WR)
s.settimeout(30)
print("closed" if s.recv(1) == b"" else "open")
PY
}
# udp_send BYTES...: a datagram each, from 127.0.0.1.
udp_send() {
	python3 - "$uport" "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for m in sys.argv[2:]:
    s.sendto(eval(m), ("127.0.0.1", int(sys.argv[1])))
PY
}

ndjson '{"kind":"incident","op":"open","code":"RTR-1","title":"東京ルータ障害","equipment":"tokyo-rtr1"}' \
	'{"kind":"incident","op":"open","code":"MX-1","title":"大阪コア障害","equipment":"osaka-mx1"}' >"$T/open"
[ "$(grep -c '"ok":true' "$T/open")" = 2 ] || fail "setup: $(cat "$T/open")"

# rsyslogd as a relay, unprivileged, on a port it picks.
rs=$T/rsyslog
mkdir -p "$rs"
as_user=()
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$T"
	chown nobody "$rs"
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
cat >"$rs/rsyslog.conf" <<EOF
global(workDirectory="$rs")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="$rs/port" ruleset="relay")
ruleset(name="relay") {
	action(type="omfwd" target="127.0.0.1" port="$sport" protocol="tcp"
	       TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
	       action.resumeRetryCount="-1" action.resumeInterval="1")
}
EOF
chmod 644 "$rs/rsyslog.conf"
TZ=Asia/Tokyo "${as_user[@]}" rsyslogd -n -f "$rs/rsyslog.conf" -i "$rs/pid" >"$rs/log" 2>&1 </dev/null &
rs_pid=$!
extra_pids+=("$rs_pid")
wait_for 30 '[ -s "$rs/port" ]' || fail "rsyslogd did not start: $(cat "$rs/log")"
rport=$(cat "$rs/port")
pass "rsyslogd (pid $rs_pid) relays from 127.0.0.1:$rport to sochid's 127.0.0.1:$sport"

# The equipment's clocks: three hours before now, a minute apart.
at1=$(TZ=Asia/Tokyo date -d '-3 hours' '+%F %T')
at2=$(TZ=Asia/Tokyo date -d "$at1 +09:00 +1 minute" '+%F %T')
at3=$(TZ=Asia/Tokyo date -d "$at1 +09:00 +2 minutes" '+%F %T')
iso() { echo "${1/ /T}+09:00"; }
send_all() {
	equip tokyo-rtr1 "$at1" -n 127.0.0.1 -P "$rport" -T --rfc3164 -p local7.notice -t 52 \
		'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:interface GigabitEthernet0/1'
	equip tokyo-rtr1 "$at2" -n 127.0.0.1 -P "$rport" -T --rfc3164 -p local7.notice -t 53 \
		'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:shutdown'
	equip osaka-mx1 "$at1" -n 127.0.0.1 -P "$rport" -T --rfc5424 -p local7.notice -t mgd --id=4242 \
		"UI_CMDLINE_READ_LINE: User 'noc2', command 'show interfaces ge-0/0/1 '"
	equip osaka-mx1 "$at3" -n 127.0.0.1 -P "$rport" -T --rfc5424 -p local7.notice -t mgd --id=4242 \
		"UI_COMMIT: User 'noc2' requested 'commit' operation (comment: 迂回)"
	equip osaka-mx1 "$at3" -n 127.0.0.1 -P "$rport" -T --rfc5424 -p cron.info -t CRON \
		'(root) CMD (run-parts /etc/cron.hourly)'
}
send_all
wait_counter stored 4
wait_counter unmatched 1
"$SOCHI" timeline -i RTR-1 -f csv | tail -n +2 | cut -d, -f1,2,4,5,6 >"$T/rtr"
cat >"$T/rtr.want" <<EOF
$(iso "$at1"),recover,tokyo-rtr1にて設定コマンド「interface GigabitEthernet0/1」を投入,noc1,syslog:tokyo-rtr1
$(iso "$at2"),recover,tokyo-rtr1にて設定コマンド「shutdown」を投入,noc1,syslog:tokyo-rtr1
EOF
diff "$T/rtr.want" "$T/rtr" || fail "RTR-1's timeline"
"$SOCHI" timeline -i MX-1 -f csv | tail -n +2 | cut -d, -f1,2,4,5,6 >"$T/mx"
cat >"$T/mx.want" <<EOF
$(iso "$at1"),identify,osaka-mx1にて「show interfaces ge-0/0/1」で状態を確認,noc2,syslog:osaka-mx1
$(iso "$at3"),recover,osaka-mx1にて設定を反映（commit）,noc2,syslog:osaka-mx1
EOF
diff "$T/mx.want" "$T/mx" || fail "MX-1's timeline"
"$SOCHI" timeline -i RTR-1 | grep -q '【対応者：noc1】' || fail "the operator is not the actor in the 措置模様"
# The receive time is kept beside the equipment's: three hours later.
expect_eq "received kept" "$(sql "select count(*) from event where source like 'syslog:%'
	and (data->'syslog'->>'received')::timestamptz - occurred_at between '2 hours 55 minutes' and '3 hours 10 minutes'")" 4
pass "Cisco (RFC 3164) and Junos (RFC 5424) lines through rsyslogd: actions at the equipment's times, by the operator, in their host's incident"

send_all
wait_counter stored 8
wait_counter unmatched 2
expect_eq "stored once" "$(sql "select count(*) from event where source like 'syslog:%'")" 4
pass "the same lines sent again store nothing new"

# A sender not allowed: dropped before anything is read, counted.
printf '<189>%s tokyo-rtr1 52: %%PARSER-5-CFGLOG_LOGGEDCMD: User:intruder  logged command:reload\n' \
	"$(date '+%b %e %T')" | nc -q 1 -s 127.0.0.2 127.0.0.1 "$sport" || true
wait_counter disallowed 1
printf '<189>%s tokyo-rtr1 52: %%PARSER-5-CFGLOG_LOGGEDCMD: User:intruder  logged command:reload\n' \
	"$(date '+%b %e %T')" | nc -u -w 1 -s 127.0.0.2 127.0.0.1 "$uport" || true
wait_counter disallowed 2
expect_eq "nothing from 127.0.0.2" "$(sql "select count(*) from event where actor = 'intruder'")" 0
grep -q "syslog tcp: a connection from 127.0.0.2, which \[syslog\] allow does not name; closed unread" \
	"$SOCHI_SANDBOX_DIR/sochid.log" || fail "the disallowed connection was not logged"
pass "a TCP connection and a datagram from 127.0.0.2 (allow = 127.0.0.1) are dropped and counted"

# Malformed syslog over TCP: each counted, the connection goes on.
now3164=$(TZ=Asia/Tokyo date '+%b %e %T')
out=$(tcp_send "b'<999>$now3164 tokyo-rtr1 52: bad PRI\n'" \
	"oc(b'<189>tokyo-rtr1 52: %PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:no time')" \
	"b'<189>$now3164 tokyo-rtr1 52: %PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:caf\\xe9\n'" \
	"b'2000 ' + b'<189>' + b'x' * 1995" \
	"b'<189>$now3164 tokyo-rtr1 52: %PARSER-5-CFGLOG_LOGGEDCMD: User:noc3  logged command:after the bad ones\n'")
expect_eq "the connection" "$out" closed
wait_counter malformed 4
wait_for 30 '[ "$(sql "select count(*) from event where actor = '"'noc3'"'")" = 1 ]' ||
	fail "the line after the malformed ones was not stored"
grep -q "refused: bad PRI: 999" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the bad PRI was not logged"
# Not syslog framing at all: counted, the connection closed; the next served.
out=$(python3 - "$sport" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
s.settimeout(30)
print("closed" if s.recv(1) == b"" else "open")
PY
)
expect_eq "not syslog" "$out" closed
wait_counter malformed 5
equip tokyo-rtr1 "$at3" -n 127.0.0.1 -P "$sport" -T --octet-count --rfc5424 -p local7.notice -t 54 \
	'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:no shutdown'
wait_for 30 '[ "$(sql "select count(*) from event where text like '"'%「no shutdown」%'"'")" = 1 ]' ||
	fail "not served after a connection that was not syslog"
alive "$(sochid_pid)" || fail "sochid died"
pass "bad PRI, no timestamp, invalid UTF-8, an oversize frame and HTTP on the syslog port: counted, never stored, sochid serves on"

# UDP: a datagram a message; malformed and oversize ones counted.
equip tokyo-rtr1 "$at3" -n 127.0.0.1 -P "$uport" -d --rfc3164 -p local7.notice -t 55 \
	'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc4  logged command:ip route 0.0.0.0 0.0.0.0 192.0.2.1'
wait_for 30 '[ "$(sql "select count(*) from event where actor = '"'noc4'"' and occurred_at = '"'$(iso "$at3")'"'")" = 1 ]' ||
	fail "the UDP line was not stored at the equipment's time"
m0=$(counter malformed)
udp_send "b'<13>1 - tokyo-rtr1 app - - - no timestamp'" "b'<189>' + b'y' * 2000"
wait_counter malformed $((m0 + 2))
pass "UDP: a Cisco line stored; a datagram without timestamp and an oversize one counted"

# A line whose incident is not found: refused by the database, counted.
r0=$(counter refused)
equip ghost-sw "$at3" -n 127.0.0.1 -P "$sport" -T --rfc5424 -p local7.notice -t 56 \
	'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc5  logged command:reload'
wait_counter refused $((r0 + 1))
grep -q "syslog: a line from ghost-sw (rule cisco-config-command) was not stored: incident: no open incident found by host=ghost-sw or single" \
	"$SOCHI_SANDBOX_DIR/sochid.log" || fail "the refusal was not logged"
pass "a line from a host with no incident, two incidents open: refused and counted"

# The cap: rsyslogd's connection and two more; the rest wait in the backlog.
python3 - "$sport" >"$T/hold" <<'PY' &
import socket, sys, time
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for i in range(4)]
print(len(held), flush=True)
time.sleep(6)
PY
holder=$!
extra_pids+=("$holder")
wait_for 30 'grep -q "syslog tcp: 3 connections open (max_clients_syslog = 3): not accepting more" "$SOCHI_SANDBOX_DIR/sochid.log"' ||
	fail "the syslog cap was not reached"
at4=$(TZ=Asia/Tokyo date -d "$at1 +09:00 +3 minutes" '+%F %T')
equip osaka-mx1 "$at4" -n 127.0.0.1 -P "$rport" -T --rfc5424 -p local7.notice -t mgd --id=4242 \
	"UI_CMDLINE_READ_LINE: User 'noc2', command 'set interfaces ge-0/0/1 disable '"
wait_for 30 '[ "$(sql "select count(*) from event where text like '"'%set interfaces ge-0/0/1 disable%'"'")" = 1 ]' ||
	fail "rsyslogd's connection did not go on at the cap"
wait "$holder" 2>/dev/null || true
equip tokyo-rtr1 "$at4" -n 127.0.0.1 -P "$sport" -T --rfc5424 -p local7.notice -t 57 \
	'%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:end'
wait_for 30 '[ "$(sql "select count(*) from event where text like '"'%「end」%'"'")" = 1 ]' ||
	fail "not accepting again after the held connections closed"
pass "at max_clients_syslog no more are accepted, the open ones go on, and it accepts again"

kill "$rs_pid"
wait_for 30 '! alive "$rs_pid"' || fail "rsyslogd did not stop"
health=$(curl -s "$SOCHI_HTTP/healthz")
python3 - "$health" <<'PY' || fail "the counters do not add up: $health"
import json, sys
s = json.loads(sys.argv[1])["syslog"]
matched = s["received"] - s["malformed"] - s["unmatched"] - s["match_errors"]
assert matched == s["stored"] + s["journaled"] + s["refused"] + s["pending"], s
assert s["tcp"] and s["udp"], s
PY
pass "/healthz: $(sed 's/.*"syslog"://; s/}$//' <<<"$health")"

# Idle: a syslog connection that sends nothing is closed after idle_timeout.
sandbox down --sochid
grep -q "syslog: received [0-9]*, disallowed 2, malformed 7, unmatched 2, match errors 0, stored [0-9]*, journaled 0, refused 1" \
	"$SOCHI_SANDBOX_DIR/sochid.log" || fail "no summary at shutdown: $(grep 'syslog: received' "$SOCHI_SANDBOX_DIR/sochid.log")"
sed -i 's/^max_clients_syslog = .*/&\nidle_timeout = 2/' "$SOCHI_CONFIG"
eval "$(sandbox up)"
sport=${SOCHI_SYSLOG##*:}
out=$(python3 - "$sport" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(30)
t = time.time(); data = s.recv(1)
print("closed after %.0f s" % (time.time() - t) if not data else "got data")
PY
)
expect_match "idle" "$out" 'closed after [2-9] s'
pass "an idle syslog connection is closed after idle_timeout ($out)"
