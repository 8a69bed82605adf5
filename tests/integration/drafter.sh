#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The drafter is a process of its own: `ps` shows sochid and "sochid:
# drafter"; killed with SIGKILL it is started again and drafts still
# appear; it drafts from what any process commits (it listens to the
# database, not to its own sochid); and it ends with sochid.
. "$(dirname "$0")/lib.sh"
sb_up
pid=$(sochid_pid)
drafter() { { ps -o pid= --ppid "$pid" -o args= 2>/dev/null || true; } | awk '$2 == "sochid:" && $3 == "drafter" { print $1 }'; }
for _ in $(seq 100); do [ -n "$(drafter)" ] && break; sleep 0.05; done
d1=$(drafter)
[ -n "$d1" ] || fail "no drafter child: $(ps -o pid,args --ppid "$pid")"
expect_match "ps" "$(ps -o args= -p "$d1")" '^sochid: drafter'
expect_eq "its name" "$(cat /proc/$d1/comm)" "sochid: drafter"
expect_match "ps" "$(ps -o args= -p "$pid")" 'sochid -f'
pass "ps shows the ingest process ($pid) and sochid: drafter ($d1)"

# An incident that recovers while the drafter is dead gets its 詳報 anyway.
kill -KILL "$d1"
inc=$("$SOCHI" open 落ちた草稿係 --category 5)
"$SOCHI" impact start x 不可 --users 40000 --at -4h -i "$inc" >/dev/null
"$SOCHI" impact recover x --at -1h -i "$inc" >/dev/null
for _ in $(seq 200); do d2=$(drafter); [ -n "$d2" ] && [ "$d2" != "$d1" ] && break; sleep 0.05; done
[ -n "$d2" ] && [ "$d2" != "$d1" ] || fail "the drafter was not started again"
grep -q "drafter (pid $d1) was killed by signal 9" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the death was not logged"
for _ in $(seq 100); do
	[ "$(sql "select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$inc' and d.trigger = 'recovery'")" -gt 0 ] && break
	sleep 0.1
done
expect_eq "the 詳報 of $inc" "$(sql "select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$inc' and d.trigger = 'recovery'")" 2
pass "killed with SIGKILL, the drafter is started again ($d2) and drafts what it missed"

# Events another sochid commits (here psql calls the same function a
# second daemon's writer calls): the drafter hears of them from the
# database and drafts.
inc2=$("$SOCHI" open 他所の書き込み --category 5)
sql "select count(*) from sochi_ingest_plain(array['impact', 'impact', 'users'], array['$inc2', '$inc2', '$inc2'], array[now() - interval '3 hours', now() - interval '1 hour', now() - interval '1 hour'], array['other', 'other', 'other'], array['o1', 'o2', 'o3'], array[null, null, null], array[null, null, null], array[null, null, null], array[null, null, null], array['{\"op\":\"start\",\"name\":\"y\",\"label\":\"不可\"}', '{\"op\":\"recover\",\"name\":\"y\"}', '{\"count\":40000}']::jsonb[], array[true, true, true], array[true, true, true], false)" >/dev/null
for _ in $(seq 100); do
	[ "$(sql "select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$inc2'")" -gt 0 ] && break
	sleep 0.1
done
[ "$(sql "select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$inc2'")" -gt 0 ] || fail "no draft for $inc2"
pass "the drafter drafts what another process committed, on its notification"

sandbox down --sochid
wait_for 10 '! alive "$d2"' || fail "the drafter outlived sochid"
pass "the drafter ends with sochid"
