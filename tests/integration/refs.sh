#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# event's references (migration 008, sql/functions/sochi_event_refs.sql),
# checked once a statement instead of by foreign keys, hold what the
# foreign keys held: an event's incident and the event it corrects exist;
# one bad row refuses the whole statement; neither an incident nor an
# event is deleted, nor its id changed, while an event refers to it; a
# delete waits for a transaction that has just referred to the row, and is
# then refused, and an insert waits for a delete of its incident and is
# then refused; outside READ COMMITTED a delete is refused as a
# serialization failure; incident is not truncated while events refer to
# it.  Errors are 23503, as a foreign key's.
. "$(dirname "$0")/lib.sh"
sb_up

# state SQL: the SQLSTATE the statement fails with ("ok" if it does not).
state() {
	local err
	if err=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -c "$1" 2>&1 >/dev/null); then
		echo ok
	else
		sed -n 's/^ERROR: *//p' <<<"$err" | head -1
	fi
}
ev() { # INCIDENT_ID SUPERSEDES KEY: one insert statement's values
	echo "($1, 'refs', '$3', 'action', now(), $2)"
}
ins="insert into event (incident_id, source, source_key, kind, occurred_at, supersedes) values"

inc=$(open_incident "refs")
iid=$(sql "select id from incident where code = '$inc'")
sql "insert into incident (code, title, opened_at) values ('REFS-BARE', 'bare', now())"
bare=$(sql "select id from incident where code = 'REFS-BARE'")
missing=$(sql "select coalesce(max(id), 0) + 1000 from incident")

expect_eq "an event of an incident" "$(state "$ins $(ev "$iid" null a1)")" ok
expect_eq "an unattached event" "$(state "$ins $(ev null null a2)")" ok
expect_eq "an incident that does not exist" "$(state "$ins $(ev "$missing" null a3)")" 23503
out=$(psql -X -q -c "$ins $(ev "$missing" null a3)" 2>&1 || true)
expect_match "the message names the key" "$out" "Key \\(incident_id\\)=\\($missing\\) is not present in table \"incident\""
expect_eq "one bad row among good ones" "$(state "$ins $(ev "$iid" null b1), $(ev "$missing" null b2), $(ev "$iid" null b3)")" 23503
expect_eq "none of that statement stored" "$(sql "select count(*) from event where source = 'refs' and source_key like 'b%'")" 0
a1=$(sql "select id from event where source = 'refs' and source_key = 'a1'")
expect_eq "a correction of an event" "$(state "$ins $(ev "$iid" "$a1" c1)")" ok
expect_eq "a correction of no event" "$(state "$ins $(ev "$iid" 999999999 c2)")" 23503
expect_eq "moving an event to no incident" "$(state "update event set incident_id = $missing where id = $a1")" 23503
expect_eq "moving an event to another incident" "$(state "update event set incident_id = $bare where source = 'refs' and source_key = 'a2'")" ok
pass "an event's incident and the event it corrects must exist; one bad row refuses the statement"

expect_eq "deleting an incident with events" "$(state "delete from incident where id = $iid")" 23503
expect_eq "changing its id" "$(state "update incident set id = $missing where id = $iid")" 23503
expect_eq "changing something else of it" "$(state "update incident set title = 'refs, renamed' where id = $iid")" ok
expect_eq "deleting a corrected event" "$(state "delete from event where id = $a1")" 23503
sql "insert into incident (code, title, opened_at) values ('REFS-EMPTY', 'empty', now())"
expect_eq "deleting an incident without events" "$(state "delete from incident where code = 'REFS-EMPTY'")" ok
pass "an incident or an event referred to is neither deleted nor given another id"

