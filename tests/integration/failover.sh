#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Failover: a PostgreSQL primary and a synchronous streaming standby on
# loopback ports (script/sandbox with SOCHI_SANDBOX_STANDBY), two sochids on
# them both (host=a,b port=p,q target_session_attrs=read-write), load through
# each, the primary killed outright mid-load and the standby promoted.
# Each sochid journals while nothing can write (the standby is read-only),
# reconnects to the new primary by itself and stores what it journaled;
# after the senders resend, with the same keys, whatever went unanswered,
# every event answered ok is in the new primary exactly once, and the two
# drafters, racing on one database throughout, made one draft per trigger.
. "$(dirname "$0")/lib.sh"
export SOCHI_SANDBOX_STANDBY=1 SOCHI_SANDBOX_WRITE_TIMEOUT=5
sb_up
a_dir=$SOCHI_SANDBOX_DIR a_sock=$SOCHI_SOCKET a_http=$SOCHI_HTTP
b_dir=$a_dir-b
extra_sandboxes+=("$b_dir")
SOCHI_SANDBOX_DIR=$b_dir sandbox down --purge >/dev/null 2>&1 || true
b_env=$(SOCHI_SANDBOX_SHARE_DB=$a_dir SOCHI_SANDBOX_DIR=$b_dir sandbox up) ||
	fail "the second sochid did not start"
b_sock=$(sed -n "s/^export SOCHI_SOCKET='\(.*\)'$/\1/p" <<<"$b_env")
b_http=$(sed -n "s/^export SOCHI_HTTP='\(.*\)'$/\1/p" <<<"$b_env")
home=$(cat "$a_dir/pg-home")
for conf in "$SOCHI_CONFIG" "$b_dir/sochid.conf"; do
	expect_match "conninfo of $conf" "$(sed -n 's/^database = //p' "$conf")" \
		"^host=127\.0\.0\.1,127\.0\.0\.1 port=$(cat "$home/port"),$(cat "$home/standby/port") .*target_session_attrs=read-write"
done
expect_eq "the standby" "$(sql "select sync_state from pg_stat_replication where application_name = 'sandbox_standby'")" sync
pass "a primary, its synchronous standby, two sochids naming both"

health() { curl -s -m 5 "$1/healthz" || true; }
stored() { sql "select count(*) from event where source_key like '$1-%'"; }
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
drafts() { # drafts TRIGGER: "versions rows" of the incident's drafts of it
	sql "select count(distinct d.version) || ' ' || count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$inc' and d.trigger = '$1'"
}

# An incident serious from the start: its 速報 is due at once.
inc=$("$SOCHI" open フェイルオーバー --category 5)
"$SOCHI" impact start x 全断 --users 40000 --at -3h -i "$inc" >/dev/null
wait_for 60 '[ "$(drafts sokuho)" != "0 0" ]' || fail "no 速報 before the failover"

# 5,000 events through each sochid, 250/s each: twenty seconds.
gen() { # gen SOCKET PREFIX IDS
	"$LOADGEN" --unix "$1" --incident "$inc" -c 2 -n 2500 -w 16 --rate 250 \
		--key-prefix "$2" --ids "$3" -q
}
gen "$a_sock" fo-a "$T/ids-a1" >"$T/gen-a1" 2>&1 &
ga=$!
gen "$b_sock" fo-b "$T/ids-b1" >"$T/gen-b1" 2>&1 &
gb=$!
extra_pids+=("$ga" "$gb")
wait_for 60 '[ "$(stored fo-a)" -ge 1000 ] && [ "$(stored fo-b)" -ge 1000 ]' ||
	fail "the load did not get going"
before=$(sql "select count(*) from event where source_key like 'fo-%'")

# The primary's machine dies: the postmaster and every process of it at once.
pm=$(head -n 1 "$home/data/postmaster.pid")
kids=$(ps -o pid= --ppid "$pm" | tr -d ' ' | tr '\n' ' ')
kill -KILL "$pm" $kids
killed=$(now)
# Nothing can write now (the standby is read-only): both journal.
wait_for 60 'health "$a_http" | grep -q "\"journaling\":true" && health "$b_http" | grep -q "\"journaling\":true"' ||
	fail "not journaling: $(health "$a_http") $(health "$b_http")"
