#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man pages tell the whole truth: mandoc -Tlint finds no warning or
# error in any page; every key sochid knows (--print-config) is described in
# sochid.conf(5); every command and option of `sochi --help` is in sochi(1).
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null || fail "mandoc not found (package mandoc; script/bootstrap installs it)"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top_builddir" man/sochi.1 man/sochid.8 man/sochid.conf.5
man1=$top_builddir/man/sochi.1 man5=$top_builddir/man/sochid.conf.5 man8=$top_builddir/man/sochid.8

# Style notes (lines over 80 bytes, which every line of Japanese is; pages
# of the others not installed here) are not counted.
out=$(mandoc -Tlint -W warning "$man1" "$man5" "$man8" 2>&1) ||
	fail "mandoc -Tlint: $out"
[ -z "$out" ] || fail "mandoc -Tlint: $out"
pass "mandoc -Tlint: no warning"

missing=()
while IFS= read -r key; do
	sect=${key%%.*} name=${key#*.}
	case $sect in
	# [phases]: NAME = heading; the page lists the default names.
	phases) grep -Eq "(^|[ ,])$name [^ ]" "$man5" || missing+=("$key") ;;
	# a key: after Cm, alone or in a list of keys.
	*) grep -Eq "^\.(It )?Cm (.* )?$name( |$)" "$man5" || missing+=("$key") ;;
	esac
done < <(SOCHI_CONFIG=/dev/null "$top_builddir/daemon/sochid" --print-config 2>&1 |
	sed -n 's/^\([a-z_]*\.[a-z_]*\) = .*/\1/p')
[ ${#missing[@]} = 0 ] || fail "keys not in sochid.conf(5): ${missing[*]}"
pass "every config key is in sochid.conf(5)"

help=$("$SOCHI" --help 2>&1)
missing=() verbs=0 opts=0
for verb in $(sed -n '/^commands:/,$s/^  \([a-z]\{1,\}\) .*/\1/p' <<<"$help"); do
	grep -Eq "^\.(Cm|It Cm) $verb( |$)" "$man1" || missing+=("$verb")
	verbs=$((verbs + 1))
done
for opt in $(grep -oE '(^|[ [])--?[a-zA-Z][a-z-]*' <<<"$help" | sed 's/^[ [ ]*//' | sort -u); do
	case $opt in
	--*) grep -Eq "Fl \\\\-${opt#--}( |$)" "$man1" || missing+=("$opt") ;;
	*) grep -Eq "Fl ${opt#-}( |$)" "$man1" || missing+=("$opt") ;;
	esac
	opts=$((opts + 1))
done
[ $verbs -ge 20 ] && [ $opts -ge 20 ] || fail "read only $verbs commands and $opts options from sochi --help"
[ ${#missing[@]} = 0 ] || fail "in sochi --help but not in sochi(1): ${missing[*]}"
pass "every command and option of sochi --help is in sochi(1)"

# The licence: LICENSE, and every source file saying which in its first lines.
grep -q '^MIT License$' "$top_srcdir/LICENSE" || fail "LICENSE is not the MIT licence"
unmarked=$(cd "$top_srcdir" && find lib store daemon cli office script sql tests/unit \
	tests/integration tests/fuzz tests/bench -type f \( -name '*.[ch]' -o -name '*.sh' \
	-o -name '*.sql' -o -path 'script/*' \) ! -name migrations.c ! -path '*/corpus/*' \
	! -path '*/sandbox-*' ! -name '*.log' ! -name '*.trs' ! -name '*.o' -print |
	while IFS= read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"; done)
[ -z "$unmarked" ] || fail "no SPDX-License-Identifier in: $unmarked"
pass "LICENSE, and an SPDX line in every source file"