# A delete waits for the transaction that has just referred to the row.
sql "insert into incident (code, title, opened_at) values ('REFS-RACE', 'race', now())"
race=$(sql "select id from incident where code = 'REFS-RACE'")
mkfifo "$T/a"
psql -X -q -At -v ON_ERROR_STOP=1 <"$T/a" >"$T/a.out" 2>&1 &
apid=$!
exec 7>"$T/a"
printf 'begin;\n%s;\nselect 1;\n' "$ins $(ev "$race" null r1)" >&7
wait_for 10 '[ "$(cat "$T/a.out")" = 1 ]' || fail "transaction A did not insert: $(cat "$T/a.out")"
expect_eq "a delete meanwhile waits for A" "$(state "set lock_timeout = '300ms'; delete from incident where id = $race")" 55P03
psql -X -q -At -c "delete from incident where id = $race" >"$T/b.out" 2>&1 &
bpid=$!
wait_for 10 '[ "$(sql "select count(*) from pg_stat_activity where wait_event_type = '\''Lock'\'' and query like '\''delete from incident%'\''")" = 1 ]' ||
	fail "the delete did not wait"
printf 'commit;\n' >&7
exec 7>&-
wait "$apid" || fail "transaction A: $(cat "$T/a.out")"
rc=0; wait "$bpid" || rc=$?
expect_eq "the delete fails" "$rc" 1
expect_match "once A has committed, for A's event" "$(cat "$T/b.out")" 'is still referenced from table "event"'
expect_eq "the incident is kept" "$(sql "select count(*) from incident where id = $race")" 1
pass "a delete waits for the transaction that referred to the incident, then is refused"

# An insert waits for a delete of its incident that is not yet committed,
# and is then refused.
sql "insert into incident (code, title, opened_at) values ('REFS-GONE', 'gone', now())"
gone=$(sql "select id from incident where code = 'REFS-GONE'")
mkfifo "$T/d"
psql -X -q -At -v ON_ERROR_STOP=1 <"$T/d" >"$T/d.out" 2>&1 &
dpid=$!
exec 8>"$T/d"
printf 'begin;
delete from incident where id = %s;
select 1;
' "$gone" >&8
wait_for 10 '[ "$(cat "$T/d.out")" = 1 ]' || fail "the delete did not run: $(cat "$T/d.out")"
psql -X -q -At -v VERBOSITY=sqlstate -c "$ins $(ev "$gone" null g1)" >"$T/i.out" 2>&1 &
ipid=$!
wait_for 10 '[ "$(sql "select count(*) from pg_stat_activity where wait_event_type = '\''Lock'\'' and query like '\''insert into event%'\''")" = 1 ]' ||
	fail "the insert did not wait for the delete"
printf 'commit;
' >&8
exec 8>&-
wait "$dpid" || fail "the delete: $(cat "$T/d.out")"
rc=0; wait "$ipid" || rc=$?
expect_eq "the insert fails" "$rc" 1
expect_match "with 23503, once the delete has committed" "$(cat "$T/i.out")" '23503'
expect_eq "nothing stored" "$(sql "select count(*) from event where source = 'refs' and source_key = 'g1'")" 0
pass "an insert waits for a delete of its incident, then is refused"

# Outside READ COMMITTED the check cannot see events committed after the
# transaction's snapshot: any delete of an incident is refused there.
sql "insert into incident (code, title, opened_at) values ('REFS-RR', 'rr', now())"
expect_eq "a delete at REPEATABLE READ" "$(state "begin isolation level repeatable read; delete from incident where code = 'REFS-RR'; commit")" 40001
expect_eq "the same at READ COMMITTED" "$(state "delete from incident where code = 'REFS-RR'")" ok
expect_eq "truncating incident" "$(state "truncate incident cascade")" 23503
expect_eq "incidents kept" "$(sql "select count(*) from incident where id = $iid")" 1
pass "outside READ COMMITTED a delete is refused as a serialization failure; truncating incident is refused"

# The migration again changes nothing.
psql -X -q -v ON_ERROR_STOP=1 -f "$top_srcdir/sql/008_set_based_refs.sql" || fail "sql/008 again"
expect_eq "no foreign key on event's references" "$(sql "select count(*) from pg_constraint where conrelid = 'event'::regclass and contype = 'f'")" 0
expect_eq "an incident that does not exist, again" "$(state "$ins $(ev "$missing" null a4)")" 23503
pass "migration 008 runs again harmlessly"