out=$(SOCHI_SOCKET=$b_sock "$SOCHI" log -i "$inc" --at -2m 系切替中の作業)
expect_eq "sochi log during the failover" "$out" "recorded (journaled: the database is away; it will be stored when it is back)"
# The 詳報's trigger arrives while there is no primary.
out=$(printf '%s\n' "{\"kind\":\"impact\",\"op\":\"recover\",\"name\":\"x\",\"incident\":\"$inc\",\"at\":\"$(date -d -1min +%Y-%m-%dT%H:%M:%S%:z)\",\"key\":\"fo-recover\"}" |
	SOCHI_SOCKET=$a_sock "$SOCHI" send)
expect_match "the recovery, journaled" "$out" '"journaled":true'
journaled_at=$(since "$killed")

sandbox promote
promoted=$(now)
ra= rb=
deadline=$((SECONDS + 60))
while [ -z "$ra" ] || [ -z "$rb" ]; do
	[ $SECONDS -lt $deadline ] || fail "not reconnected: $(health "$a_http") $(health "$b_http")"
	[ -n "$ra" ] || ! health "$a_http" | grep -q '"database":"connected"' || ra=$(since "$promoted")
	[ -n "$rb" ] || ! health "$b_http" | grep -q '"database":"connected"' || rb=$(since "$promoted")
	sleep 0.1
done
echo "primary killed after $before events; both journaling within ${journaled_at} s; promoted; writers connected again ${ra} s (sochid A) and ${rb} s (sochid B) after the promotion"
pass "each sochid journals while nothing can write and reconnects by itself"

wait $ga || fail "the load through A: $(cat "$T/gen-a1")"
wait $gb || fail "the load through B: $(cat "$T/gen-b1")"
extra_pids=()
echo "through A: $(cat "$T/gen-a1")"
echo "through B: $(cat "$T/gen-b1")"
# The senders send again, with the same keys, what was not answered ok.
gen "$a_sock" fo-a "$T/ids-a2" >"$T/gen-a2" 2>&1 || fail "the resend through A: $(cat "$T/gen-a2")"
gen "$b_sock" fo-b "$T/ids-b2" >"$T/gen-b2" 2>&1 || fail "the resend through B: $(cat "$T/gen-b2")"
expect_match "the resend through A" "$(cat "$T/gen-a2")" "ok 5000 refused 0 unexpected 0"
expect_match "the resend through B" "$(cat "$T/gen-b2")" "ok 5000 refused 0 unexpected 0"
wait_for 60 '[ "$(stored fo-a)" = 5000 ] && [ "$(stored fo-b)" = 5000 ]' ||
	fail "stored $(stored fo-a) and $(stored fo-b) of 5000 each"
oa=$(check_acked fo-a "$T/ids-a1" "$T/ids-a2") || fail "through A: $oa"
ob=$(check_acked fo-b "$T/ids-b1" "$T/ids-b2") || fail "through B: $ob"
expect_eq "the journaled action" "$(sql "select count(*) from event where text = '系切替中の作業'")" 1
echo "through A: $oa"
echo "through B: $ob"
pass "nothing answered ok is lost or stored twice across the failover"

# Both daemons are on the new primary, and made one draft per trigger.
wait_for 60 '[ "$(drafts recovery)" != "0 0" ]' || fail "no 詳報 after the failover"
expect_eq "writers on the new primary" "$(sql "select count(*) from pg_stat_activity where application_name = 'sochid writer'")" 2
wait_for 60 '[ "$(sql "select count(*) from pg_stat_activity where application_name = '"'"'sochid drafter'"'"'")" = 2 ]' ||
	fail "drafters on the new primary: $(sql "select count(*) from pg_stat_activity where application_name = 'sochid drafter'")"
expect_eq "速報: versions, rows" "$(drafts sokuho)" "1 1"
expect_eq "詳報: versions, rows (text, html)" "$(drafts recovery)" "1 2"
expect_eq "the old primary" "$(alive "$pm" && echo running || echo gone)" gone
pass "two sochids share the new primary; one 速報 and one 詳報"
