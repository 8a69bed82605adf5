#!/bin/sh
# Writes the C source that carries the migrations inside sochid, so that a
# binary always knows exactly which schema it needs and how to reach it.
# Usage: embed.sh sql/001_init.sql sql/002_....sql > daemon/migrations.c
set -eu
echo '/* Generated from the files in sql/ by sql/embed.sh; do not edit. */'
echo '#include "migrate.h"'
echo
echo 'const struct migration migrations[] = {'
for f in "$@"; do
	base=$(basename "$f")
	version=$(printf '%s\n' "$base" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p')
	[ -n "$version" ] || { echo "embed.sh: $f: not named NNN_name.sql" >&2; exit 1; }
	printf '\t{ %s, "%s",\n' "$version" "$base"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t    "/' -e 's/$/\\n"/' "$f"
	printf '\t},\n'
done
printf '\t{ 0, NULL, NULL }\n};\n'
