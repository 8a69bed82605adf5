#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# GET /metrics: the Prometheus text format (promtool check metrics passes),
# counters that move with what sochid does — events accepted, committed,
# refused and journaled by kind and source, batches and their commit time,
# connections by listener, the journal, open incidents, drafts written,
# drafter restarts — and the access rule: loopback, or a token.
. "$(dirname "$0")/lib.sh"
sb_up
command -v promtool >/dev/null || fail "no promtool (Debian package prometheus; script/bootstrap installs it)"

scrape() { curl -sS -m 10 "$SOCHI_HTTP/metrics"; }
# metric NAME{LABELS}: its value now (empty if absent).
metric() { scrape | awk -v m="$1" '$1 == m { print $2 }'; }
# moved NAME{LABELS} FROM BY: waits until the value is FROM + BY.
moved() { wait_for 20 "[ \"\$(metric '$1')\" = $(($2 + $3)) ]" || fail "$1: $(metric "$1"), wanted $(($2 + $3))"; }

scrape >"$T/m0.txt"
promtool check metrics <"$T/m0.txt" || fail "promtool check metrics: $(promtool check metrics <"$T/m0.txt" 2>&1 | head -n 5)"
expect_match "content type" "$(curl -sS -o /dev/null -w '%{content_type}' "$SOCHI_HTTP/metrics")" '^text/plain; version=0\.0\.4'
grep -q '^sochi_events_committed_total{kind="action",source="local"} 0$' "$T/m0.txt" || fail "no committed counter at 0 before any event"
grep -q '^sochi_incidents_open ' "$T/m0.txt" && [ "$(metric sochi_incidents_open)" != 0 ] && fail "open incidents before any"
pass "GET /metrics passes promtool check metrics, every counter there from the start"

c_inc=$(metric 'sochi_events_committed_total{kind="incident",source="local"}')
c_act=$(metric 'sochi_events_committed_total{kind="action",source="local"}')
a_act=$(metric 'sochi_events_accepted_total{kind="action",source="local"}')
r_inv=$(metric 'sochi_events_refused_total{kind="invalid",source="local"}')
c_http=$(metric 'sochi_events_committed_total{kind="action",source="sandbox"}')
batches=$(metric sochi_batch_events_count)
commits=$(metric sochi_commit_duration_seconds_count)
unix=$(metric 'sochi_connections_accepted_total{listener="unix"}')
inc=$(open_incident metrics)
ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:01:00+09:00\",\"text\":\"a\"}" \
	"{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:02:00+09:00\",\"text\":\"b\"}" \
	'{"kind":"bogus"}' >/dev/null || true
curl -sS -o /dev/null -H "Authorization: Bearer $SOCHI_TOKEN" \
	--data-binary "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:03:00+09:00\",\"text\":\"c\"}" "$SOCHI_HTTP/v1/events"
moved 'sochi_events_committed_total{kind="incident",source="local"}' "$c_inc" 1
moved 'sochi_events_committed_total{kind="action",source="local"}' "$c_act" 2
moved 'sochi_events_accepted_total{kind="action",source="local"}' "$a_act" 2
moved 'sochi_events_refused_total{kind="invalid",source="local"}' "$r_inv" 1
moved 'sochi_events_committed_total{kind="action",source="sandbox"}' "$c_http" 1
moved 'sochi_connections_accepted_total{listener="unix"}' "$unix" 2
[ "$(metric sochi_batch_events_count)" -gt "$batches" ] || fail "no batch counted"
[ "$(metric sochi_commit_duration_seconds_count)" -gt "$commits" ] || fail "no commit time counted"
[ "$(metric 'sochi_batch_events_bucket{le="+Inf"}')" = "$(metric sochi_batch_events_count)" ] || fail "the +Inf bucket is not the count"
scrape | grep -q 'source="local:' && fail "a uid in a label"
wait_for 20 '[ "$(metric sochi_incidents_open)" = 1 ]' || fail "open incidents: $(metric sochi_incidents_open), wanted 1"
expect_eq "connections on HTTP now" "$(metric 'sochi_connections{listener="http"}')" 1
pass "events committed, accepted and refused move by kind and source (local, the token's name); batches, commit times, connections, open incidents"

