#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sochid.service and sochid.socket as built pass `systemd-analyze verify`
# (pointed at this build's sochid, as the units name the installed one),
# and say what sochid(8) and the issue promise of them.
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null ||
	fail "systemd-analyze not found (package systemd; script/bootstrap installs it)"
# Not as a part of the make check that runs this: no directory lines.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" "$@"; }
sbindir=$(mk --eval='print-%: ; @echo $($*)' print-sbindir)
mk systemd/sochid.service systemd/sochid.socket
for u in sochid.service sochid.socket; do
	sed "s|$sbindir/sochid|$top_builddir/daemon/sochid|g" \
		"$top_builddir/systemd/$u" >"$T/$u"
done
svc=$(cat "$T/sochid.service") sock=$(cat "$T/sochid.socket")
if ! (cd "$T" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no \
	./sochid.socket ./sochid.service) >"$T/verify.out" 2>&1 || [ -s "$T/verify.out" ]; then
	fail "systemd-analyze verify: $(cat "$T/verify.out")"
fi
pass "systemd-analyze verify passes on both units"

for want in '^Type=notify$' '^ExecReload=/bin/kill -HUP \$MAINPID$' '^LimitNOFILE=[0-9]+$' \
	'^StateDirectory=sochi$' '^RuntimeDirectory=sochi$' '^ConfigurationDirectory=sochi$' \
	'^Requires=sochid.socket$' '^NoNewPrivileges=yes$' '^ProtectSystem=strict$'; do
	expect_match "sochid.service" "$svc" "$want"
done
expect_match "socket unit" "$sock" '^ListenStream=/.*/sochi/sochid.sock$'
expect_match "socket group" "$sock" '^SocketGroup=sochi$'
expect_match "socket mode" "$sock" '^SocketMode=0660$'
# Each hardening line says why: a comment right above every group.
awk '/^#/ { commented = 1; next } /^$/ { commented = 0; next }
	/^(Protect|Private|Restrict|NoNew|Capability|Ambient|Lock|Memory|SystemCall|RemoveIPC|UMask)/ &&
	!commented { print NR ": " $0; bad = 1 }
	END { exit bad }' "$T/sochid.service" >"$T/uncommented" ||
	fail "hardening lines without a comment: $(cat "$T/uncommented")"
pass "Type=notify, reload, limits, directories, socket mode and group, commented hardening"
