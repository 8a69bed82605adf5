#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The drafter's reads and writes fail and the drafts still come: an
# incident whose evaluation failed — its draft refused by a lock timeout
# while the connection stayed, its read cut by the backend being killed
# and the reconnections refused for a while — is read again (after a backoff while the connection stays, at once when
# it is back), and its draft appears within a bounded time once the
# database lets it.  After a long reading, the next waits three times its
# length and then comes.
. "$(dirname "$0")/lib.sh"
sb_up
# Every session of sochid's role gives up waiting for a lock after 1 s:
# a lock held on the draft table then fails the drafter's statements with
# the connection intact.  sochid is started again to take the setting.
sql "alter role current_user set lock_timeout = '1s'"
sandbox down --sochid >/dev/null
eval "$(sandbox up)"
log=$SOCHI_SANDBOX_DIR/sochid.log
drafts() { # drafts INCIDENT TRIGGER: how many versions of that draft
	sql "select count(distinct d.version) from draft d join incident i on i.id = d.incident_id where i.code = '$1' and d.trigger = '$2'"
}
drafter_pid() { sql "select pid from pg_stat_activity where application_name = 'sochid drafter'"; }
# lock MODE: holds a lock on the draft table (lock_timeout 0: it waits for
# a statement of the drafter's in flight rather than fail) until unlock.
lock() {
	PGAPPNAME=test-locker psql -X -q -At -c "set lock_timeout = 0; lock table draft in $1 mode; select pg_sleep(600)" >/dev/null 2>&1 &
	locker=$!
	extra_pids+=("$locker")
	wait_for 30 '[ "$(sql "select count(*) from pg_locks l join pg_stat_activity a using (pid) where a.application_name = '"'"'test-locker'"'"' and l.relation = '"'"'draft'"'"'::regclass and l.granted")" = 1 ]' ||
		fail "the lock on draft was not taken"
}
unlock() {
	sql "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'test-locker'" >/dev/null
	wait "$locker" 2>/dev/null || true
	unlocked=$(date +%s.%N)
}
since_unlock() { printf '%.1f' "$(echo "$(date +%s.%N) - $unlocked" | bc)"; }
# drafter_says PATTERN: the drafter logged a line matching it (after mark).
mark() { mark=$(wc -l <"$log"); }
drafter_says() { tail -n +$((mark + 1)) "$log" | grep -E "sochid drafter: .*$1" >/dev/null; }

# 1. The store refused, the connection intact: the draft is made after a
# backoff, not only when something else touches the incident.
a=$("$SOCHI" open 草稿の保存失敗 --category 5)
"$SOCHI" impact start x 全断 --users 40000 --at -3h -i "$a" >/dev/null
wait_for 30 '[ "$(drafts "$a" sokuho)" = 1 ]' || fail "no 速報 of $a"
lock exclusive	# reads pass, writes wait
mark
"$SOCHI" impact recover x --at -1h -i "$a" >/dev/null
wait_for 60 'drafter_says "$a: cannot store the recovery draft: .*lock timeout"' ||
	fail "the store did not fail: $(tail -n 5 "$log")"
expect_eq "詳報 of $a while locked" "$(drafts "$a" recovery)" 0
unlock
wait_for 30 '[ "$(drafts "$a" recovery)" = 1 ]' ||
	fail "no 詳報 of $a within 30 s of the lock's end: $(tail -n 5 "$log")"
echo "the 詳報 of $a came $(since_unlock) s after the lock ended"
pass "a draft refused (lock timeout, connection kept) is made again after a backoff"

# 2. The read cut: the drafter's backend killed while it waits to read the
# incident; its reconnections fail (lock timeout) as long as the lock is
# held; then the draft comes.
b=$("$SOCHI" open 読み出し失敗 --category 5)
"$SOCHI" impact start y 全断 --users 40000 --at -3h -i "$b" >/dev/null
wait_for 30 '[ "$(drafts "$b" sokuho)" = 1 ]' || fail "no 速報 of $b"
lock 'access exclusive'	# nothing of the draft table is read
mark
old=$(drafter_pid)
# Straight to sochid (the CLI's verbs read the incident, which waits too).
out=$(ndjson "{\"kind\":\"impact\",\"op\":\"recover\",\"name\":\"y\",\"incident\":\"$b\",\"at\":\"$(date -d -1hour +%Y-%m-%dT%H:%M:%S%:z)\"}")
expect_match "the recovery of $b" "$out" '"ok":true'
# The read waits for the lock (1 s at most, then again after a backoff).
killed=
wait_for 60 'p=$(sql "select pid from pg_stat_activity where application_name = '"'"'sochid drafter'"'"' and wait_event_type = '"'"'Lock'"'"'"); [ -n "$p" ] && killed=$(sql "select pg_terminate_backend($p)") && [ "$killed" = t ]' ||
	fail "the drafter's read was not caught waiting: $(tail -n 5 "$log")"
wait_for 60 'drafter_says "$b: cannot read it: .*(terminat|closed)"' ||
	fail "the cut read was not logged: $(tail -n 5 "$log")"
# Its new connection cannot even prepare its statements while the lock is
# held: the attempts fail and back off.
wait_for 60 'drafter_says "db drafter: setting up the connection failed: .*lock timeout"' ||
	fail "the reconnection was not refused: $(tail -n 5 "$log")"
unlock
wait_for 30 '[ "$(drafts "$b" recovery)" = 1 ]' ||
	fail "no 詳報 of $b within 30 s of the lock's end: $(tail -n 5 "$log")"
echo "the 詳報 of $b came $(since_unlock) s after the lock ended"
p=$(drafter_pid)
[ -n "$p" ] && [ "$p" != "$old" ] || fail "the drafter's backend: '$p', before '$old'"
pass "a read cut, the reconnections refused for a while: the draft comes once the database lets it"
sql "alter role current_user reset lock_timeout"

# 3. A long reading (the events locked for a while, as a huge incident's
# reading is long) makes the next one wait three times as long from its
# start: the recovery that comes meanwhile is drafted when that pause ends,
# seconds later, not never (the pause's timer once had its seconds written
# as microseconds, and libevent then waited for nothing else).
c=$("$SOCHI" open 長い読み込み --category 5)
"$SOCHI" impact start x 全断 --users 40000 --at -3h -i "$c" >/dev/null
wait_for 30 '[ "$(drafts "$c" sokuho)" = 1 ]' || fail "no 速報 of $c"
PGAPPNAME=test-locker psql -X -q -At -c "lock table event in access exclusive mode; select pg_sleep(4)" >/dev/null 2>&1 &
locker=$!
extra_pids+=("$locker")
wait_for 30 '[ "$(sql "select count(*) from pg_locks l join pg_stat_activity a using (pid) where a.application_name = '"'"'test-locker'"'"' and l.relation = '"'"'event'"'"'::regclass and l.granted")" = 1 ]' ||
	fail "the lock on event was not taken"
sql "select pg_notify('sochi_incident', '$c')" >/dev/null
wait_for 30 '[ "$(sql "select count(*) from pg_stat_activity where application_name = '"'"'sochid drafter'"'"' and wait_event_type = '"'"'Lock'"'"'")" = 1 ]' ||
	fail "the drafter did not wait to read $c"
wait "$locker" || fail "the lock on event"
"$SOCHI" impact recover x --at -1h -i "$c" >/dev/null
wait_for 30 '[ "$(drafts "$c" recovery)" = 1 ]' ||
	fail "no 詳報 of $c within 30 s of a long reading: $(tail -n 5 "$log")"
pass "after a long reading the next waits its pause, and then comes"