# Syslog has no answers: what became of each message is a counter, and a
# syslog TCP connection counts under its own listener.
[ -n "$SOCHI_SYSLOG" ] || fail "the sandbox has no syslog listener"
un=$(metric 'sochi_syslog_messages_total{outcome="unmatched"}')
python3 - "${SOCHI_SYSLOG##*:}" "$T/syslog.held" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"<13>1 2026-11-20T12:06:00+09:00 rtr9 nobody - - - nothing any rule takes\n")
open(sys.argv[2], "w").write("sent\n")
time.sleep(60)
PY
slpid=$!
extra_pids+=($slpid)
moved 'sochi_syslog_messages_total{outcome="unmatched"}' "$un" 1
expect_eq "a syslog connection" "$(metric 'sochi_connections{listener="syslog"}')" 1
kill "$slpid"
wait_for 20 '[ "$(metric '\''sochi_connections{listener="syslog"}'\'')" = 0 ]' || fail "the syslog connection still counted"
pass "syslog messages by outcome, syslog connections"

# Drafts written (the drafter tells sochid over its pipe), and its restarts.
d0=$(metric 'sochi_drafts_written_total{trigger="recovery"}')
inc2=$("$SOCHI" open 草稿 --category 5)
"$SOCHI" impact start x 不可 --users 40000 --at -4h -i "$inc2" >/dev/null
"$SOCHI" impact recover x --at -1h -i "$inc2" >/dev/null
moved 'sochi_drafts_written_total{trigger="recovery"}' "$d0" 1
wait_for 20 '[ "$(metric sochi_incidents_open)" = 2 ]' || fail "open incidents: $(metric sochi_incidents_open), wanted 2"
restarts=$(metric sochi_drafter_restarts_total)
drafter=$(ps -o pid= -o args= --ppid "$(sochid_pid)" | awk '$2 == "sochid:" && $3 == "drafter" { print $1 }')
[ -n "$drafter" ] || fail "no drafter"
kill -KILL "$drafter"
moved sochi_drafter_restarts_total "$restarts" 1
pass "drafts written and drafter restarts are counted"

# The journal: while PostgreSQL is away events are journaled, its size and
# age show, and once it is back they are committed and it empties.
j=$(metric 'sochi_events_journaled_total{kind="action",source="local"}')
c_act=$(metric 'sochi_events_committed_total{kind="action",source="local"}')
sandbox down --postgres
wait_for 20 '[ "$(metric sochi_database_up)" = 0 ]' || fail "database_up stayed 1"
out=$(ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:04:00+09:00\",\"text\":\"journaled\"}")
expect_eq "answer while PostgreSQL is away" "$out" '{"ok":true,"journaled":true}'
moved 'sochi_events_journaled_total{kind="action",source="local"}' "$j" 1
[ "$(metric sochi_journal_events)" -ge 1 ] || fail "journal events: $(metric sochi_journal_events)"
[ "$(metric sochi_journal_bytes)" -gt 0 ] || fail "journal bytes: $(metric sochi_journal_bytes)"
wait_for 20 'awk "BEGIN { exit !($(metric sochi_journal_age_seconds) > 0) }"' || fail "journal age stayed 0"
promtool check metrics < <(scrape) || fail "promtool while journaling"
eval "$(sandbox up)"
moved 'sochi_events_committed_total{kind="action",source="local"}' "$c_act" 1
wait_for 30 '[ "$(metric sochi_journal_events)" = 0 ] && [ "$(metric sochi_journal_bytes)" = 0 ]' || fail "the journal did not empty"
expect_eq "journaled, not refused" "$(metric 'sochi_events_refused_total{kind="action",source="local"}')" 0
pass "journaled events, the journal's events, bytes and age; replayed events counted committed once"

