#!/usr/bin/env bash
# Sets up a small school for the store tests, in the data folder $D:
# a generated export ecole.xml (UAI 0290347V, 2 classes of 1 pupil,
# trimestres), its ONDE extraction onde.csv, synchronised, both classes in
# import logiciel with the export's trimestres.  Prints nothing on success.
#   D=DIR bash school.sh [--no-settings]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${LSU_GEN:=$here/../../lsu-gen}"
"$LSU_GEN" --classes 2 --pupils 1 --periods 3 --seed 7 --uai 0290347V -o "$D/ecole.xml"
bash "$here/onde-from-export.sh" "$D/ecole.xml" >"$D/onde.csv"
lsu_run sync --data "$D" --uai 0290347V "$D/onde.csv" 2>/dev/null
[ "${1:-}" = --no-settings ] && exit 0
lsu_run import-mode --data "$D" --uai 0290347V --school logiciel >/dev/null
lsu_run periods --data "$D" --uai 0290347V --school trimestres \
  --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
