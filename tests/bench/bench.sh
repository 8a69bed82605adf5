#!/usr/bin/env bash
# The benchmark: sochid's ingest rate and answer latency with 1, 8 and 64
# connections over the Unix socket, beside PostgreSQL's own COPY rate for the
# same rows into a table shaped like event, on the same machine and database.
# Run through script/bench.  BENCH_EVENTS sets the events per run (64000).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${top_builddir:-$here}
export SOCHID=$build/daemon/sochid
export SOCHI_SANDBOX_DIR=${SOCHI_SANDBOX_DIR:-$here/.sandbox-bench}
loadgen=$build/tests/bench/sochi-loadgen
total=${BENCH_EVENTS:-64000}
T=$(mktemp -d)
trap '"$here/script/sandbox" down --purge >/dev/null 2>&1 || true; rm -rf "$T"' EXIT

"$here/script/sandbox" down --purge >/dev/null 2>&1 || true
eval "$("$here/script/sandbox" up)"
pid=$(cat "$SOCHI_SANDBOX_DIR/sochid.pid")
run=$(date +%s)
inc=$(printf '{"kind":"incident","op":"open","title":"bench","at":"2026-11-20T12:00:00+09:00"}\n' |
	"$build/cli/sochi" send | sed -n 's/.*"incident":"\([^"]*\)".*/\1/p')
inc_id=$(psql -X -At -c "select id from incident where code = '$inc'")

echo "sochi benchmark: $(nproc) cores, $total events per run, Unix socket, window 256 per connection"
echo "every event answered only after its batch's COMMIT (synchronous_commit=on, fsync=on)"
echo
printf '%-12s %10s %10s %10s %10s\n' connections events/s p50_ms p99_ms max_ms
best64=0
for c in 1 8 64; do
	n=$((total / c))
	copy=
	[ $c = 64 ] && copy="--copy-out $T/rows.tsv"
	out=$("$loadgen" --unix "$SOCHI_SOCKET" --incident "$inc" -c $c -n $n \
		--key-prefix "b$run-$c" $copy -q)
	set -- $out
	# connections C events N ok N refused N unexpected N seconds S events/s R p50_ms A p99_ms B max_ms M
	[ "${8}" = 0 ] || { echo "bench: $c connections: ${8} refused: $out" >&2; exit 1; }
	printf '%-12s %10s %10s %10s %10s\n' "$c" "${14}" "${16}" "${18}" "${20}"
	[ $c = 64 ] && best64=${14}
done
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")

psql -X -q -c "drop table if exists bench_copy" \
	-c "create table bench_copy (like event including defaults including constraints including indexes)" \
	-c "alter table bench_copy alter column incident_id set default $inc_id"
rows=$(wc -l <"$T/rows.tsv")
start=$(date +%s.%N)
psql -X -q -c "\\copy bench_copy (source, source_key, kind, occurred_at, actor, phase, text, data) from '$T/rows.tsv'"
end=$(date +%s.%N)
copy_rate=$(awk -v r="$rows" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", r / (e - s) }')
psql -X -q -c "drop table bench_copy"
echo
echo "PostgreSQL COPY of the same $rows rows (same indexes, one transaction): $copy_rate rows/s"
echo "sochid at 64 connections: $best64 events/s"
awk -v a="$best64" -v b="$copy_rate" 'BEGIN { printf "ratio sochid/COPY at 64 connections: %.2f\n", a / b }'
echo "sochid peak RSS (VmHWM): $((rss / 1024)) MiB ($rss kB)"
