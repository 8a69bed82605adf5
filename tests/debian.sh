#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/debian.sh: the Debian package, as a packager and an administrator
# meet it.  In a temporary copy of the tree: dpkg-buildpackage -us -uc -b,
# lintian (no error), dpkg-deb -c (every file where the layout says); then
# on this machine: dpkg -i (user _sochi, group sochi, /var/lib/sochi, the
# conffile, the tokens file, the units enabled but sochid not started),
# sochid -n on the installed config, a run as the postinst says (a private
# PostgreSQL, sochid --migrate and sochid as _sochi, an engineer in the
# group sochi opening an incident and reading its report without root), and
# dpkg --purge (nothing of it left).  Prints
# "PASS: debian/NAME" or "FAIL: debian/NAME" per step.
#
# Installing needs root (or sudo without a password); without it the
# install steps print SKIP and say why.  The build itself needs neither.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
failed=0
T=$(mktemp -d)
installed=0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# The installed sochid the run step started (runuser waits for it, its
# child; the log's first line is its PID), and the sandbox's PostgreSQL.
stop_installed() {
	local pid
	pid=$(sed -n 's/^started (pid \([0-9]*\))$/\1/p' "$T/sochid.log" 2>/dev/null | head -n 1)
	[ -n "$pid" ] || return 0
	as_root kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 100); do as_root kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	as_root kill -9 "$pid" 2>/dev/null
}
cleanup() {
	stop_installed
	[ ! -d "$T/sb" ] || SOCHI_SANDBOX_DIR=$T/sb script/sandbox down --purge >/dev/null 2>&1
	[ $installed = 0 ] || as_root dpkg --purge sochi >/dev/null 2>&1
	! getent passwd sochi_engineer >/dev/null || as_root userdel sochi_engineer
	rm -rf "$T"
}
trap cleanup EXIT

t0=$SECONDS
step() { echo "PASS: debian/$1 ($((SECONDS - t0)) s)"; t0=$SECONDS; }
bad() { echo "FAIL: debian/$1"; shift; printf '  | %s\n' "$@"; failed=1; }
skip() { echo "SKIP: debian/$1 ($2)"; }

for tool in dpkg-buildpackage dh lintian; do
	command -v "$tool" >/dev/null || { bad tools "$tool not found (script/bootstrap installs dpkg-dev, debhelper, lintian)"; exit 1; }
done

# The copy: the files git knows (tracked or new, not ignored), so that
# nothing of this tree's build leaks into the package's.
src=$T/sochi
mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		(cd "$top" && xargs -0 cp --parents -t "$src" 2>/dev/null)
else
	cp -a "$top/." "$src/" && (cd "$src" && { make distclean >/dev/null 2>&1 || :; })
fi
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1; then
	bad build "dpkg-buildpackage -us -uc -b failed:" "$(tail -n 40 "$T/build.log")"
	exit 1
