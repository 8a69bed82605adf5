#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark, run through script/bench against a sandbox of its own
# (a private PostgreSQL and sochid).  It prints, one section a figure:
#  - PostgreSQL's own COPY rate for the rows of the 64-connection run, into
#    a table shaped like event: the yardstick every rate is divided by;
#  - ingest: NDJSON over the Unix socket with 1, 8 and 64 connections,
#    POST /v1/events with arrays of 100 events over 16 keep-alive
#    connections, /v1/alertmanager with 10 alerts a POST over 16;
#    events/s (alerts/s), the ratio to COPY, answer latency p50/p99/max;
#  - answer latency at 64 connections at full load and at half the maximum
#    rate measured, the latter sent on a fixed schedule (open loop) and
#    timed from when each event was due;
#  - a steady stream's answer latency while the drafter re-evaluates a big
#    incident (bulk-loaded, then touched by an event every 100 ms), beside
#    the same stream without the touching;
#  - the peak RSS (VmHWM) of the ingest process and of the drafter;
#  - `sochi report` wall time for incidents of 10,000 to 1,000,000 events.
#
# Environment (defaults in brackets):
#   BENCH_EVENTS         events per NDJSON run and for /v1/events [192000]:
#                        at 64 connections each keeps 256 lines in flight,
#                        and a run must be long beside filling and draining
#                        that window (at 64,000 events it was a third of it)
#   BENCH_ALERTS         alerts for /v1/alertmanager [16000]
#   BENCH_RATE_SECONDS   length of the run at half the maximum rate [10]
#   BENCH_STEADY_RATE    the steady stream's events/s [100]
#   BENCH_STEADY_SECONDS the steady stream's length, each time [10]
#   BENCH_DRAFT_EVENTS   events of the incident the drafter re-evaluates [200000]
#   BENCH_REPORT_EVENTS  sizes of the incidents `sochi report` is timed on
#                        ["10000 100000 1000000"]
# Progress goes to standard error, the figures to standard output.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${top_builddir:-$here}
export SOCHID=$build/daemon/sochid
export SOCHI_SANDBOX_DIR=${SOCHI_SANDBOX_DIR:-$here/.sandbox-bench}
loadgen=$build/tests/bench/sochi-loadgen
sochi=$build/cli/sochi
total=${BENCH_EVENTS:-192000}
alerts=${BENCH_ALERTS:-16000}
rate_seconds=${BENCH_RATE_SECONDS:-10}
steady_rate=${BENCH_STEADY_RATE:-100}
steady_seconds=${BENCH_STEADY_SECONDS:-10}
draft_events=${BENCH_DRAFT_EVENTS:-200000}
report_events=${BENCH_REPORT_EVENTS:-10000 100000 1000000}
http_conns=16
report_now=2026-11-21T00:00:00+09:00
T=$(mktemp -d)
toucher=
cleanup() {
	[ -z "$toucher" ] || kill "$toucher" 2>/dev/null || true
	"$here/script/sandbox" down --purge >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
for v in total alerts rate_seconds steady_rate steady_seconds draft_events; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v: expected a positive number, got '${!v}'"
done
for n in $report_events; do
	if ! [[ $n =~ ^[1-9][0-9]*$ ]] || [ "$n" -lt 4 ]; then
		die "BENCH_REPORT_EVENTS: expected sizes of 4 events or more, got '$n'"
	fi
done
[ "$draft_events" -ge 4 ] || die "BENCH_DRAFT_EVENTS: expected 4 events or more"
[ "$total" -ge 64 ] || die "BENCH_EVENTS: expected 64 events or more (one a connection)"
[ "$alerts" -ge $http_conns ] || die "BENCH_ALERTS: expected $http_conns alerts or more"

# get NAME LINE: the value after NAME in a loadgen result line.
get() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$2"; }
# ratio A B: A/B with two decimals ("unknown" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "unknown"; else printf "%.2f", a / b }'; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }
# hwm PID: the process's peak resident set in kB, or nothing.
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB (%d kB)", k / 1024, k }'; }

# lg WHAT ARGS...: one loadgen run; every event must be stored.
lg() {
	local what=$1 out rc=0
	shift
	out=$("$loadgen" "$@" -q) || rc=$?
	if [ $rc != 0 ] || [ "$(get refused "$out")" != 0 ]; then
		die "$what: not every event was stored (exit $rc): $out"
	fi
	echo "$out"
}

# load CODE N CATEGORY RECOVER: an incident of N events, straight into PostgreSQL.
load() {
	psql -X -q -v ON_ERROR_STOP=1 -v code="$1" -v n="$2" -v category="$3" \
		-v recover="$4" -f "$here/tests/bench/incident.sql"
}

# The drafter: the child of sochid whose process title says so.
drafter_pid() {
	local f c stat ppid
	for f in /proc/[0-9]*/stat; do
		{ read -r stat <"$f"; } 2>/dev/null || continue
		# The parent is the second field after the title in parentheses.
		read -r _ ppid _ <<<"${stat##*) }"
		[ "$ppid" = "$pid" ] || continue
		c=${f#/proc/}; c=${c%/stat}
		if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "sochid: drafter" ] ||
			tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | grep -q '^sochid: drafter'; then
			echo "$c"
			return
		fi
	done
}

began=$(now)
"$here/script/sandbox" down --purge >/dev/null 2>&1 || true
eval "$("$here/script/sandbox" up)"
pid=$(cat "$SOCHI_SANDBOX_DIR/sochid.pid")
run=$(date +%s)
inc=$(printf '{"kind":"incident","op":"open","title":"bench","at":"2026-11-20T12:00:00+09:00"}\n' |
	"$sochi" send | sed -n 's/.*"incident":"\([^"]*\)".*/\1/p')
[ -n "$inc" ] || die "could not open the benchmark's incident"
inc_id=$(psql -X -At -c "select id from incident where code = '$inc'")

# Closed loop: every connection keeps 256 lines in flight.
declare -A nd
for c in 1 8 64; do
	say "NDJSON, $c connection(s)"
	copy=
	[ $c = 64 ] && copy="--copy-out $T/rows.tsv"
	# shellcheck disable=SC2086
	nd[$c]=$(lg "NDJSON, $c connections" --unix "$SOCHI_SOCKET" --incident "$inc" \
		-c $c -n $((total / c)) --key-prefix "b$run-$c" $copy)
done
best64=$(get events/s "${nd[64]}")
rss_ndjson=$(hwm "$pid")

say "COPY"
psql -X -q -c "create table bench_copy (like event including defaults including constraints including indexes)" \
	-c "alter table bench_copy alter column incident_id set default $inc_id"
rows=$(wc -l <"$T/rows.tsv")
start=$(now)
psql -X -q -c "\\copy bench_copy (source, source_key, kind, occurred_at, actor, phase, text, data) from '$T/rows.tsv'"
end=$(now)
copy_rate=$(awk -v r="$rows" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", r / (e - s) }')
psql -X -q -c "drop table bench_copy"

echo "sochi benchmark: $(nproc) cores; every event answered only after its batch's COMMIT"
echo "(synchronous_commit=on, fsync=on); PostgreSQL, sochid and the load generator share the machine"
echo
echo "== PostgreSQL COPY of the same rows =="
echo "$rows rows into a table shaped like event (same indexes, one transaction): $copy_rate rows/s"
echo
echo "== Ingest (closed loop: each connection keeps its requests in flight) =="
row() { # row LABEL CONNS RESULT
	printf '%-44s %5s %10s %7s %8s %8s %8s\n' "$1" "$2" "$(get events/s "$3")" \
		"$(ratio "$(get events/s "$3")" "$copy_rate")" "$(get p50_ms "$3")" \
		"$(get p99_ms "$3")" "$(get max_ms "$3")"
}
printf '%-44s %5s %10s %7s %8s %8s %8s\n' path conns events/s ratio p50_ms p99_ms max_ms
for c in 1 8 64; do row "NDJSON, Unix socket, 256 lines in flight" $c "${nd[$c]}"; done

say "POST /v1/events, $http_conns connections"
http=$(lg "POST /v1/events" --http "$SOCHI_HTTP" --incident "$inc" -c $http_conns \
	-n $((total / http_conns)) --batch 100 --key-prefix "h$run")
row "POST /v1/events, arrays of 100 events" $http_conns "$http"
say "POST /v1/alertmanager, $http_conns connections"
am=$(lg "POST /v1/alertmanager" --http "$SOCHI_HTTP" --alertmanager -c $http_conns \
	-n $((alerts / http_conns)) --batch 10 --key-prefix "a$run")
row "POST /v1/alertmanager, 10 alerts (alerts/s)" $http_conns "$am"
echo "(ratio: to COPY's rows/s; latency: per line for NDJSON, per request for HTTP, one HTTP request"
echo " in flight per connection; $total events a run, $alerts alerts)"
echo "sochid at 64 connections: $best64 events/s"
echo "ratio sochid/COPY at 64 connections: $(ratio "$best64" "$copy_rate")"

half=$((${best64%.*} / 2))
[ "$half" -ge 1 ] || half=1
per=$(( (half * rate_seconds + 63) / 64 ))
# The checkpoint and vacuum that the runs above leave due are done now, not
# during this one (a checkpoint there made its p99 224 ms instead of 15).
psql -X -q -c "vacuum (analyze) event" -c "checkpoint"
say "NDJSON, 64 connections at $half events/s"
open=$(lg "NDJSON at half the maximum" --unix "$SOCHI_SOCKET" --incident "$inc" -c 64 \
	-n "$per" --rate "$half" --key-prefix "r$run")
echo
echo "== Answer latency, NDJSON over the Unix socket, 64 connections =="
printf '%-46s %10s %8s %8s %8s\n' load events/s p50_ms p99_ms max_ms
printf '%-46s %10s %8s %8s %8s\n' "full load (closed loop, 256 lines in flight)" "$best64" \
	"$(get p50_ms "${nd[64]}")" "$(get p99_ms "${nd[64]}")" "$(get max_ms "${nd[64]}")"
printf '%-46s %10s %8s %8s %8s\n' "half the maximum ($half/s sent, open loop)" \
	"$(get events/s "$open")" "$(get p50_ms "$open")" "$(get p99_ms "$open")" "$(get max_ms "$open")"
echo "(open loop: sent on a fixed schedule, latency from when each event was due;"
echo " the checkpoint and vacuum the closed-loop runs left due were done before it)"

say "loading an incident of $draft_events events"
load BENCH-DRAFT "$draft_events" '' false
# What the bulk load leaves for autovacuum is done now, not during a stream.
psql -X -q -c "vacuum (analyze) event"
# ... and so is the checkpoint its WAL would bring during the first stream.
psql -X -q -c "checkpoint"
# The load is plain SQL: no notification, so the drafter first reads the
# big incident when the touches below begin, not during "alone".
n_steady=$((steady_rate * steady_seconds))
say "steady stream, $steady_rate events/s for $steady_seconds s, alone"
alone=$(lg "steady stream alone" --unix "$SOCHI_SOCKET" --incident "$inc" -c 1 \
	-n "$n_steady" --rate "$steady_rate" --key-prefix "s$run")
say "steady stream while BENCH-DRAFT is touched every 100 ms"
# The touches run a second longer than the stream, so that it is covered.
"$loadgen" --unix "$SOCHI_SOCKET" --incident BENCH-DRAFT -c 1 -n $((steady_seconds * 10 + 10)) \
	--rate 10 --key-prefix "t$run" -q >"$T/touch" 2>&1 &
toucher=$!
busy=$(lg "steady stream while drafting" --unix "$SOCHI_SOCKET" --incident "$inc" -c 1 \
	-n "$n_steady" --rate "$steady_rate" --key-prefix "d$run")
wait $toucher || die "touching BENCH-DRAFT: $(cat "$T/touch")"
toucher=
[ "$(get refused "$(cat "$T/touch")")" = 0 ] || die "touching BENCH-DRAFT: $(cat "$T/touch")"
echo
echo "== A steady stream while the drafter re-evaluates a $draft_events-event incident =="
echo "stream: 1 connection, $steady_rate events/s for $steady_seconds s (open loop), to another incident;"
echo "the big incident (an impact running) gets one event every 100 ms meanwhile"
printf '%-46s %8s %8s %8s\n' stream p50_ms p99_ms max_ms
printf '%-46s %8s %8s %8s\n' "alone" "$(get p50_ms "$alone")" \
	"$(get p99_ms "$alone")" "$(get max_ms "$alone")"
printf '%-46s %8s %8s %8s\n' "while the drafter re-evaluates" "$(get p50_ms "$busy")" \
	"$(get p99_ms "$busy")" "$(get max_ms "$busy")"
echo "max latency, while re-evaluating / alone: $(ratio "$(get max_ms "$busy")" "$(get max_ms "$alone")")"

rss_end=$(hwm "$pid")
dpid=$(drafter_pid)
echo
echo "== Peak memory (VmHWM) =="
if [ -n "$rss_ndjson" ] && [ -n "$rss_end" ]; then
	echo "ingest process (pid $pid), after the NDJSON runs (64 connections): $(mib "$rss_ndjson")"
	echo "ingest process (pid $pid), after every run above: $(mib "$rss_end")"
else
	echo "ingest process (pid $pid): unknown (/proc/$pid/status unreadable)"
fi
if [ -z "$dpid" ]; then
	echo "drafter: not running"
elif [ -n "$(hwm "$dpid")" ]; then
	echo "drafter (pid $dpid): $(mib "$(hwm "$dpid")")"
else
	echo "drafter (pid $dpid): unknown (/proc/$dpid/status unreadable)"
fi

# sochi report reads PostgreSQL alone: sochid is stopped, so that neither
# its drafter nor its sweep reads these incidents meanwhile.
"$here/script/sandbox" down --sochid >/dev/null
echo
echo "== sochi report -i CODE --now $report_now >/dev/null =="
echo "(actions, a users sample every 1,000 events, a note every 10,000, two impacts)"
printf '%-10s %9s %10s\n' events load_s report_s
for n in $report_events; do
	say "loading an incident of $n events"
	start=$(now)
	load "BENCH-R$n" "$n" 5 true
	loaded=$(since "$start")
	say "sochi report on $n events"
	start=$(now)
	"$sochi" report -i "BENCH-R$n" --now "$report_now" >/dev/null ||
		die "sochi report -i BENCH-R$n failed"
	printf '%-10s %9s %10s\n' "$n" "$loaded" "$(since "$start")"
done
echo
echo "bench took $(since "$began") s"
