#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The log: under systemd's journal (JOURNAL_STREAM names sochid's standard
# error) every line is "<N>name: message" with sd-daemon's priority and no
# time; anywhere else it starts with an ISO 8601 time with its offset and
# says its level.  Lines about a batch name it; libpq's multi-line
# messages come out on one line, in sochid's log and in sochi's errors.
. "$(dirname "$0")/lib.sh"
sb_up
log=$SOCHI_SANDBOX_DIR/sochid.log
iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}'
bad=$(grep -Ev "^$iso sochid( drafter| web)?: (debug|info|warning|fatal): " "$log" || true)
[ -z "$bad" ] || fail "lines without a time and a level: $bad"
[ "$(wc -l <"$log")" -ge 3 ] || fail "too few lines to tell: $(cat "$log")"
pass "outside the journal every line has an ISO 8601 time with its offset, the program and the level"

# sochid_in_journal CONF LOG [ARGS]: a second sochid whose standard error
# is LOG, told (as systemd tells it) that this is the journal's stream.
mkconf() { # mkconf NAME: the sandbox's config, with a socket of its own and no TCP
	sed -e "s|^socket = .*|socket = $T/$1.sock|" -e "s/^listen_tcp = .*/listen_tcp =/" \
		-e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" "$SOCHI_CONFIG" >"$T/$1.conf"
}
mkconf j
: >"$T/j.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/j.log") TZ=Asia/Tokyo "$SOCHID" -d -f "$T/j.conf" 2>>"$T/j.log" >/dev/null &
jpid=$!
extra_pids+=($jpid)
wait_for 30 "grep -q '^<6>sochid: sochid .* ready (pid $jpid)$' '$T/j.log'" || fail "no <6> ready line: $(head -n 5 "$T/j.log")"
printf '%s\n' "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"journal\",\"at\":\"2026-11-20T12:00:00+09:00\"}" |
	"$SOCHI" --socket "$T/j.sock" send >/dev/null || fail "send through the second sochid"
printf '[sochid]\nbogus = 1\n' >>"$T/j.conf"
kill -HUP $jpid
wait_for 20 "grep -q '^<4>sochid: reload failed' '$T/j.log'" || fail "no <4> warning: $(tail -n 5 "$T/j.log")"
wait_for 20 "grep -Eq '^<7>sochid: db writer: batch [0-9]+: sent, ' '$T/j.log'" || fail "no <7> line naming its batch"
grep -Eq '^<6>sochid drafter: ' "$T/j.log" || fail "the drafter's lines have no prefix"
bad=$(grep -Ev '^<[2467]>sochid( drafter)?: ' "$T/j.log" || true)
[ -z "$bad" ] || fail "lines without a priority prefix: $bad"
grep -Eq "$iso" "$T/j.log" && fail "a time in the journal's lines"
pass "under the journal: <6> info, <4> warning, <7> debug (naming the batch), no time, the drafter too"

# JOURNAL_STREAM naming another file is not our standard error: times.
mkconf o
: >"$T/o.log"
JOURNAL_STREAM=1:1 TZ=Asia/Tokyo "$SOCHID" -f "$T/o.conf" 2>>"$T/o.log" >/dev/null &
opid=$!
extra_pids+=($opid)
wait_for 30 "grep -Eq '^$iso sochid: info: sochid .* ready \(pid $opid\)$' '$T/o.log'" || fail "no timed ready line: $(head -n 5 "$T/o.log")"
expect_match "the offset of the zone" "$(head -n 1 "$T/o.log")" '^[0-9-]{10}T[0-9:.]{12}\+09:00 sochid: info: '
pass "JOURNAL_STREAM of another file: lines keep their time (here +09:00)"

# libpq says "connection ... failed: ...\n\tIs the server running ...?\n":
# one line, in the daemon's log and in the CLI's error.
printf '[sochid]\ndatabase = host=%s/nowhere\nsocket = %s/p.sock\nlisten_tcp =\nlisten_http =\n' "$T" "$T" >"$T/p.conf"
rc=0; "$SOCHID" -f "$T/p.conf" 2>"$T/p.log" || rc=$?
expect_eq "sochid without its database" "$rc" 1
expect_eq "lines" "$(wc -l <"$T/p.log")" 1
expect_match "one line" "$(cat "$T/p.log")" "cannot connect to the database: .*$T/nowhere/.s.PGSQL.5432.*failed: No such file or directory Is the server running"
rc=0; "$SOCHI" --db "host=$T/nowhere" list 2>"$T/c.log" || rc=$?
expect_eq "sochi without its database" "$rc" 2
expect_eq "its lines" "$(wc -l <"$T/c.log")" 1
expect_match "sochi's one line" "$(cat "$T/c.log")" "^sochi: cannot connect to the database: .*failed: No such file or directory Is the server running"
# A server error with a DETAIL and a HINT (several lines from libpq).
rc=0; PGOPTIONS='-c search_path=nowhere' "$SOCHI" list 2>"$T/d.log" || rc=$?
expect_eq "sochi on a schema it cannot see" "$rc" 2
expect_eq "its lines" "$(wc -l <"$T/d.log")" 1
expect_match "folded" "$(cat "$T/d.log")" 'relation "incident" does not exist LINE 1: '
pass "libpq's multi-line messages are one line in sochid's log and in sochi's errors"
