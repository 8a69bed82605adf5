#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The database's side of the syslog listener: an action row as
# lib/syslog_rule.c makes it (no incident, grp "host=NAME single") finds
# its incident in sochi_ingest_row: the open incident whose equipment is
# the host (without case), or that has an alert labelled with it, else the
# only open incident; none found is refused with the reason; a resend (the
# same source and key) answers the stored id and adds nothing.  The rows
# are sent as sochid's writer sends them, one array per column.
. "$(dirname "$0")/lib.sh"
sb_up
ndjson '{"kind":"incident","op":"open","code":"RTR-1","title":"ルータ障害","equipment":"rtr1.tokyo","at":"2026-11-25T12:00:00+09:00"}' \
	'{"kind":"incident","op":"open","code":"MX-1","title":"コア障害","at":"2026-11-25T12:01:00+09:00"}' \
	'{"kind":"alert","incident":"MX-1","status":"firing","name":"CoreDown","labels":{"instance":"MX1:9100"},"at":"2026-11-25T12:02:00+09:00"}' >"$T/a"
[ "$(grep -c '"ok":true' "$T/a")" = 3 ] || fail "setup: $(cat "$T/a")"

# ingest KEY GRP: one syslog action row through sochi_ingest; prints code|err.
ingest() {
	sql "select coalesce(code, '') || '|' || coalesce(err, '') || '|' || coalesce(id::text, '')
	from sochi_ingest(array['action'], array[null]::text[],
	    array['2026-11-25T12:40:00+09:00']::timestamptz[], array['syslog:h'],
	    array['$1'], array['noc1'], array['recover'], array['設定変更'],
	    array[null]::text[], array['{\"syslog\":{\"host\":\"h\"}}']::jsonb[],
	    array[false], array[true], array[null]::bigint[], array['$2'], array[null]::jsonb[],
	    array[null]::jsonb[], array[false], 'Asia/Tokyo', false)"
}
r=$(ingest k1 'host=RTR1.Tokyo single'); expect_match "by equipment" "$r" '^RTR-1\|\|[0-9]+$'
id1=${r##*|}
r=$(ingest k2 'host=mx1'); expect_match "by an alert's instance" "$r" '^MX-1\|\|[0-9]+$'
r=$(ingest k3 'host=nohost'); expect_eq "no such host" "$r" "|incident: no open incident found by host=nohost|"
r=$(ingest k4 'host=nohost single'); expect_eq "two open" "$r" "|incident: no open incident found by host=nohost or single|"
r=$(ingest k1 'host=RTR1.Tokyo single'); expect_eq "a resend" "$r" "RTR-1||$id1"
expect_eq "stored once" "$(sql "select count(*) from event where source = 'syslog:h'")" 2
ndjson '{"kind":"incident","op":"close","incident":"MX-1","at":"2026-11-25T13:00:00+09:00"}' | grep -q '"ok":true' || fail "close"
r=$(ingest k5 'host=nohost single'); expect_match "the single open incident" "$r" '^RTR-1\|\|[0-9]+$'
r=$(ingest k6 'host=mx1'); expect_eq "a closed incident is not found" "$r" "|incident: no open incident found by host=mx1|"
"$SOCHI" timeline -i RTR-1 | grep -q '設定変更' || fail "the action is not in RTR-1's timeline"
pass "syslog actions find their incident by host or as the single open one; a resend adds nothing"
