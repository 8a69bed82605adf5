#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A sender that writes without reading its answers: sochid stops reading
# from it once max_pending requests are unanswered, so its memory stays
# bounded however much the sender pushes.
. "$(dirname "$0")/lib.sh"
# Built with AddressSanitizer, sochid keeps freed memory in a quarantine
# (256 MB by default) that would hide whether it holds what it reads.
sanitized=0
case $(ldd "$SOCHID" 2>/dev/null) in
*libasan*)
	sanitized=1
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"
	;;
esac
sb_up
inc=$(open_incident "back-pressure")
pid=$(sochid_pid)
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
stored() { sql "select count(*) from event where source_key like 'bp-%'"; }
pending() { curl -sS "$SOCHI_HTTP/healthz" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pending"])'; }
before=$(rss)

# 300,000 requests (about 45 MB) over TCP, never reading an answer.
host=${SOCHI_TCP%:*} port=${SOCHI_TCP##*:}
(
	exec 3<>"/dev/tcp/$host/$port"
	printf '{"auth":"%s"}\n' "$SOCHI_TOKEN" >&3
	awk -v inc="$inc" 'BEGIN { for (i = 0; i < 300000; i++)
		printf "{\"kind\":\"action\",\"incident\":\"%s\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"push %d\",\"key\":\"bp-%d\"}\n", inc, i, i }' >&3
) 2>/dev/null &
writer=$!

# Wait until sochid has stopped reading from it: nothing waits for the
# database and the count has not moved for two seconds (four looks), while
# the sender still has most of its lines to write.  A slow machine takes
# longer to get there; it does not make the test fail.
last=-1 still=0 deadline=$((SECONDS + 240))
while [ $still -lt 4 ]; do
	[ $SECONDS -lt $deadline ] || fail "sochid was still storing after 240 s ($(stored) stored)"
	kill -0 $writer 2>/dev/null || fail "the sender wrote everything: sochid never stopped reading ($(stored) stored)"
	sleep 0.5
	n=$(stored) p=$(pending)
	if [ "$n" = "$last" ] && [ "$p" = 0 ]; then still=$((still + 1)); else still=0; fi
	last=$n
done
after=$(rss)
kill -0 $writer 2>/dev/null || fail "the sender finished: sochid read all of it"
kill $writer 2>/dev/null || true
wait $writer 2>/dev/null || true
echo "stored $last of 300000 before sochid stopped reading; sochid RSS ${before} kB -> ${after} kB"
[ "$last" -lt 300000 ] || fail "all 300,000 stored: the sender was never held back"
# What was stored before the pause is what the kernel's socket buffers could
# hold of the answers, plus max_pending; sochid itself holds little of it.
# Built with AddressSanitizer, sochid has a shadow and a quarantine besides:
# a larger bound, still below the 45 MB pushed.
limit=20000
[ $sanitized = 0 ] || limit=40000
[ $((after - before)) -lt $limit ] || fail "sochid grew by $((after - before)) kB (limit $limit kB)"
kill -0 "$pid" || fail "sochid died"
expect_match "still serving others" "$(ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"other\"}")" '"ok":true'
pass "a sender that does not read is paused at max_pending; sochid stays small and serves others"