fi
deb=$(ls "$T"/sochi_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { bad build "no sochi_*.deb in $T: $(ls "$T")"; exit 1; }
step build

changes=$(ls "$T"/sochi_*.changes | head -n 1)
lintian --no-tag-display-limit "$changes" >"$T/lintian.out" 2>&1
lrc=$?
if grep -q '^E: ' "$T/lintian.out"; then
	bad lintian "lintian reports errors:" "$(grep '^E: ' "$T/lintian.out")"
elif [ $lrc != 0 ]; then
	bad lintian "lintian failed (exit status $lrc):" "$(tail -n 20 "$T/lintian.out")"
else
	step "lintian, $(grep -c "^[WIP]: " "$T/lintian.out") warnings or notes"
	# Warnings and notes are listed, not failed: README says why each stays.
	sed -n 's/^\([WIP]: .*\)/  lintian: \1/p' "$T/lintian.out"
fi

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' >"$T/contents"
missing=()
for f in /usr/sbin/sochid /usr/bin/sochi /etc/sochi/sochid.conf \
	/usr/share/doc/sochi/examples/sochid.conf /usr/share/doc/sochi/copyright \
	/usr/share/sochi/zabbix/media_sochi.yaml \
	/lib/systemd/system/sochid.service /lib/systemd/system/sochid.socket \
	/usr/share/man/man1/sochi.1.gz /usr/share/man/man5/sochid.conf.5.gz \
	/usr/share/man/man8/sochid.8.gz /usr/share/bash-completion/completions/sochi; do
	grep -qx "$f" "$T/contents" || missing+=("$f")
done
for f in sql/[0-9]*.sql sql/functions/*.sql; do
	grep -qx "/usr/share/sochi/$f" "$T/contents" || missing+=("/usr/share/sochi/$f")
done
dpkg-deb -I "$deb" conffiles >"$T/conffiles" 2>&1
grep -qx /etc/sochi/sochid.conf "$T/conffiles" || missing+=("conffile /etc/sochi/sochid.conf")
if [ ${#missing[@]} -gt 0 ]; then
	bad contents "not in the package:" "${missing[@]}"
else
	step contents
fi

if ! as_root true 2>/dev/null; then
	skip install "neither root nor sudo -n: dpkg -i needs root"
	exit $failed
fi
if [ -n "$(dpkg-query -W -f='${Status}' sochi 2>/dev/null | grep ' installed')" ]; then
	skip install "a package sochi is already installed on this machine; not replaced by a test"
	exit $failed
fi
installed=1
if ! as_root env DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$T/install.out" 2>&1; then
	bad install "dpkg -i $deb failed:" "$(tail -n 20 "$T/install.out")"
	exit 1
fi
problems=()
getent passwd _sochi >/dev/null || problems+=("no user _sochi")
getent group sochi >/dev/null || problems+=("no group sochi")
id -nG _sochi | grep -qw sochi || problems+=("_sochi is not in the group sochi")
[ "$(stat -c '%U:%G %a' /var/lib/sochi 2>/dev/null)" = "_sochi:_sochi 750" ] ||
	problems+=("/var/lib/sochi: $(stat -c '%U:%G %a' /var/lib/sochi 2>&1)")
[ "$(stat -c '%U:%G %a' /etc/sochi/tokens 2>/dev/null)" = "root:_sochi 640" ] ||
	problems+=("/etc/sochi/tokens: $(stat -c '%U:%G %a' /etc/sochi/tokens 2>&1)")
grep -q 'sochid --migrate' "$T/install.out" || problems+=("the postinst does not say to run sochid --migrate")
if [ -d /run/systemd/system ]; then
	systemctl is-enabled -q sochid.service || problems+=("sochid.service not enabled")
	systemctl is-enabled -q sochid.socket || problems+=("sochid.socket not enabled")
	systemctl is-active -q sochid.service && problems+=("sochid.service started before its database is set")
else
	# No systemd running: deb-systemd-helper records the enablement.
	[ -L /etc/systemd/system/multi-user.target.wants/sochid.service ] ||
		problems+=("sochid.service not enabled (no multi-user.target.wants link)")
	[ -L /etc/systemd/system/sockets.target.wants/sochid.socket ] ||
		problems+=("sochid.socket not enabled (no sockets.target.wants link)")
fi
pgrep -u _sochi -x sochid >/dev/null && problems+=("sochid runs")
if [ ${#problems[@]} -gt 0 ]; then
	bad install "${problems[@]}"
else
	step install
fi

if out=$(as_root runuser -u _sochi -- /usr/sbin/sochid -n 2>&1); then
	step check-config
else
	bad check-config "sochid -n on the installed /etc/sochi/sochid.conf: $out"
fi
expect=$(/usr/sbin/sochid --help 2>&1 | grep -o 'else [^)]*')
[ "$expect" = "else /etc/sochi/sochid.conf" ] || bad paths "sochid's default config: $expect"

# The administrator's steps the postinst prints, then an engineer's: a
# private PostgreSQL (script/sandbox, its sochid stopped), a database owned
# by the role _sochi, the installed config given its conninfo, sochid
# --migrate and sochid -f /etc/sochi/sochid.conf as _sochi, and a user in
# the group sochi who opens an incident through the socket and reads its
# report with a role of its own in sochi_reader.
run_installed() {
	local sb=$T/sb pgrun code out spid=
	chmod 755 "$T"
	SOCHI_SANDBOX_DIR=$sb SOCHID=/usr/sbin/sochid script/sandbox up >"$T/sb.env" 2>"$T/sb.err" ||
		{ echo "script/sandbox up: $(tail -n 3 "$T/sb.err")"; return 1; }
	SOCHI_SANDBOX_DIR=$sb script/sandbox down --sochid >/dev/null 2>&1
	pgrun=$(sed -n "s/^export PGHOST='\(.*\)'$/\1/p" "$T/sb.env")
	psql -h "$pgrun" -U sochi -d postgres -qAt -v ON_ERROR_STOP=1 >"$T/roles.out" 2>&1 <<-SQL ||
		create role _sochi login createrole;
		create database sochi_pkg owner _sochi;
		create role sochi_engineer login in role sochi_reader;
	SQL
		{ echo "roles: $(cat "$T/roles.out")"; return 1; }
	as_root sed -i "s|^database =.*|database = host=$pgrun dbname=sochi_pkg|" /etc/sochi/sochid.conf
	as_root install -d -o _sochi -g _sochi -m 0755 /run/sochi
	out=$(as_root runuser -u _sochi -- /usr/sbin/sochid --migrate 2>&1) ||
		{ echo "sochid --migrate: $out"; return 1; }
	# The shell says its PID, then becomes sochid: the PID to stop, known
	# before sochid says anything.
	as_root runuser -u _sochi -- sh -c 'echo "started (pid $$)"; exec "$@"' sh \
		/usr/sbin/sochid -f /etc/sochi/sochid.conf >"$T/sochid.log" 2>&1 </dev/null &
	spid=$!
	for _ in $(seq 200); do
		[ -S /run/sochi/sochid.sock ] && grep -q 'ready (pid' "$T/sochid.log" && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q 'ready (pid' "$T/sochid.log"; then
		echo "sochid did not start: $(tail -n 5 "$T/sochid.log")"
		stop_installed
		return 1
	fi
	as_root useradd --no-create-home --shell /usr/sbin/nologin -G sochi sochi_engineer
	if code=$(as_root runuser -u sochi_engineer -- "${clean_env[@]}" \
	    sochi open '試験障害' --category 5 --service 'インターネット関連サービス（電子メール）' 2>&1) &&
	    out=$(as_root runuser -u sochi_engineer -- "${clean_env[@]}" \
	    sochi report -i "$code" 2>&1) &&
	    grep -q 'インターネット関連サービス（電子メール）' <<<"$out"; then
		rc=0
	else
		echo "the engineer: code=$code; report: ${out:-}"; rc=1
	fi
	stop_installed
	SOCHI_SANDBOX_DIR=$sb script/sandbox down --purge >/dev/null 2>&1
	return $rc
}
# The engineer's environment: the installed files alone, libpq's defaults
# (its own name as role).
clean_env=(env -u SOCHI_CONFIG -u SOCHI_SOCKET -u PGUSER -u PGHOST -u PGPORT
	-u PGDATABASE -u PGSERVICE HOME=/nonexistent PATH=/usr/bin:/bin)
if out=$(run_installed 2>&1); then
	step run
else
	bad run "$out"
fi

installed=0
if ! as_root dpkg --purge sochi >"$T/purge.out" 2>&1; then
	bad purge "dpkg --purge failed:" "$(cat "$T/purge.out")"
	exit 1
fi
left=()
for f in /usr/sbin/sochid /usr/bin/sochi /etc/sochi /var/lib/sochi /run/sochi \
	/lib/systemd/system/sochid.service /etc/systemd/system/multi-user.target.wants/sochid.service \
	/etc/systemd/system/sockets.target.wants/sochid.socket; do
	[ ! -e "$f" ] || left+=("$f")
done
if [ ${#left[@]} -gt 0 ]; then
	bad purge "left after purge:" "${left[@]}"
else
	step purge
fi
exit $failed
