#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make install: every file where configure said, every path the binaries,
# the units, the man pages and the example config name agreeing with
# configure's directories; the configuration installed only where there is
# none, and uninstalled only while it is still the example.
. "$(dirname "$0")/lib.sh"
d=$T/root
# Not as a part of the make check that runs this: no directory lines.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" "$@"; }
dir() { mk --eval='print-%: ; @echo $($*)' "print-$1"; }
sbindir=$(dir sbindir) bindir=$(dir bindir) sysconfdir=$(dir sysconfdir)
pkgdatadir=$(dir pkgdatadir) docdir=$(dir docdir) mandir=$(dir mandir)
runstatedir=$(dir runstatedir) localstatedir=$(dir localstatedir)
unitdir=$(dir systemdsystemunitdir)
mk install DESTDIR="$d" >"$T/install.out" 2>&1 || fail "make install: $(cat "$T/install.out")"

for f in "$sbindir/sochid" "$bindir/sochi"; do
	[ -x "$d$f" ] || fail "$f not installed"
done
for f in "$sysconfdir/sochi/sochid.conf" "$docdir/examples/sochid.conf" \
	"$docdir/examples/syslog-rules.conf" "$docdir/README.md" "$docdir/NEWS" \
	"$pkgdatadir/zabbix/media_sochi.yaml" "$unitdir/sochid.service" \
	"$unitdir/sochid.socket" "$mandir/man1/sochi.1" "$mandir/man5/sochid.conf.5" \
	"$mandir/man8/sochid.8"; do
	[ -f "$d$f" ] || fail "$f not installed"
done
for f in "$top_srcdir"/sql/[0-9]*.sql; do
	[ -f "$d$pkgdatadir/sql/${f##*/}" ] || fail "migration ${f##*/} not in $pkgdatadir/sql"
done
for f in "$top_srcdir"/sql/functions/*.sql; do
	[ -f "$d$pkgdatadir/sql/functions/${f##*/}" ] || fail "function ${f##*/} not in $pkgdatadir/sql/functions"
done
pass "every file in its directory"

# One set of paths: configure's.
conf=$sysconfdir/sochi/sochid.conf sock=$runstatedir/sochi/sochid.sock
expect_match "sochid's default config" "$("$d$sbindir/sochid" --help 2>&1)" "else $conf[,)]"
expect_match "sochi's default config" "$("$d$bindir/sochi" --help 2>&1)" "else $conf[,)]"
eff=$(SOCHI_CONFIG=/dev/null "$d$sbindir/sochid" --print-config 2>&1)
expect_match "default socket" "$eff" "^sochid.socket = $sock$"
expect_match "default state_dir" "$eff" "^sochid.state_dir = $localstatedir/lib/sochi$"
ex=$(cat "$d$sysconfdir/sochi/sochid.conf")
expect_match "example's socket" "$ex" "^socket = $sock$"
expect_match "example's state_dir" "$ex" "^state_dir = $localstatedir/lib/sochi$"
unit=$(cat "$d$unitdir/sochid.service")
expect_match "unit's ExecStart" "$unit" "^ExecStart=$sbindir/sochid -f $conf$"
expect_match "socket unit" "$(cat "$d$unitdir/sochid.socket")" "^ListenStream=$sock$"
for m in man1/sochi.1 man5/sochid.conf.5 man8/sochid.8; do
	grep -q "$conf" "$d$mandir/$m" || fail "$m does not name $conf"
	! grep -q '@[a-z]*dir@' "$d$mandir/$m" || fail "$m has an unsubstituted directory"
done
expect_match "sochid.conf(5)'s socket" "$(cat "$d$mandir/man5/sochid.conf.5")" "$sock"
"$d$sbindir/sochid" -n -f "$d$conf" >/dev/null 2>&1 || fail "the installed config does not check"
pass "the binaries, units, man pages and example name the same paths"

# A carrier's configuration survives a reinstall and an uninstall.
echo "; ours" >>"$d$conf"
mk install DESTDIR="$d" >"$T/install.out" 2>&1 || fail "make install again"
expect_match "kept on reinstall" "$(tail -n 1 "$d$conf")" "^; ours$"
mk uninstall DESTDIR="$d" >/dev/null 2>&1 || fail "make uninstall"
[ -f "$d$conf" ] || fail "uninstall removed a changed configuration"
[ ! -e "$d$sbindir/sochid" ] || fail "uninstall left sochid"
rm -rf "$d"
mk install DESTDIR="$d" >/dev/null 2>&1 && mk uninstall DESTDIR="$d" >/dev/null 2>&1 ||
	fail "install, uninstall"
[ ! -e "$d$conf" ] || fail "uninstall left the unchanged example"
pass "the configuration is installed only where there is none, and kept once changed"
