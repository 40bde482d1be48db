#!/usr/bin/env bash
# make lint: no call that cannot be bounded or checked (STYLE.md): sprintf,
# strcpy, strcat, strtok, atoi, atol, gets, vsprintf.  Prints each use with
# its place and exits 1 when there is one.
set -u
cd "$(dirname "$0")/.." || exit 2
pattern='\b(v?sprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\('
if grep -rnE "$pattern" --include='*.c' --include='*.h' src tools tests; then
  echo "lint: banned calls above (use snprintf, lsu_buf, strtol with checks)" >&2
  exit 1
fi
exit 0