# STATUS= to systemd (sd_notify over $NOTIFY_SOCKET, by hand): READY=1,
# then every few seconds the live counters.  A second sochid on the same
# database, with its own socket, tells a datagram socket of ours.
sed -e "s|^socket = .*|socket = $T/st.sock|" -e "s/^listen_tcp = .*/listen_tcp =/" \
	-e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" "$SOCHI_CONFIG" >"$T/st.conf"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
out.write("bound\n")
while True:
    out.write(s.recv(4096).decode().replace("\n", "|") + "\n")
' "$T/notify.sock" "$T/notify.txt" &
extra_pids+=($!)
wait_for 10 '[ -s "$T/notify.txt" ]' || fail "the notify socket did not come up"
NOTIFY_SOCKET=$T/notify.sock "$SOCHID" -f "$T/st.conf" >"$T/st.log" 2>&1 &
extra_pids+=($!)
wait_for 30 'grep -q "^READY=1" "$T/notify.txt"' || fail "no READY=1: $(cat "$T/notify.txt" "$T/st.log")"
open_now=$(sql "select count(*) from incident where state = 'open'")
# A connection held open, and events through it.
coproc HELD { exec nc -U "$T/st.sock"; }
held=$HELD_PID
extra_pids+=($held)
for i in 1 2 3 4 5 6 7 8 9 10; do
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:05:00+09:00","text":"status %s"}\n' "$inc" "$i" >&"${HELD[1]}"
done
status_re="^STATUS=[0-9]+\.[0-9] events/s, 1 connections, journal 0 events, $open_now open incidents\$"
wait_for 30 "grep -Eq '$status_re' '$T/notify.txt' && grep -Eq '^STATUS=[1-9][0-9]*\.[0-9] events/s, 1 connections' '$T/notify.txt'" ||
	fail "no STATUS= with the counters: $(grep STATUS= "$T/notify.txt" | tail -n 3)"
kill "$held"
wait_for 30 "grep -Eq '^STATUS=0\.0 events/s, 0 connections' '$T/notify.txt'" ||
	fail "STATUS= did not come back to 0 connections, 0.0 events/s: $(tail -n 3 "$T/notify.txt")"
pass "sd_notify: READY=1, then STATUS= with events/s, connections, the journal's depth and open incidents"

# Access: loopback is let in without a token (above); from another address
# a token is needed.  In a network namespace of its own (nothing outside can
# reach it) a sochid listens on a non-loopback address.
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
	sed -e "s|^socket = .*|socket = $T/ns.sock|" -e "s/^listen_tcp = .*/listen_tcp =/" \
		-e "s/^listen_http = .*/listen_http = 10.77.0.1:7420/" "$SOCHI_CONFIG" >"$T/ns.conf"
	unshare --net bash -c '
		set -e
		ip link set lo up
		ip addr add 10.77.0.1/32 dev lo
		"$SOCHID" -f "$1" >"$2/ns.log" 2>&1 &
		pid=$!
		for _ in $(seq 300); do grep -q "ready (pid" "$2/ns.log" && break; sleep 0.1; done
		curl -sS -o /dev/null -w "%{http_code}\n" http://10.77.0.1:7420/metrics
		curl -sS -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer wrong" http://10.77.0.1:7420/metrics
		curl -sS -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $3" http://10.77.0.1:7420/metrics
		kill $pid; wait $pid || true' _ "$T/ns.conf" "$T" "$SOCHI_TOKEN" >"$T/ns.codes" 2>"$T/ns.err" ||
		fail "the namespace: $(cat "$T/ns.err" "$T/ns.log")"
	expect_eq "from another address: none, a wrong token, the token" "$(tr '\n' ' ' <"$T/ns.codes")" "401 401 200 "
	pass "/metrics from a non-loopback address needs a token"
else
	echo "SKIP: /metrics from a non-loopback address (needs root for a network namespace)"
fi
