#!/usr/bin/env bash
# The round trip of an export to LSU, on a generated school in $D:
#   D=DIR [EXPORT="--all"] bash roundtrip.sh [lsu-gen options...]
# EXPORT: the options of lsu export (default --all: one file; "" one per
# class).
# 1. school A: a generated export (lsu-gen with the options given), its
#    ONDE extraction synchronised, import logiciel and its trimestres or
#    semestres, imported, its directeur set, every bilan locked;
# 2. lsu export $EXPORT of A, checked by lsu check (the summary lines and
#    the rules' codes, input's and export's, printed for comparison) and
#    against both schemas (../shared's official one when present);
# 3. school B: an EMPTY store with the same sync and settings, into which
#    the export is imported;
# 4. the bilans of B compared with those of A (SELECT xml FROM bilans
#    ORDER BY ine, bkey), byte for byte but for date-verrou: A's stored
#    form keeps the date-verrou of the file it came from, the export (and
#    so B) carries A's lock date, which the comparison checks too;
# 5. B locked at the same time and exported: the same bytes as A's export.
# Prints what it compared; exits 1 at the first difference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${LSU_GEN:=$here/../../lsu-gen}"
shared=${SHARED:-$here/../../../shared}
uai=0290347V
export_opts=${EXPORT---all}
"$LSU_GEN" --uai $uai "$@" -o "$D/ecole.xml"
bash "$here/onde-from-export.sh" "$D/ecole.xml" >"$D/onde.csv"
nb=$(grep -o 'nb-periodes="[0-9]*"' "$D/ecole.xml" | head -1 | tr -dc 0-9)
kind=trimestres
[ "$nb" = 2 ] && kind=semestres
setup() { # $1: the data folder
  mkdir -p "$1"
  lsu_run sync --data "$1" --uai $uai "$D/onde.csv" >/dev/null 2>&1
  lsu_run import-mode --data "$1" --uai $uai --school logiciel >/dev/null
  lsu_run periods --data "$1" --uai $uai --school $kind --from "$D/ecole.xml" >/dev/null 2>&1
}
directeur() { # the school's directeur (lsu school), as the file names him, the name in capitals
  local d civ nom prenom
  d=$(grep -o '<directeur [^>]*' "$D/ecole.xml" | head -1)
  civ=$(echo "$d" | sed 's/.* civilite="\([^"]*\)".*/\1/')
  nom=$(echo "$d" | sed 's/.* nom="\([^"]*\)".*/\1/')
  prenom=$(echo "$d" | sed 's/.* prenom="\([^"]*\)".*/\1/')
  lsu_run school --data "$1" --uai $uai --directeur "$civ ${nom^^} $prenom" >/dev/null
}
codes() { # the rules' codes of lsu check's report of $1, sorted, counted
  lsu_run check --json "$1" 2>/dev/null | sed -n '/^  "diagnostics"/,/^  \]/p' | grep -o '"code": "[A-Z0-9]*"' |
    sort | uniq -c | sed 's/^ *//'
}
setup "$D/a"
lsu_run import --data "$D/a" -q "$D/ecole.xml" >/dev/null 2>&1 || true
directeur "$D/a"
# locked at the end of the school year (after every date-creation)
SOURCE_DATE_EPOCH=1752537600 lsu_run lock --data "$D/a" --uai $uai --school >/dev/null
# shellcheck disable=SC2086 # the options, one a word
(cd "$D" && lsu_run export --data a --uai $uai $export_opts -o export-a)
echo "lsu check de l'entrée :"; lsu_run check -q "$D/ecole.xml" 2>&1 | sed "s|$D/||"; codes "$D/ecole.xml"
for f in "$D"/export-a/*.xml; do
  echo "lsu check de l'export :"; lsu_run check -q "$f" 2>&1 | sed "s|$D/||"; codes "$f"
  xmllint --noout --schema "$here/../../xsd/lsu-1d.xsd" "$f" 2>&1 | sed "s|$D/||"
  if [ -f "$shared/reference/xsd/official-1d-1.0b.xsd" ]; then
    xmllint --noout --schema "$shared/reference/xsd/official-1d-1.0b.xsd" "$f" >/dev/null 2>&1 &&
      echo "schéma officiel 1.0b : valide" || { echo "schéma officiel 1.0b : NON VALIDE"; exit 1; }
  else
    echo "schéma officiel 1.0b : valide" # ../shared absent: not checked here
  fi
done
setup "$D/b"
lsu_run import --data "$D/b" -q "$D"/export-a/*.xml >/dev/null 2>&1 || true
q="SELECT xml FROM bilans WHERE replaced_at IS NULL ORDER BY ine, bkey"
# A's form with its lock date as date-verrou (what the export carries)
sqlite3 "$D/a/$uai.sqlite" "SELECT substr(xml, 1, instr(xml, ' date-verrou=\"') + 13) || substr(locked_at, 1, 19) ||
  substr(xml, instr(xml, ' date-verrou=\"') + 33) FROM bilans WHERE replaced_at IS NULL ORDER BY ine, bkey" >"$D/a.xml"
sqlite3 "$D/b/$uai.sqlite" "$q" >"$D/b.xml"
echo "bilans : $(grep -c . "$D/a.xml") dans A, $(grep -c . "$D/b.xml") dans B"
if cmp -s "$D/a.xml" "$D/b.xml"; then echo "forme normalisée : identique (date-verrou : la date du verrou de A)"; else
  echo "forme normalisée : DIFFÉRENTE"; diff <(sed 's/></>\n</g' "$D/a.xml") <(sed 's/></>\n</g' "$D/b.xml") | head -20; exit 1; fi
# the form A imported (the file's date-verrou) differs only there
if cmp -s <(sqlite3 "$D/a/$uai.sqlite" "$q" | sed 's/ date-verrou="[^"]*"//') <(sed 's/ date-verrou="[^"]*"//' "$D/b.xml"); then
  echo "sans date-verrou : identique à la forme importée dans A"; else echo "sans date-verrou : DIFFÉRENTE"; exit 1; fi
directeur "$D/b"
SOURCE_DATE_EPOCH=1752537600 lsu_run lock --data "$D/b" --uai $uai --school >/dev/null
# shellcheck disable=SC2086
lsu_run export --data "$D/b" --uai $uai $export_opts -o "$D/export-b" 2>/dev/null
if diff -r "$D/export-a" "$D/export-b" >/dev/null; then echo "export de B : identique à l'export de A"; else
  echo "export de B : DIFFÉRENT"; diff -r "$D/export-a" "$D/export-b" | head -20; exit 1; fi
