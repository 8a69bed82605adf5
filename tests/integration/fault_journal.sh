#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The journal's disk fills up: senders are refused, clearly, and nothing
# journaled is lost.  sochid killed while journaling and started again once
# PostgreSQL is back: the journal is stored, and the senders' resends (the
# same keys) add nothing twice.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "journal faults")
stored() { sql "select count(*) from event where source_key like '$1-%'"; }

# A small disk for the journal: a tmpfs where this machine allows mounting
# one, else a file size limit on sochid (its writes then fail with EFBIG).
sandbox down --sochid
disk=$T/disk
mkdir -p "$disk"
limit=
if mount -t tmpfs -o size=1m tmpfs "$disk" 2>/dev/null; then
	trap 'umount "$disk" 2>/dev/null; cleanup' EXIT
	kind="a 1 MiB tmpfs"
else
	limit=1048576
	kind="a 1 MiB file size limit"
fi
sed -i "s|^state_dir = .*|state_dir = $disk|" "$SOCHI_CONFIG"
if [ -n "$limit" ]; then
	SOCHID="prlimit --fsize=$limit -- $SOCHID" eval "$(sandbox up)"
else
	eval "$(sandbox up)"
fi
sandbox down --postgres
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 2 -n 3000 -w 16 \
	--key-prefix df --ids "$T/ids" >"$T/gen" 2>"$T/gen.err" || true
refused=$(grep -c 'journal could not be written' "$T/gen.err" || true)
journaled=$(grep -c journaled "$T/ids" || true)
echo "journal on $kind: $journaled journaled, $refused refused: $(cat "$T/gen")"
[ "$journaled" -gt 100 ] && [ "$refused" -gt 0 ] || fail "journaled $journaled, refused $refused: $(head -3 "$T/gen.err")"
grep -q "not stored: the database is away and the journal could not be written: \(No space left on device\|File too large\)" "$T/gen.err" ||
	fail "the refusal does not say why: $(head -1 "$T/gen.err")"
eval "$(sandbox up)"
wait_for 120 '[ "$(stored df)" = "$journaled" ]' || fail "stored $(stored df) of $journaled journaled"
out=$(check_acked df "$T/ids") || fail "$out"
pass "the journal's disk full: clear refusals; $out"

# Killed while journaling, started again after PostgreSQL is back.
sandbox down --sochid
sed -i "s|^state_dir = .*|state_dir = $SOCHI_SANDBOX_DIR/state|" "$SOCHI_CONFIG"
eval "$(sandbox up)"
sandbox down --postgres
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 2 -n 2000 -w 16 \
	--key-prefix jk --ids "$T/ids1" -q >"$T/gen1" 2>&1 &
gen=$!
wait_for 60 '[ "$(cat "$T/ids1" 2>/dev/null | grep -c journaled)" -ge 500 ]' || true
kill -KILL "$(sochid_pid)"
wait $gen || true
j=$(grep -c journaled "$T/ids1" || true)
[ "$j" -gt 0 ] || fail "nothing was journaled before the kill"
eval "$(sandbox up)"
grep -q "holds [0-9]* events not yet stored" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the journal was not found at start"
"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 2 -n 2000 -w 16 \
	--key-prefix jk --ids "$T/ids2" -q >"$T/gen2" 2>&1 || fail "the resend: $(cat "$T/gen2")"
wait_for 120 '[ "$(stored jk)" = 4000 ]' || fail "stored $(stored jk) of 4000"
out=$(check_acked jk "$T/ids1" "$T/ids2") || fail "$out"
pass "sochid killed while journaling ($j journaled), started once PostgreSQL is back: $out"
