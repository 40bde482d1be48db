#!/usr/bin/env bash
# make valgrind-corpus: `lsu check` under valgrind on every input of the
# fuzz corpus (build/fuzz-corpus, filled by make fuzz), the samples and the
# golden cases' inputs, two at a time.  libFuzzer's AddressSanitizer cannot
# see reads of freed memory inside libxml2 and libxslt (not instrumented);
# valgrind can.  Prints one line per input with an error and a count; exits
# 1 when valgrind reported anything.
#   LSU=build-libc/lsu bash tools/valgrind-corpus.sh [DIR...]
set -u
cd "$(dirname "$0")/.." || exit 2
LSU=${LSU:-build-libc/lsu}
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(build/fuzz-corpus samples tests/cases)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
find "${dirs[@]}" -type f \( -name '*.xml' -o -path 'build/fuzz-corpus/*' \) 2>/dev/null | sort >"$out/list"
# shellcheck disable=SC2016 # expanded by the inner shell
xargs -P 2 -I{} sh -c 'valgrind -q --error-exitcode=99 "$1" check -q "$2" >/dev/null 2>"$3.err"
  [ $? = 99 ] && echo "$2"' _ "$LSU" {} "$out/one" <"$out/list" >"$out/bad"
n=$(wc -l <"$out/list")
bad=$(wc -l <"$out/bad")
sed 's/^/valgrind error: /' "$out/bad"
echo "$n inputs under valgrind, $bad with an error"
[ "$bad" -eq 0 ]
