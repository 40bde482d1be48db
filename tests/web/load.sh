#!/usr/bin/env bash
# A bounded load on lsu serve for the web suite: tools/load-serve.sh with 8
# schools of a small export uploading at once to a server at -j 2 (the
# others wait their turn): all answered, none lost, every import in its
# store.  PASS/FAIL lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/load.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$W/load"
if LOAD_SCHOOLS=8 LOAD_CLASSES=2 LOAD_PUPILS=5 LOAD_JOBS=2 LOAD_TIMEOUT=120 LOAD_QUIET=1 LOAD_DIR=$W/load/run \
  LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/../../tools/load-serve.sh" >"$W/load/out" 2>&1; then
  echo "PASS web load: 8 uploads at once to lsu serve -j 2, all answered, none lost ($(grep -o 'p95 [0-9.]* s' "$W/load/out"))"
else
  echo "FAIL web load: $(tr '\n' ' ' <"$W/load/out" | head -c 600)"
fi
if [ -z "$(ls -A "$W/load/run/data/televersements" 2>/dev/null)" ]; then echo "PASS web load: no upload left in DATA/televersements"
else echo "FAIL web load: uploads left: $(ls "$W/load/run/data/televersements")"; fi
