#!/usr/bin/env bash
# The test runner: unit tests, golden end-to-end cases, hostile inputs,
# schema conformance and catalogue checks, fuzz seeds replayed.  Prints one
# line per test (PASS / FAIL / SKIP) and ends with "N passed, N failed"
# (", N skipped").
#
#   bash tests/run.sh [unit|golden|hostile|memory|pdf|batch|conformance|catalogue|options|store|fuzz]...
#
# Environment: LSU (binary, default ./lsu), LSU_GEN, UNIT, CONFORMANCE,
# FUZZ_REPLAY;
# UPDATE=1 rewrites the expected files of the golden cases from the actual
# output (review the diff); VALGRIND=1 runs lsu under valgrind; CASES="glob
# ..." runs only the golden cases whose name matches one of the globs;
# UNIT_GROUPS="dates onde" only those groups of the unit tests.
#
# A golden case is a folder of tests/cases (see run_golden): `cmd`, its
# input, the expected files.  Its input is usually a patch of the base
# export tests/cases/valide-aucun-diagnostic/entree.xml, a sed script
# entree.sed.  To add one:
#
#   make case NAME=reg025-xxx SED='s|positionnement="3"|positionnement="9"|' \
#        CMD='lsu_run check entree.xml'     (that CMD is the default)
#
# (SED on one line: several commands separated by `;`, `$` taken as it
# is) writes tests/cases/NAME/{entree.sed,cmd}, runs
# `UPDATE=1 CASES=NAME bash tests/run.sh golden` to record what lsu does
# and prints the files: review expected.stderr, expected.stdout and
# expected.exit, then commit the folder.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
LSU=${LSU:-./lsu}
LSU=$(cd "$(dirname "$LSU")" && pwd)/$(basename "$LSU")
LSU_GEN=${LSU_GEN:-./lsu-gen}
UNIT=${UNIT:-build/unit}
CONFORMANCE=${CONFORMANCE:-build/conformance}
PGMDIFF=${PGMDIFF:-build/pgmdiff}
FUZZ_REPLAY=${FUZZ_REPLAY:-build/fuzz-replay}
FAILALLOC=${FAILALLOC:-build/failalloc.so}
[ -f "$FAILALLOC" ] && FAILALLOC=$(cd "$(dirname "$FAILALLOC")" && pwd)/$(basename "$FAILALLOC")
SHARED=${SHARED:-$ROOT/../shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lsu-tests.XXXXXX")
# a case that holds entree.sed gets its entree.xml only while it runs
# (run_golden): whatever stops the run, none is left behind
remove_built_inputs() {
  local sed_script
  for sed_script in tests/cases/*/entree.sed; do
    [ -f "$sed_script" ] && rm -f "${sed_script%.sed}.xml"
  done
}
trap 'rm -rf "$TMP"; remove_built_inputs' EXIT
export SOURCE_DATE_EPOCH=1751274000 # 2025-06-30 09:00:00 UTC: reports are reproducible
export LC_ALL=C.UTF-8

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; }

lsu_run() {
  if [ "${VALGRIND:-0}" = 1 ]; then
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$LSU" "$@"
  else
    "$LSU" "$@"
  fi
}
export -f lsu_run
export LSU VALGRIND
LSU_GEN_ABS=$(cd "$(dirname "$LSU_GEN")" 2>/dev/null && pwd)/$(basename "$LSU_GEN")
export LSU_GEN=$LSU_GEN_ABS # the store's golden cases generate their school (tests/store/school.sh)

# The unit tests: build/unit (tests/unit/*.c) prints one PASS/FAIL line per
# check; UNIT_GROUPS="dates onde" runs only those groups of its table
# (`build/unit --list` names them).
run_unit() {
  local u
  for u in $UNIT; do
    if [ ! -x "$u" ]; then echo "FAIL unit: $u not built"; continue; fi
    # shellcheck disable=SC2086 # one word per group
    "$u" ${UNIT_GROUPS:-} || echo "FAIL unit: $u exit status $?"
  done
}

# The shared base export: a case's entree.sed is a sed script over it.
BASE_INPUT=tests/cases/valide-aucun-diagnostic/entree.xml

# Writes to $2 the input of case folder $1 that holds entree.sed: the base
# export patched by that script.
build_case_input() {
  sed -f "$1/entree.sed" "$BASE_INPUT" >"$2"
}

# Prints, one a line, every case's XML input: the case folders' *.xml, and
# the inputs of the cases that hold entree.sed, built under $TMP/cases.
case_inputs() {
  local sed_script name
  ls tests/cases/*/*.xml
  for sed_script in tests/cases/*/entree.sed; do
    [ -f "$sed_script" ] || continue
    name=$(basename "$(dirname "$sed_script")")
    mkdir -p "$TMP/cases/$name"
    build_case_input "$(dirname "$sed_script")" "$TMP/cases/$name/entree.xml" && echo "$TMP/cases/$name/entree.xml"
  done
}

# Each folder of tests/cases holds `cmd` (a shell command run in that
# folder, with lsu_run for lsu) and the expected files: expected.exit,
# expected.stdout, expected.stderr, and expected.files (the list of files
# the command writes under out/, with their content in expected-out/).
# Its input is entree.xml, or entree.sed: a sed script that makes
# entree.xml from the base export ($BASE_INPUT) before `cmd` runs; that
# entree.xml is removed after (a folder holds one or the other).
run_golden() {
  local dir name out pattern wanted
  for dir in tests/cases/*/; do
    name=$(basename "$dir")
    [ -f "$dir/cmd" ] || continue
    # CASES="xsd* reg*": only the cases whose name matches one of the globs
    if [ -n "${CASES:-}" ]; then
      wanted=0
      for pattern in $CASES; do
        # shellcheck disable=SC2254 # the pattern is a glob on purpose
        case $name in $pattern) wanted=1 ;; esac
      done
      [ "$wanted" = 1 ] || continue
    fi
    # a memory bound cannot be set under AddressSanitizer or valgrind, and a
    # one-second time bound does not fit valgrind's slowness
    if [ -f "$dir/skip-sanitizers" ] && { [ -n "${LSU_SANITIZED:-}" ] || [ "${VALGRIND:-0}" = 1 ]; }; then
      echo "SKIP golden $name: no memory bound under sanitizers"; continue
    fi
    if [ -f "$dir/skip-valgrind" ] && [ "${VALGRIND:-0}" = 1 ]; then
      echo "SKIP golden $name: too slow under valgrind"; continue
    fi
    out=$TMP/golden-$name
    mkdir -p "$out"
    rm -rf "$dir/out"
    if [ -f "$dir/entree.sed" ] && ! build_case_input "$dir" "$dir/entree.xml"; then
      rm -f "$dir/entree.xml"
      fail "golden $name: entree.sed does not apply to $BASE_INPUT"; continue
    fi
    (cd "$dir" && bash ./cmd >"$out/stdout" 2>"$out/stderr"; echo $? >"$out/exit")
    [ -f "$dir/entree.sed" ] && rm -f "$dir/entree.xml"
    if [ -d "$dir/out" ]; then
      (cd "$dir/out" && find . -type f | sort) >"$out/files"
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
      cp "$out/exit" "$dir/expected.exit"
      cp "$out/stdout" "$dir/expected.stdout"
      cp "$out/stderr" "$dir/expected.stderr"
      rm -rf "$dir/expected-out" "$dir/expected.files"
      if [ -d "$dir/out" ]; then
        cp "$out/files" "$dir/expected.files"
        cp -r "$dir/out" "$dir/expected-out"
      fi
    fi
    local bad=""
    for k in exit stdout stderr; do
      if ! cmp -s "$out/$k" "$dir/expected.$k"; then bad="$bad $k"; fi
    done
    # every JSON lsu writes parses, whatever the input (issue 15, item 9)
    if grep -q -- '--json' "$dir/cmd" && [ -s "$out/stdout" ] && head -c1 "$out/stdout" | grep -q '[[{]' &&
      ! jq -e . "$out/stdout" >/dev/null 2>&1; then
      bad="$bad stdout(not JSON)"
    fi
    if [ -d "$dir/out" ] && find "$dir/out" -name '*.json' -exec sh -c 'for f; do jq -e . "$f" >/dev/null 2>&1 || echo "$f"; done' sh {} + | grep -q .; then
      bad="$bad out/(a .json report is not JSON)"
    fi
    # an output that names this checkout's folder passes only where it was
    # recorded: a clean clone elsewhere (CI) would differ
    if grep -qF "$ROOT/" "$out/stdout" "$out/stderr"; then
      bad="$bad (output names the checkout's folder $ROOT: use relative paths)"
    fi
    if [ -f "$dir/expected.files" ]; then
      if ! cmp -s "$out/files" "$dir/expected.files"; then
        bad="$bad files"
      elif find "$dir/out" -mindepth 1 -type d -empty | grep -q .; then
        bad="$bad out/(empty folder left: git keeps none, so it cannot be expected)"
      elif ! diff -r "$dir/out" "$dir/expected-out" >/dev/null 2>&1; then
        bad="$bad out/"
      fi
    fi
    rm -rf "$dir/out"
    if [ -z "$bad" ]; then pass "golden $name"; else
      fail "golden $name: differs in$bad"
      for k in $bad; do
        case $k in exit|stdout|stderr) diff "$dir/expected.$k" "$out/$k" | head -10 | sed 's/^/    /' ;; esac
      done
    fi
  done
}

# Writes hostile inputs and checks that each gets its diagnostic, an exit
# status, bounded memory (reports written under -o included) and no crash.
run_hostile() {
  local h=$TMP/hostile
  mkdir -p "$h"
  # name | expected code | expected exit | content generator
  {
    printf '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    local prev=lol
    for i in 1 2 3 4 5 6 7 8 9; do
      printf '<!ENTITY lol%d "' "$i"; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done; printf '">\n'
      prev=lol$i
    done
    printf ']>\n<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="1.0">&lol9;</lsun-bilans>\n'
  } >"$h/billion-laughs.xml"
  printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<r>&xxe;</r>\n' >"$h/external-entity.xml"
  printf '<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://127.0.0.1:9/lsu.dtd">\n<r/>\n' >"$h/external-dtd.xml"
  { printf '<?xml version="1.0"?>\n'; for _ in $(seq 50000); do printf '<a>'; done; } >"$h/deep-nesting.xml"
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import">\n<entete><editeur>\xe9diteur</editeur></entete></lsun-bilans>\n' >"$h/invalid-utf8.xml"
  printf '\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n<autre/>\n' >"$h/bom-utf8.xml"
  printf '\xff\xfe<\x00a\x00/\x00>\x00\n\x00' >"$h/bom-utf16le.xml"
  printf '\x00\x00\x00\x00garbage' >"$h/binary.xml"
  printf '<a>\x01</a>\n' >"$h/control-char.xml"
  : >"$h/empty.xml"
  printf '   \n\n  ' >"$h/blank.xml"
  truncate -s 200M "$h/huge-200mb.xml"
  printf '<?xml version="1.0"?>\n<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="1.0"><donnees><directeurs/>' >"$h/truncated.xml"
  mkdir -p "$h/a-directory.xml"
  # one element with a million attributes (13 MB): libxml2 compares each
  # with all the others, minutes before the fix (issue 15, item 1)
  awk 'BEGIN { printf "<?xml version=\"1.0\"?>\n<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" schemaVersion=\"1.0\">\n<donnees";
               for (i = 0; i < 1000000; i++) printf " a%d=\"1\"", i; print "/></lsun-bilans>" }' >"$h/million-attributes.xml"
  # a hundred thousand references to nothing in one attribute (700 kB):
  # one diagnostic each, 1.8 GB and 150 MB of reports before the cap
  # (issue 15, item 2)
  awk 'NR == 35 { r = ""; for (i = 0; i < 100000; i++) r = r " X" i; sub(/enseignant-refs="ENS1"/, "enseignant-refs=\"ENS1" r "\"") } { print }' \
    "$BASE_INPUT" >"$h/refs-to-nothing.xml"
  # 6 000 bilans of one pupil and one period, each after 80 comments (4 MB):
  # for each error libxml2 2.9 walked back over every node before the
  # bilan, minutes before the fix (issue 15, item 3); the comments stand in
  # for more bilans, whose report rows would cost 9 kB each
  awk '/<\/bilans-periodiques>/ { skip = 0 } !skip { print }
       /<bilans-periodiques>/ { skip = 1; for (j = 0; j < 80; j++) c = c "<!---->"
                                for (i = 0; i < 6000; i++) print c "<bilan-periodique eleve-ref=\"EL1\" periode-ref=\"P1\"/>" }' \
    "$BASE_INPUT" >"$h/repeated-bilans.xml"
  # 200 MB; AddressSanitizer's shadow memory and quarantine take about three
  # times the memory of a plain build
  local spec limit=204800
  [ -n "${LSU_SANITIZED:-}" ] && limit=614400
  for spec in \
    "billion-laughs.xml LEC006 2" "external-entity.xml LEC006 2" "external-dtd.xml LEC006 2" \
    "deep-nesting.xml LEC007 2" "invalid-utf8.xml LEC005 2" "bom-utf8.xml FMT001 2" \
    "bom-utf16le.xml FMT001 2" "binary.xml LEC00 2" "control-char.xml LEC004 2" "empty.xml LEC002 2" \
    "blank.xml LEC002 2" "huge-200mb.xml LEC003 2" "truncated.xml LEC004 2" "a-directory.xml LEC001 2" \
    "missing-file.xml LEC001 2" "million-attributes.xml LEC008 2" "refs-to-nothing.xml REF001 2" \
    "repeated-bilans.xml XSD010 2"; do
    set -- $spec
    local f=$1 code=$2 want=$3 rc rss
    /usr/bin/env time -f %M -o "$h/$f.rss" timeout 60 "$LSU" check -o "$h/rapports" "$h/$f" >"$h/$f.out" 2>"$h/$f.err"
    rc=$?
    rss=$(tail -1 "$h/$f.rss" 2>/dev/null || echo 0)
    case $rss in ''|*[!0-9]*) rss=0 ;; esac
    if [ "$rc" != "$want" ]; then fail "hostile $f: exit $rc, expected $want"; sed 's/^/    /' "$h/$f.err" | head -5
    elif ! grep -q "\[$code" "$h/$f.err"; then fail "hostile $f: no $code diagnostic"; sed 's/^/    /' "$h/$f.err" | head -5
    elif [ "$rss" -gt "$limit" ]; then fail "hostile $f: peak memory ${rss} kB (bound ${limit} kB)"
    else pass "hostile $f ($code, exit $rc, ${rss} kB)"; fi
  done
}

# Memory stays flat over a batch: the peak for eight files is the peak for
# one (within 15 %), since everything of a file is freed before the next.
run_memory() {
  if [ ! -x "$LSU_GEN" ]; then echo "SKIP memory: $LSU_GEN not built"; return; fi
  local m=$TMP/memory one eight i
  mkdir -p "$m"
  "$LSU_GEN" --classes 4 --pupils 25 --periods 3 --seed 3 -o "$m/ecole-1.xml"
  for i in 2 3 4 5 6 7 8; do cp "$m/ecole-1.xml" "$m/ecole-$i.xml"; done
  /usr/bin/env time -f %M -o "$m/one" "$LSU" check -q -o "$m/out" "$m/ecole-1.xml" 2>/dev/null
  /usr/bin/env time -f %M -o "$m/eight" "$LSU" check -q -o "$m/out" "$m"/ecole-*.xml 2>/dev/null
  one=$(tail -1 "$m/one"); eight=$(tail -1 "$m/eight")
  if [ $((eight * 100)) -le $((one * 115)) ]; then pass "memory flat over 8 files (${one} kB for 1, ${eight} kB for 8)"
  else fail "memory grows over files: ${one} kB for 1, ${eight} kB for 8"; fi

  # the reports of a file of empty bilans (three diagnostics each) cost no
  # more than checking it: the HTML page lists the first 2 000 diagnostics
  # of each list and 5 000 bilans, with the exact counts and where the rest
  # is; the CSV and JSON keep every diagnostic (issue 15)
  # (15 000 bilans: the HTML page's cost stays under the cap while that of
  # checking grows; before the cap the reports tripled the peak)
  "$LSU_GEN" --classes 200 --pupils 25 --periods 3 --seed 4 -o "$m/plein.xml"
  awk '/<bilan-periodique /{print; print "<liste-acquis><acquis code-domaine=\"EPS-RAC\" positionnement=\"3\"/></liste-acquis>"; skip=1; next}
       /<\/bilan-periodique>/{skip=0} !skip' "$m/plein.xml" >"$m/vides.xml"
  /usr/bin/env time -f %M -o "$m/vides-check" "$LSU" check -q "$m/vides.xml" 2>/dev/null
  /usr/bin/env time -f %M -o "$m/vides-rapports" "$LSU" check -q -o "$m/vides-out" "$m/vides.xml" 2>/dev/null
  local chk rap lis total json
  chk=$(tail -1 "$m/vides-check"); rap=$(tail -1 "$m/vides-rapports")
  lis=$(grep -o '<li class="diag diag-alerte"' "$m/vides-out/vides.rapport.html" | wc -l)
  total=$(grep -c 'alerte \[REG007\]' <("$LSU" check "$m/vides.xml" 2>&1))
  json=$(jq '[.diagnostics[] | select(.code == "REG007")] | length' "$m/vides-out/vides.rapport.json" 2>/dev/null)
  if [ "$total" -gt 2000 ] && [ "$lis" = 2000 ] && [ "$json" = "$total" ] &&
    grep -q "Seuls les 2000 premiers diagnostics sur $total sont affichés" "$m/vides-out/vides.rapport.html" &&
    grep -q "Seuls les 5000 premiers bilans sur 15000 sont affichés" "$m/vides-out/vides.rapport.html" &&
    [ $((rap * 100)) -le $((chk * 115)) ]; then
    pass "memory reports of 15 000 empty bilans: ${rap} kB with the reports, ${chk} kB without; HTML 2 000 of $total alerts, JSON all"
  else fail "memory reports of empty bilans: ${rap} kB with, ${chk} kB without; HTML $lis alerts of $total, JSON $json"; fi

  # lsu edit --uai builds and frees one document per zip: the peak memory
  # of editing 15 classes is that of editing 5 (same levels and class
  # size; lsu edit on the export takes about three times more at 15)
  local k peak5 peak15 n
  for k in 5 15; do
    mkdir -p "$m/edit$k"
    "$LSU_GEN" --classes "$k" --pupils 25 --periods 3 --seed 11 --uai 0290347V -o "$m/edit$k/e.xml"
    bash tests/store/onde-from-export.sh "$m/edit$k/e.xml" >"$m/edit$k/onde.csv"
    "$LSU" sync --data "$m/edit$k" --uai 0290347V "$m/edit$k/onde.csv" >/dev/null 2>&1
    "$LSU" import-mode --data "$m/edit$k" --uai 0290347V --school logiciel >/dev/null 2>&1
    "$LSU" periods --data "$m/edit$k" --uai 0290347V --school trimestres \
      --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
    "$LSU" import --data "$m/edit$k" -q "$m/edit$k/e.xml" >/dev/null 2>&1
    "$LSU" lock --data "$m/edit$k" --uai 0290347V --school >/dev/null 2>&1
    /usr/bin/env time -f %M -o "$m/edit$k/rss" "$LSU" edit --data "$m/edit$k" --uai 0290347V -o "$m/edit$k/out" \
      2>"$m/edit$k/err"
    echo $? >"$m/edit$k/rc"
  done
  peak5=$(tail -1 "$m/edit5/rss"); peak15=$(tail -1 "$m/edit15/rss")
  case $peak5$peak15 in ''|*[!0-9]*) peak5=1 peak15=999999 ;; esac
  n=$(ls "$m/edit15/out/0290347V" 2>/dev/null | wc -l)
  if [ "$(cat "$m/edit5/rc")" = 0 ] && [ "$(cat "$m/edit15/rc")" = 0 ] && [ "$n" = 15 ] &&
    [ $((peak15 * 10)) -le $((peak5 * 12)) ]; then
    pass "store edit --uai memory flat: 15 classes ${peak15} kB, 5 classes ${peak5} kB (15 zips)"
  else
    fail "store edit --uai memory: 15 classes ${peak15} kB, 5 classes ${peak5} kB, $n zips, exits $(cat "$m/edit5/rc") $(cat "$m/edit15/rc")"
    sed 's/^/    /' "$m/edit15/err" | tail -3
  fi

  # lsu enter applies one class's file: its peak memory for a school of 12
  # classes (its bilans imported) is that for 4 classes of the same size;
  # every class's filled template (tests/store/fill-template.awk) entered
  local ke peak4 peak12 applied4 applied12 id
  for ke in 4 12; do
    local e=$m/enter$ke
    mkdir -p "$e/filled"
    "$LSU_GEN" --classes "$ke" --pupils 25 --periods 3 --seed 12 --uai 0290347V -o "$e/e.xml"
    bash tests/store/onde-from-export.sh "$e/e.xml" >"$e/onde.csv"
    "$LSU" sync --data "$e" --uai 0290347V "$e/onde.csv" >/dev/null 2>&1
    "$LSU" import-mode --data "$e" --uai 0290347V --school logiciel >/dev/null 2>&1
    "$LSU" periods --data "$e" --uai 0290347V --school trimestres \
      --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
    "$LSU" school --data "$e" --uai 0290347V --directeur "MME MARTIN Claire" >/dev/null 2>&1
    "$LSU" import --data "$e" -q "$e/e.xml" >/dev/null 2>&1
    : >"$e/rss"
    : >"$e/out"
    for id in $("$LSU" import-mode --data "$e" --uai 0290347V | sed -n 's/.*(\([0-9]*\)).*/\1/p'); do
      "$LSU" template --data "$e" --uai 0290347V --class "$id" --period 2 -o "$e/t.csv" >/dev/null 2>&1
      tail -c +4 "$e/t.csv" | awk -f tests/store/fill-template.awk >"$e/filled/$id.csv"
      /usr/bin/env time -a -f %M -o "$e/rss" "$LSU" enter --data "$e" --uai 0290347V "$e/filled/$id.csv" \
        >>"$e/out" 2>/dev/null
    done
  done
  peak4=$(sort -n "$m/enter4/rss" | tail -1); peak12=$(sort -n "$m/enter12/rss" | tail -1)
  case $peak4$peak12 in ''|*[!0-9]*) peak4=1 peak12=999999 ;; esac
  applied4=$(grep -c '^Enregistré : 25 bilans modifiés' "$m/enter4/out")
  applied12=$(grep -c '^Enregistré : 25 bilans modifiés' "$m/enter12/out")
  if [ "$applied4" = 4 ] && [ "$applied12" = 12 ] && [ $((peak12 * 10)) -le $((peak4 * 12)) ]; then
    pass "store enter memory flat: 12 classes ${peak12} kB, 4 classes ${peak4} kB (each class's file applied)"
  else
    fail "store enter memory: 12 classes ${peak12} kB, 4 classes ${peak4} kB; files applied $applied12/12, $applied4/4"
  fi

  # one zip for the whole school is built class by class too: its peak is
  # that of one zip per class, and its entries are the same bytes
  local school rc_school entries_class entries_school
  /usr/bin/env time -f %M -o "$m/edit15/rss-school" "$LSU" edit --data "$m/edit15" --uai 0290347V --by school \
    -o "$m/edit15/out-school" 2>"$m/edit15/err-school"
  rc_school=$?
  school=$(tail -1 "$m/edit15/rss-school")
  case $school in ''|*[!0-9]*) school=999999 ;; esac
  entries_class=$(for z in "$m/edit15/out/0290347V"/*.zip; do unzip -p "$z" MANIFEST.csv | tail -n +2; done |
    grep -v '^Classe_' | cut -d';' -f1,7 | sort | sha256sum)
  entries_school=$(unzip -p "$m/edit15/out-school/0290347V/ecole_0290347V.zip" MANIFEST.csv | tail -n +2 |
    grep -v '^Classe_' | cut -d';' -f1,7 | sort | sha256sum)
  if [ "$rc_school" = 0 ] && [ $((school * 10)) -le $((peak15 * 12)) ] && [ "$entries_class" = "$entries_school" ]; then
    pass "store edit --uai --by school memory flat: ${school} kB for one zip of 15 classes, ${peak15} kB by class; same PDFs"
  else
    fail "store edit --uai --by school: exit $rc_school, ${school} kB against ${peak15} kB by class, same PDFs: $([ "$entries_class" = "$entries_school" ] && echo yes || echo no)"
    sed 's/^/    /' "$m/edit15/err-school" | tail -3
  fi
}

# PDF bilans end to end: `lsu run` on the samples, then every zip, its
# manifest, every PDF (qpdf --check), the text and the Xs of a bilan, page
# counts, rejected bilans without PDF, reproducible bytes, golden renders.
run_pdf() {
  for tool in qpdf pdftotext pdfinfo pdftoppm zipinfo unzip sha256sum; do
    command -v $tool >/dev/null || { echo "SKIP pdf: $tool not installed"; return; }
  done
  local p=$TMP/pdf
  mkdir -p "$p"
  "$LSU" run -q -o "$p/a" samples/ecole-jules-ferry.xml samples/bilans-rejetes.xml >"$p/a.log" 2>&1
  local rc=$?
  if [ "$rc" = 1 ]; then pass "pdf lsu run exit status 1 (some bilans rejected)"; else fail "pdf lsu run: exit $rc"; sed 's/^/    /' "$p/a.log" | tail -5; return; fi
  "$LSU" run -q -o "$p/b" samples/ecole-jules-ferry.xml samples/bilans-rejetes.xml >/dev/null 2>&1
  if diff -r "$p/a" "$p/b" >/dev/null; then pass "pdf same input, same bytes (zips, PDFs, reports)"
  else fail "pdf two runs differ: $(diff -rq "$p/a" "$p/b" | head -3)"; fi
  # the file's modalités d'accompagnement are not printed: LSU ignores them
  # (REG010) and prints ONDE's dispositifs (FORMAT.md §4)
  mkdir -p "$p/mod" && (cd "$p/mod" && unzip -q -o "$p/a/ecole-jules-ferry/CM2_A.zip" Brunet_Enzo_8487400578L_T1.pdf)
  if pdftotext "$p/mod/Brunet_Enzo_8487400578L_T1.pdf" - 2>/dev/null | grep -q "Appréciation générale" &&
    ! pdftotext "$p/mod/Brunet_Enzo_8487400578L_T1.pdf" - | grep -qi "modalités"; then
    pass "pdf a bilan whose file gives a PPRE prints no modalités (REG010: LSU ignores them)"
  else fail "pdf the file's modalités d'accompagnement are printed, or the bilan is missing"; fi
  local zips=0 bad=0 z
  for z in "$p"/a/*/*.zip; do
    zips=$((zips + 1))
    local d=$p/x/$(basename "$(dirname "$z")")/$(basename "$z" .zip)
    mkdir -p "$d" && (cd "$d" && unzip -q "$z") || { fail "pdf unzip $z"; bad=1; continue; }
    # every entry but the manifests is in MANIFEST.csv with its SHA-256
    local listed entries
    entries=$(cd "$d" && ls | grep -v '^MANIFEST.csv$\|^manifeste.json$' | sort)
    listed=$(tail -n +2 "$d/MANIFEST.csv" | tr -d '\r' | awk -F';' '{print $1}' | tr -d '"' | sort)
    [ "$entries" = "$listed" ] || { fail "pdf $(basename "$z"): entries and manifest differ"; bad=1; }
    tail -n +2 "$d/MANIFEST.csv" | tr -d '\r' | awk -F';' '{print $NF "  " $1}' | tr -d '"' >"$d.sha"
    (cd "$d" && sha256sum -c --quiet "$d.sha") >/dev/null 2>&1 || { fail "pdf $(basename "$z"): manifest checksums"; bad=1; }
    local f
    for f in "$d"/*.pdf; do
      qpdf --check "$f" >/dev/null 2>&1 || { fail "pdf qpdf --check $(basename "$f")"; bad=1; }
    done
  done
  [ "$bad" = 0 ] && [ "$zips" -gt 0 ] && pass "pdf $zips zips: entries match their manifests, checksums right, every PDF passes qpdf --check"
  # rejected bilans have no PDF
  # "ine periode" of each rejected bilan, e.g. "1872035649R T2"
  local rejected
  rejected=$(sed -n 's/.*"ine": "\([0-9A-Z]*\)".*"periode": "Trimestre \([0-9]\).*"status": "rejete".*/\1_T\2/p' \
    "$p/a/bilans-rejetes.rapport.json" | sort -u)
  local missing_ok=1 key
  for key in $rejected; do
    if find "$p/x/bilans-rejetes" -name "*_${key}.pdf" | grep -q .; then missing_ok=0; fi
  done
  if [ -n "$rejected" ] && [ "$missing_ok" = 1 ] && grep -q 'PDF002' "$p/a/bilans-rejetes.rapport.json"; then
    pass "pdf rejected bilans get no PDF and a PDF002 note"
  else fail "pdf a rejected bilan got a PDF, or no PDF002 note"; fi

  # one pupil's bilan: pages, text, and the Xs in the positionnement columns
  local pupil
  pupil=$(find "$p/x/ecole-jules-ferry" -name 'Da_Silva_Zo*_T1.pdf' | head -1)
  local cycle
  cycle=$(find "$p/x/ecole-jules-ferry" -name 'Da_Silva_Zo*_fin_de_cycle_2.pdf' | head -1)
  if [ -z "$pupil" ] || [ -z "$cycle" ]; then fail "pdf Zoë Da Silva's bilans not found"; return; fi
  [ "$(pdfinfo "$pupil" | awk '/^Pages:/ {print $2}')" = 2 ] && pass "pdf bilan périodique has 2 pages" ||
    fail "pdf bilan périodique page count: $(pdfinfo "$pupil" | grep Pages)"
  [ "$(pdfinfo "$cycle" | awk '/^Pages:/ {print $2}')" = 1 ] && pass "pdf bilan de fin de cycle has 1 page" ||
    fail "pdf bilan de fin de cycle page count: $(pdfinfo "$cycle" | grep Pages)"
  pdftotext -layout "$pupil" "$p/zoe.txt" 2>/dev/null
  local want missing=""
  for want in "LIVRET SCOLAIRE" "DA SILVA Zoë" "INE : 6961181265A" "Suivi des acquis scolaires de l'élève" \
    "Français" "Mathématiques" "Questionner le monde" "Zoë participe peu aux échanges" "Parcours éducatifs" \
    "Appréciation générale sur la progression de l'élève" "Communication avec la famille" "Page 2/2"; do
    grep -qF "$want" "$p/zoe.txt" || missing="$missing [$want]"
  done
  [ -z "$missing" ] && pass "pdf bilan text holds the pupil, the domains, the appreciations, the verso" ||
    fail "pdf bilan text lacks$missing"
  "$LSU" check -q --normalise -o "$p/n" samples/ecole-jules-ferry.xml >/dev/null 2>&1
  local positioned
  positioned=$(awk '/<bilan-periodique / && /ine="6961181265A"/ && /indice="1"/ {on=1} on && /<\/bilan-periodique>/ {on=0}
    on && /<(acquis|sous-domaine) / && /positionnement="[1-4]"/ {n++} END {print n + 0}' "$p/n/ecole-jules-ferry.normalise.xml")
  pdftotext -bbox -f 1 -l 1 "$pupil" "$p/zoe.html" 2>/dev/null
  # the column heads "1 2 3 4" are the topmost line holding the four digits
  # (the legend repeats them at the bottom); every X lies in their span
  local xs
  xs=$(awk -F'"' '/>[1-4]<\/word>/ {d = substr($0, index($0, "</word>") - 1, 1); x[$4, d] = $2; seen[$4] = seen[$4] d}
    />X<\/word>/ {n++; xx[n] = $2}
    END {for (y in seen) if (length(seen[y]) == 4 && (top == "" || y + 0 < top + 0)) {top = y; lo = x[y, 1]; hi = x[y, 4]}
         for (i = 1; i <= n; i++) if (lo == "" || xx[i] < lo - 4 || xx[i] > hi + 12) bad++
         printf "%d %d", n, bad + 0}' "$p/zoe.html")
  [ "$xs" = "$positioned 0" ] && pass "pdf $positioned Xs, one per positioned row, all in the positionnement columns" ||
    fail "pdf Xs: got '$xs' (count, outside columns), expected $positioned positioned rows"

  # every character shows, and a font is embedded only where a text needs it:
  # Łukasz (CP1250) and Şule (CP1254) in plain Helvetica, Nguyễn in DejaVu
  "$LSU" edit -q --by school -o "$p/u" samples/alertes.xml >/dev/null 2>&1
  mkdir -p "$p/ux" && (cd "$p/ux" && unzip -q -o "$p"/u/alertes/*.zip)
  local name fonts text ok=1
  for name in "Łukasz:NOWAK Łukasz:no" "Şule:ÖZTÜRK Şule:no" "Nguyễn_Zoë:NGUYỄN Zoë:yes"; do
    IFS=: read -r file shown embedded <<<"$name"
    local pdf
    pdf=$(find "$p/ux" -name "*${file}*_T2.pdf" | head -1)
    [ -n "$pdf" ] || { fail "pdf no PDF for $file"; ok=0; continue; }
    text=$(pdftotext "$pdf" - 2>/dev/null)
    fonts=$(pdffonts "$pdf" 2>/dev/null | tail -n +3 | awk '{print $(NF-4)}' | sort -u | tr '\n' ' ')
    case $text in *"$shown"*) ;; *) fail "pdf $file: « $shown » not in the text"; ok=0 ;; esac
    if [ "$embedded" = no ] && [ "$fonts" != "no " ]; then fail "pdf $file: a font is embedded ($fonts)"; ok=0; fi
    if [ "$embedded" = yes ] && [ "${fonts#*yes}" = "$fonts" ]; then fail "pdf $file: no embedded font"; ok=0; fi
  done
  [ "$ok" = 1 ] && pass "pdf Łukasz, Şule and Nguyễn show; only Nguyễn's bilan embeds a font"

  # the printing options, on Yanis Garcia (two responsables with an address)
  "$LSU" edit -q --pupil 2779699730A --per-guardian --duplex --watermark --grayscale -o "$p/o" \
    samples/ecole-jules-ferry.xml >/dev/null 2>&1
  mkdir -p "$p/ox" && (cd "$p/ox" && unzip -q -o "$p"/o/ecole-jules-ferry/*.zip)
  local yanis ycycle
  yanis=$(find "$p/ox" -name 'Garcia_Yanis_*_T1.pdf' | head -1)
  ycycle=$(find "$p/ox" -name 'Garcia_Yanis_*_fin_de_cycle_2.pdf' | head -1)
  if [ -n "$yanis" ]; then
    local ytext
    ytext=$(pdftotext -layout "$yanis" - 2>/dev/null)
    [ "$(pdfinfo "$yanis" | awk '/^Pages:/ {print $2}')" = 4 ] && pass "pdf --per-guardian: one 2-page copy per responsable" ||
      fail "pdf --per-guardian pages: $(pdfinfo "$yanis" | grep Pages)"
    case $ytext in *"Angélique"*"Toulouse"*"Mohamed"*"Toulouse"*) pass "pdf --per-guardian: each copy carries its guardian's address" ;;
      *) fail "pdf --per-guardian: the addresses are not on the copies" ;; esac
    # diagonal text escapes pdftotext: read the uncompressed page streams
    qpdf --qdf --object-streams=disable "$yanis" "$p/yanis-qdf.pdf" 2>/dev/null
    [ "$(grep -ac '(DOCUMENT DE TRAVAIL) Tj' "$p/yanis-qdf.pdf")" = 4 ] &&
      pass "pdf --watermark: « DOCUMENT DE TRAVAIL » on each of the 4 pages" || fail "pdf --watermark: not on every page"
    if grep -aqE ' (rg|RG)$' "$p/yanis-qdf.pdf"; then fail "pdf --grayscale: colour operators in the pages"
    else pass "pdf --grayscale: no colour operator in the pages"; fi
  else
    fail "pdf options: Yanis Garcia's bilan not found"
  fi
  if [ -n "$ycycle" ]; then
    local ypages
    ypages=$(pdfinfo "$ycycle" | awk '/^Pages:/ {print $2}')
    [ $((ypages % 2)) = 0 ] && pass "pdf --duplex: a one-page bilan is padded to an even page count ($ypages)" ||
      fail "pdf --duplex: $ypages pages"
  fi

  # nothing lost or clipped: texts at their maximum length (600 characters a
  # domain, 1 500 for the appreciation générale) wrap and flow onto further
  # pages, and every word of them is in the PDF, with the right page count
  local long=$p/long.xml words=""
  local w
  for w in $(seq 1 85); do words="${words}mot$w "; done   # 85 words, 600 characters
  local general=""
  for w in $(seq 1 210); do general="${general}fin$w "; done # 1 500 characters
  sed -e "s|<appreciation>[^<]*</appreciation>|<appreciation>${words% }</appreciation>|" \
      -e "s|<appreciation-generale>[^<]*</appreciation-generale>|<appreciation-generale>${general% }</appreciation-generale>|" \
      tests/cases/valide-aucun-diagnostic/entree.xml >"$long"
  "$LSU" edit -q --by school -o "$p/l" "$long" >/dev/null 2>&1
  mkdir -p "$p/lx" && (cd "$p/lx" && unzip -q -o "$p"/l/long/*.zip)
  local lpdf lost=0
  lpdf=$(find "$p/lx" -name 'Le_Goff*_T1.pdf' | head -1)
  if [ -n "$lpdf" ]; then
    pdftotext "$lpdf" "$p/long.txt" 2>/dev/null
    for w in $(seq 1 85); do grep -qw "mot$w" "$p/long.txt" || lost=$((lost + 1)); done
    for w in $(seq 1 210); do grep -qw "fin$w" "$p/long.txt" || lost=$((lost + 1)); done
    local lpages
    lpages=$(pdfinfo "$lpdf" | awk '/^Pages:/ {print $2}')
    [ "$lost" = 0 ] && pass "pdf maximal texts: every word printed ($lpages pages)" ||
      fail "pdf maximal texts: $lost words lost or clipped"
  else
    fail "pdf maximal texts: no PDF"
  fi

  # small files: a plain two-page bilan at most 16 KB, one that embeds
  # DejaVu (Nguyễn) at most 32 KB (only the glyphs it shows)
  local zsize nsize npdf
  zsize=$(stat -c %s "$pupil")
  npdf=$(find "$p/ux" -name '*Nguyễn_Zoë*_T2.pdf' | head -1)
  nsize=$(stat -c %s "$npdf" 2>/dev/null || echo 0)
  if [ "$zsize" -le 16384 ] && [ "$nsize" -gt 0 ] && [ "$nsize" -le 32768 ]; then
    pass "pdf sizes: plain bilan $zsize bytes (<= 16 KB), with a DejaVu subset $nsize bytes (<= 32 KB)"
  else fail "pdf sizes: plain bilan $zsize bytes (max 16384), with DejaVu $nsize bytes (max 32768)"; fi
  # a subset ends at the highest glyph it holds: a Greek name's two faces
  # (glyphs up to 2 806 of 6 253, 948 of 6 196) hold at most 30 000 bytes of
  # font each before compression (a whole-length subset held 44 000)
  local gpdf glens gtext
  sed 's/nom="N'"'"'Diaye" prenom="Zoë"/nom="Παπαδοπούλου" prenom="Ελένη"/' \
    tests/cases/valide-aucun-diagnostic/entree.xml >"$p/grec.xml"
  "$LSU" edit -q --by school -o "$p/g" "$p/grec.xml" >/dev/null 2>&1
  mkdir -p "$p/gx" && (cd "$p/gx" && unzip -q -o "$p"/g/grec/*.zip)
  gpdf=$(find "$p/gx" -name 'Παπαδοπούλου*_T1.pdf' | head -1)
  glens=$(grep -ao '/Length1 [0-9]*' "$gpdf" 2>/dev/null | awk '{print $2}' | sort -n | tr '\n' ' ')
  gtext=$(pdftotext "$gpdf" - 2>/dev/null)
  if [ "$(echo "$glens" | wc -w)" = 2 ] && [ "$(echo "$glens" | awk '{print $2}')" -le 30000 ] &&
    case $gtext in *Ελένη*) true ;; *) false ;; esac; then
    pass "pdf a Greek name's subsets end at their highest glyph (${glens% } bytes of font)"
  else fail "pdf a Greek name's subsets: '$glens' bytes of font (max 30000 each), text shows Ελένη: $(echo "$gtext" | grep -c Ελένη)"; fi

  # nothing drawn twice: the class PDF holds the pupil's page streams as
  # they are, compressed bytes included
  local classpdf="" c obj cobj found same=1
  for c in "$(dirname "$pupil")"/Classe_*_T1.pdf; do
    case $(pdftotext "$c" - 2>/dev/null) in *"DA SILVA Zoë"*) classpdf=$c; break ;; esac
  done
  if [ -n "$classpdf" ]; then
    for obj in $(qpdf --show-pages "$pupil" | awk '/content:/ {getline; print $1}'); do
      qpdf --show-object="$obj" --raw-stream-data "$pupil" >"$p/raw-page" 2>/dev/null
      found=0
      for cobj in $(qpdf --show-pages "$classpdf" | awk '/content:/ {getline; print $1}'); do
        qpdf --show-object="$cobj" --raw-stream-data "$classpdf" 2>/dev/null | cmp -s - "$p/raw-page" && { found=1; break; }
      done
      [ "$found" = 1 ] || same=0
    done
    [ "$same" = 1 ] && pass "pdf the class PDF carries the pupil's page streams byte for byte" ||
      fail "pdf a page of the pupil's PDF is not in the class PDF as it is"
  else
    fail "pdf no class PDF holds Zoë Da Silva's T1 bilan"
  fi

  # memory does not grow with what a zip holds: one zip for the whole
  # school costs what one zip per class does
  if [ -x "$LSU_GEN" ]; then
    "$LSU_GEN" --classes 8 --pupils 25 --periods 3 --seed 5 -o "$p/big.xml"
    /usr/bin/env time -f %M -o "$p/by-class" "$LSU" run -q -o "$p/mc" "$p/big.xml" >/dev/null 2>&1
    /usr/bin/env time -f %M -o "$p/by-school" "$LSU" run -q --by school -o "$p/ms" "$p/big.xml" >/dev/null 2>&1
    local bc bs
    bc=$(tail -1 "$p/by-class"); bs=$(tail -1 "$p/by-school")
    if [ $((bs * 100)) -le $((bc * 106)) ]; then pass "pdf memory flat whatever the zips hold (${bc} kB by class, ${bs} kB by school)"
    else fail "pdf memory grows with the zip: ${bc} kB by class, ${bs} kB by school"; fi
  fi

  # golden renders of a few pages, compared with a tolerance (tests/pgmdiff.c)
  local page golden
  for page in "$pupil:1:bilan-periodique-recto" "$pupil:2:bilan-periodique-verso" "$cycle:1:bilan-fin-de-cycle"; do
    IFS=: read -r pdf num name <<<"$page"
    golden=tests/golden/$name.pgm
    pdftoppm -r 40 -gray -f "$num" -l "$num" -singlefile "$pdf" "$p/$name" 2>/dev/null
    if [ "${UPDATE:-0}" = 1 ]; then cp "$p/$name.pgm" "$golden"; fi
    if [ ! -x "$PGMDIFF" ]; then echo "SKIP pdf render $name: pgmdiff not built"; continue; fi
    local verdict
    if verdict=$("$PGMDIFF" "$golden" "$p/$name.pgm" 1.0); then pass "pdf render $name matches its golden image ($verdict)"
    else fail "pdf render $name differs from tests/golden/$name.pgm: $verdict"; fi
  done
}

# lsu batch end to end on a generated académie: -j 1 and -j 2 give the
# same bytes; a batch killed midway (parent and workers, SIGKILL) leaves no
# half-written file under a final name and a rerun completes it with the
# same bytes; a huge file hits the time bound while the others go on;
# GNU parallel shards + lsu merge give the single run's summary.
# The GNU parallel recipe over ssh, run for real: a private sshd on
# 127.0.0.1 (tools/sshd-local.sh, when openssh-server is installed: .ci/run
# installs it) as a second host, 3 shards sent to it with -S, then the
# merge: the same bytes as one lsu batch (SOURCE_DATE_EPOCH carried with
# --env, as an académie would carry its settings).
run_batch_ssh() {
  local b=$1 st rc
  command -v parallel >/dev/null && [ -x /usr/sbin/sshd ] || { echo "SKIP batch ssh: GNU parallel or openssh-server not installed"; return; }
  [ "$(id -u)" = 0 ] || { echo "SKIP batch ssh: the local sshd logs in as root"; return; }
  if ! st=$(bash tools/sshd-local.sh start "$b/ssh" 2>"$b/ssh-start.log"); then
    fail "batch ssh: the local sshd did not start"; sed 's/^/    /' "$b/ssh-start.log" | tail -5
    bash tools/sshd-local.sh stop "$b/ssh"; return
  fi
  eval "$st"
  LSU=$LSU PARALLEL_OPTS="--env SOURCE_DATE_EPOCH" bash contrib/parallel/lsu-batch-parallel.sh -n 3 -S 2/root@127.0.0.1 \
    "$b/in" "$b/out-ssh" -j 1 >"$b/ssh.log" 2>&1
  rc=$?
  local hosts
  hosts=$(awk 'NR > 1 {print $2}' "$b/out-ssh/.shards/joblog" 2>/dev/null | sort -u | tr '\n' ' ')
  bash tools/sshd-local.sh stop "$b/ssh"
  unset PARALLEL_SSH
  [ -d "$b/out-abs-sl" ] || (cd "$b" && "$LSU" batch -j 2 -o "$b/out-abs-sl" "$b/in" 2>/dev/null)
  if [ "$rc" = 2 ] && [ "$hosts" = "root@127.0.0.1 " ] &&
    diff -r -x .lsu-batch -x .shards -x 'shard-*' "$b/out-ssh" "$b/out-abs-sl" >/dev/null; then
    pass "batch ssh: 3 shards run over ssh on a second host (a local sshd) + lsu merge, same bytes as one lsu batch"
  else fail "batch ssh: exit $rc, hosts '$hosts'; $(diff -rq -x .lsu-batch -x .shards -x 'shard-*' "$b/out-ssh" "$b/out-abs-sl" 2>&1 | head -2)"
    sed 's/^/    /' "$b/ssh.log" | tail -5; fi
}

# The Slurm recipe run for real: a private single-node cluster
# (tools/slurm-local.sh, when Debian's Slurm and munge are installed: .ci/run
# installs them), contrib/slurm/submit.sh with 3 shards, and the merge job
# that waits for them; the académie summary and the school folders must be
# the bytes of one lsu batch over the same inbox, the merge job COMPLETED
# with « statut de lsu merge : 2 » (rejections are an ordinary night).
run_batch_slurm() {
  local b=$1 c rc st
  for c in sbatch slurmctld slurmd munged; do
    command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || { echo "SKIP batch slurm: $c not installed"; return; }
  done
  [ "$(id -u)" = 0 ] || { echo "SKIP batch slurm: slurmd needs root"; return; }
  local cl=$b/slurm
  if ! st=$(bash tools/slurm-local.sh start "$cl" 2>"$b/slurm-start.log"); then
    fail "batch slurm: the local cluster did not start"; sed 's/^/    /' "$b/slurm-start.log" | tail -5
    bash tools/slurm-local.sh stop "$cl"; return
  fi
  eval "$st"
  mkdir -p "$b/sl"
  local merge
  merge=$(cd "$b/sl" && LSU=$LSU bash "$ROOT/contrib/slurm/submit.sh" "$b/in" "$b/out-slurm" 3 2>"$b/slurm-submit.log")
  rc=$?
  for _ in $(seq 1 240); do
    [ -s "$b/out-slurm/merge.status" ] && break
    sleep 0.5
  done
  local state
  state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  bash tools/slurm-local.sh stop "$cl"
  unset SLURM_CONF
  (cd "$b" && "$LSU" batch -j 2 -o "$b/out-abs-sl" "$b/in" 2>/dev/null)
  local same=1 f
  for f in academie.html academie.json academie.csv; do cmp -s "$b/out-slurm/$f" "$b/out-abs-sl/$f" || same=0; done
  if [ "$rc" = 0 ] && [ "$state" = COMPLETED ] && [ "$(cat "$b/out-slurm/merge.status" 2>/dev/null)" = 2 ] &&
    grep -qx 'statut de lsu merge : 2' "$b/sl/lsu-merge-$merge.log" && [ "$same" = 1 ] &&
    diff -r -x .lsu-batch -x .shards -x 'shard-*' -x merge.status "$b/out-slurm" "$b/out-abs-sl" >/dev/null; then
    pass "batch slurm: job array of 3 shards + merge job on a local cluster, same summary and school folders as one lsu batch"
  else fail "batch slurm: submit exit $rc, merge job $merge $state, status $(cat "$b/out-slurm/merge.status" 2>/dev/null), summary same=$same"
    cat "$b/slurm-submit.log" "$b"/sl/*.log 2>/dev/null | tail -8 | sed 's/^/    /'; fi
}

run_batch() {
  if [ ! -x "$LSU_GEN" ]; then echo "SKIP batch: $LSU_GEN not built"; return; fi
  local b=$TMP/batch i
  mkdir -p "$b/in/rentree"
  for i in 1 2 3 4 5 6 7 8; do
    "$LSU_GEN" --classes 2 --pupils 4 --periods 3 --seed "$i" --faults 0.2 --uai "075000${i}X" -o "$b/in/ecole-$i.xml"
  done
  "$LSU_GEN" --classes 1 --pupils 3 --periods 2 --seed 9 --uai 0750001X -o "$b/in/rentree/ecole-1.xml"
  printf '<lsun-bilans>\n' >"$b/in/tronque.xml"
  (cd "$b" && "$LSU" batch -j 1 -o out-j1 in 2>j1.log; echo $? >j1.exit)
  (cd "$b" && "$LSU" batch -j 2 -o out-j2 in 2>j2.log; echo $? >j2.exit)
  if [ "$(cat "$b/j1.exit")" = 2 ] && [ -s "$b/out-j1/academie.html" ] && diff -r "$b/out-j1" "$b/out-j2" >/dev/null; then
    pass "batch -j 1 and -j 2 give the same bytes (10 exports, 9 schools, exit 2)"
  else fail "batch -j 1 and -j 2 differ, or exit $(cat "$b/j1.exit"): $(diff -rq "$b/out-j1" "$b/out-j2" | head -3)"; fi

  # killed midway: parent and workers in one process group, SIGKILL
  local k=0 pgid done_n
  while [ $k -lt 5 ]; do
    rm -rf "$b/out-kill"
    (cd "$b" && exec setsid "$LSU" batch -j 2 -o out-kill in 2>/dev/null) &
    pgid=$!
    for _ in $(seq 1 400); do
      done_n=$(ls "$b/out-kill/.lsu-batch/results" 2>/dev/null | wc -l)
      [ "$done_n" -ge 3 ] && break
      sleep 0.01
    done
    kill -KILL -- "-$pgid" 2>/dev/null
    wait "$pgid" 2>/dev/null
    done_n=$(ls "$b/out-kill/.lsu-batch/results" 2>/dev/null | wc -l)
    [ "$done_n" -lt 10 ] && [ ! -e "$b/out-kill/academie.html" ] && break
    k=$((k + 1))
  done
  if [ "$done_n" -ge 10 ]; then echo "SKIP batch kill: the batch always ended before the kill"; else
    local half=0 z
    # every zip and report under a final name is whole
    for z in $(find "$b/out-kill" -path '*/.lsu-batch' -prune -o -name '*.zip' -print); do
      unzip -tq "$z" >/dev/null 2>&1 || half=1
    done
    for z in $(find "$b/out-kill" -path '*/.lsu-batch' -prune -o -name '*.rapport.json' -print); do
      tail -c 2 "$z" | grep -q '}' || half=1
    done
    find "$b/out-kill" -path '*/.lsu-batch' -prune -o -name '*.tmp.*' -print | grep -q . && half=1
    [ "$half" = 0 ] && pass "batch killed after $done_n of 10 exports: no half-written file under a final name" ||
      fail "batch killed midway left a half-written or temporary file"
    (cd "$b" && "$LSU" batch -j 2 -o out-kill in 2>kill.log)
    local skipped
    skipped=$(grep -c 'BAT004' "$b/kill.log")
    rm -f "$b/out-kill/.lsu-batch/lock" "$b/out-j1/.lsu-batch/lock"
    if [ "$skipped" -ge 1 ] && diff -r "$b/out-kill" "$b/out-j1" >/dev/null; then
      pass "batch rerun after the kill skips $skipped exports and completes: same bytes as an uninterrupted run"
    else fail "batch rerun after the kill: $skipped skipped; $(diff -rq "$b/out-kill" "$b/out-j1" | head -3)"; fi
  fi

  # the temporaries of a record and of the summary, as a kill between
  # write and rename leaves them: the next run removes them, and only them
  cp -r "$b/out-j1" "$b/out-stale"
  rm -f "$b/out-stale/.lsu-batch/lock"
  : >"$b/out-stale/.lsu-batch/results/ecole-4.txt.tmp.Ab12Cd"
  : >"$b/out-stale/academie.html.tmp.Zz99Yy"
  : >"$b/out-stale/notes.tmp.txt"
  (cd "$b" && "$LSU" batch -j 2 -o out-stale in 2>stale.log)
  if [ ! -e "$b/out-stale/.lsu-batch/results/ecole-4.txt.tmp.Ab12Cd" ] && [ ! -e "$b/out-stale/academie.html.tmp.Zz99Yy" ] &&
    [ -e "$b/out-stale/notes.tmp.txt" ] && [ "$(grep -c 'info \[BAT004\]' "$b/stale.log")" = 10 ]; then
    pass "batch rerun removes the temporaries a killed run left (a record's, the summary's), nothing else"
  else fail "batch rerun with stale temporaries: $(grep -c 'info \[BAT004\]' "$b/stale.log") skipped; $(find "$b/out-stale" -name '*.tmp.*' | head -3 | tr '\n' ' ')"; sed 's/^/    /' "$b/stale.log" | head -3; fi

  # a huge file against a small time bound: BAT001 for it, the others done
  mkdir -p "$b/in-lourd"
  cp "$b"/in/ecole-[12].xml "$b/in-lourd/"
  "$LSU_GEN" --classes 150 --pupils 25 --periods 3 --seed 10 --uai 0750099X -o "$b/in-lourd/enorme.xml"
  local rc
  (cd "$b" && "$LSU" batch -j 2 --timeout 1 -o out-lourd in-lourd 2>lourd.log); rc=$?
  if [ "$rc" = 3 ] && grep -q 'in-lourd/enorme.xml: fatal \[BAT001\]' "$b/lourd.log" &&
    [ -s "$b/out-lourd/0750001X/ecole-1.rapport.html" ] && [ -s "$b/out-lourd/0750002X/ecole-2.rapport.html" ]; then
    pass "batch a huge file hits --timeout 1 (BAT001, exit 3), the other schools are processed"
  else fail "batch huge file: exit $rc"; sed 's/^/    /' "$b/lourd.log" | head -5; fi

  # the commands on files have their own bounds (issue 15, item 1): the
  # file before is done, the huge one stopped after 1 s, nothing of it left
  (cd "$b" && "$LSU" check -q --timeout 1 -o out-chk in-lourd/ecole-1.xml in-lourd/enorme.xml 2>chk.log); rc=$?
  if [ "$rc" = 3 ] && grep -q 'in-lourd/enorme.xml : traitement arrêté après 1 s (--timeout)' "$b/chk.log" &&
    [ -s "$b/out-chk/ecole-1.rapport.json" ] && ! ls "$b/out-chk" | grep -q '^enorme\.rapport'; then
    pass "batch lsu check --timeout 1 stops at the huge file (exit 3), the file before it reported"
  else fail "batch lsu check --timeout: exit $rc"; sed 's/^/    /' "$b/chk.log" | head -5; fi
  if [ -z "${LSU_SANITIZED:-}" ]; then
    (cd "$b" && "$LSU" check --max-memory 64M in-lourd/enorme.xml 2>mem.log); rc=$?
    if [ "$rc" = 70 ] && grep -q 'INT001' "$b/mem.log"; then
      pass "batch lsu check --max-memory 64M on the huge file: INT001, exit 70, no crash"
    else fail "batch lsu check --max-memory: exit $rc"; sed 's/^/    /' "$b/mem.log" | head -5; fi
  fi

  run_batch_slurm "$b"
  run_batch_ssh "$b"

  # GNU parallel: 3 shards on this machine, then lsu merge
  if ! command -v parallel >/dev/null; then echo "SKIP batch parallel: GNU parallel not installed"; return; fi
  LSU=$LSU bash contrib/parallel/lsu-batch-parallel.sh -n 3 "$b/in" "$b/out-par" -j 1 >"$b/par.log" 2>&1
  rc=$?
  (cd "$b" && "$LSU" batch -j 2 -o "$b/out-abs" "$b/in" 2>/dev/null)
  local same=1 f
  for f in academie.html academie.json academie.csv; do cmp -s "$b/out-par/$f" "$b/out-abs/$f" || same=0; done
  local shards_used
  shards_used=$(find "$b/out-par" -maxdepth 1 -name 'shard-*' | wc -l)
  if [ "$rc" = 2 ] && [ "$same" = 1 ] && [ "$shards_used" = 3 ] &&
    diff -r -x .lsu-batch -x .shards -x 'shard-*' "$b/out-par" "$b/out-abs" >/dev/null; then
    pass "batch GNU parallel 3 shards + lsu merge: same summary and school folders as one lsu batch"
  else fail "batch parallel + merge differs from one run (exit $rc, summary same=$same, $shards_used shards)"
    sed 's/^/    /' "$b/par.log" | tail -5; fi
}

# Replays one fuzz target over its inputs (tests/fuzz_replay.c prints a
# PASS line per input); a crash, a sanitizer report or a leak is one FAIL.
fuzz_replay() {
  local target=$1 rc
  shift
  "$FUZZ_REPLAY" "$target" "$@" 2>"$TMP/fuzz-$target.err"
  rc=$?
  if [ "$rc" != 0 ] || grep -q 'Sanitizer\|runtime error:' "$TMP/fuzz-$target.err"; then
    fail "fuzz $target: exit status $rc after the inputs above (first input without a PASS line, or a report at exit)"
    tail -20 "$TMP/fuzz-$target.err" | sed 's/^/    /'
  fi
}

# The fuzz seeds replayed (libxml2's testFuzzer): the samples, the golden
# cases' XML inputs and tests/fuzz/regressions/ through the check target
# (tests/fuzz_check.c) and, with two generated exports of about 200 KB,
# the report target (tests/fuzz_report.c: the HTML report too); the
# cases' CSVs and the regressions through the ONDE target
# (tests/fuzz_onde.c) and the store's sync target; the seeds of
# tests/fuzz/seeds/NAME/ with the regressions through the dates, sync,
# edit, batch and entry_csv targets (the entry_csv target also takes the
# cases' CSVs).  No crash, no sanitizer report.
run_fuzz() {
  if [ ! -x "$FUZZ_REPLAY" ]; then echo "FAIL fuzz: $FUZZ_REPLAY not built"; return; fi
  local regressions=()
  mapfile -t regressions < <(find tests/fuzz/regressions -type f ! -name README.md | sort)
  local cases=()
  mapfile -t cases < <(case_inputs)
  fuzz_replay check samples/*.xml samples/casse/* "${cases[@]}" "${regressions[@]}"
  local large=()
  if [ -x "$LSU_GEN" ]; then
    "$LSU_GEN" --classes 2 --pupils 6 --periods 3 --seed 7 --faults 0.3 -o "$TMP/fuzz-report-a.xml" &&
    "$LSU_GEN" --classes 3 --pupils 8 --periods 2 --seed 11 --cycle-bilans -o "$TMP/fuzz-report-b.xml" &&
    large+=("$TMP/fuzz-report-a.xml" "$TMP/fuzz-report-b.xml")
  fi
  fuzz_replay report samples/*.xml samples/casse/* "${cases[@]}" "${large[@]}" "${regressions[@]}"
  fuzz_replay onde tests/cases/*/*.csv "${regressions[@]}"
  fuzz_replay dates tests/fuzz/seeds/dates/* "${regressions[@]}"
  fuzz_replay sync tests/fuzz/seeds/sync/* tests/cases/*/*.csv "${regressions[@]}"
  fuzz_replay edit tests/fuzz/seeds/edit/* "${regressions[@]}"
  fuzz_replay batch tests/fuzz/seeds/batch/* "${regressions[@]}"
  fuzz_replay entry_csv tests/fuzz/seeds/entry_csv/* tests/cases/*/*.csv "${regressions[@]}"
  fuzz_replay serve tests/fuzz/seeds/serve/* "${regressions[@]}"
}

run_conformance() {
  local official=$SHARED/reference/xsd/official-1d-1.0b.xsd
  if [ ! -f "$official" ]; then echo "SKIP conformance: $official absent"; return; fi
  if [ ! -x "$CONFORMANCE" ]; then echo "FAIL conformance: $CONFORMANCE not built"; return; fi
  local inputs=(samples tests/conformance-data tests/cases) built=()
  mapfile -t built < <(case_inputs | grep "^$TMP/")
  inputs+=("${built[@]}")
  [ -d "$SHARED/reference/samples-2d" ] && inputs+=("$SHARED/reference/samples-2d")
  if [ -x "$LSU_GEN" ]; then
    "$LSU_GEN" --classes 2 --pupils 5 --periods 3 --seed 7 --cycle-bilans -o "$TMP/gen-a.xml" &&
    "$LSU_GEN" --classes 3 --pupils 4 --periods 2 --seed 11 --faults 0.5 -o "$TMP/gen-b.xml" &&
    inputs+=("$TMP/gen-a.xml" "$TMP/gen-b.xml")
  fi
  "$CONFORMANCE" xsd/lsu-1d.xsd "$official" "${inputs[@]}"
}

# The catalogue: docs/DIAGNOSTICS.md is current, and every code has a
# golden case that shows it.
# Allocation failures on purpose (Lua's ltests.c, SQLite's fault tests):
# lsu run on the base export with the N-th allocation failing, for N spread
# over the whole run.  Each must end cleanly: status 70 (or 0 when the
# failure did not matter, every output then the same as without it), no
# crash, and no file under a final name that differs from the normal
# run's: what was not finished is not there.
run_faults() {
  if [ -n "${LSU_SANITIZED:-}" ] || [ ! -f "$FAILALLOC" ]; then
    echo "SKIP faults: no preload under sanitizers, or $FAILALLOC not built"; return
  fi
  local f=$TMP/faults total n rc step bad tried cmd
  mkdir -p "$f"
  cp "$BASE_INPUT" "$f/ecole.xml"
  for cmd in check run; do
    (cd "$f" && SOURCE_DATE_EPOCH=1751274000 "$LSU" $cmd -o ref ecole.xml >/dev/null 2>&1)
    total=$(cd "$f" && COUNT_ALLOC=1 LD_PRELOAD=$FAILALLOC SOURCE_DATE_EPOCH=1751274000 "$LSU" $cmd -o cnt ecole.xml 2>&1 |
      sed -n 's/^allocations=//p' | tail -1)
    case $total in ''|*[!0-9]*) fail "faults lsu $cmd: could not count the allocations"; continue ;; esac
    # spread over the run, and dense where the reports' XSLT runs (about
    # four fifths in): libxslt dereferences a NULL there unless the failure
    # ends the process (lsu_memory_setup)
    step=$((total / 200 + 1)) bad=0 tried=0
    for n in $(seq 3 "$step" "$total") $(seq $((total * 76 / 100)) 3 $((total * 82 / 100))); do
      tried=$((tried + 1))
      rm -rf "$f/o"
      (cd "$f" && FAIL_AT=$n LD_PRELOAD=$FAILALLOC SOURCE_DATE_EPOCH=1751274000 timeout 60 "$LSU" $cmd -o o ecole.xml \
        >/dev/null 2>"$f/err"); rc=$?
      if [ "$rc" -ge 124 ]; then fail "faults lsu $cmd, allocation $n of $total: crash or hang (status $rc)"; bad=1; continue; fi
      if [ "$rc" != 70 ] && [ "$rc" != 0 ]; then fail "faults lsu $cmd, allocation $n of $total: status $rc"; bad=1; continue; fi
      local g
      for g in $(cd "$f/o" 2>/dev/null && find . -type f ! -name '*.tmp.*' | sort); do
        # a report may differ by the INT001 it records; nothing else may
        if ! cmp -s "$f/o/$g" "$f/ref/$g" && ! { case $g in *.rapport.*) true ;; *) false ;; esac &&
          [ "$rc" = 70 ] && grep -q INT001 "$f/o/$g"; }; then
          fail "faults lsu $cmd, allocation $n of $total: $g differs from the normal run's"; bad=1; break
        fi
      done
    done
    rm -rf "$f/ref" "$f/cnt"
    [ "$bad" = 0 ] && pass "faults lsu $cmd: $tried failed allocations spread over $total, each a clean end, no partial output"
  done
  faults_export "$f"
}

# lsu export --all from a school's store (tests/store/school.sh, locked)
# with the N-th allocation failed: status 70 or 0, and the file written,
# if any, the normal run's.
faults_export() {
  local f=$1/store total n rc step bad=0 tried=0 g
  mkdir -p "$f"
  export SOURCE_DATE_EPOCH=1751274000
  if ! { D="$f" bash tests/store/school.sh && "$LSU" import --data "$f" -q "$f/ecole.xml" >/dev/null 2>&1 &&
    "$LSU" school --data "$f" --uai 0290347V --directeur "M CARPENTIER Damien" >/dev/null &&
    "$LSU" lock --data "$f" --uai 0290347V --school >/dev/null &&
    "$LSU" export --data "$f" --uai 0290347V --all -o "$f/ref" 2>/dev/null; }; then
    fail "faults lsu export: the school could not be set up"; return
  fi
  total=$(COUNT_ALLOC=1 LD_PRELOAD=$FAILALLOC "$LSU" export --data "$f" --uai 0290347V --all -o "$f/cnt" 2>&1 |
    sed -n 's/^allocations=//p' | tail -1)
  case $total in ''|*[!0-9]*) fail "faults lsu export: could not count the allocations"; return ;; esac
  step=$((total / 200 + 1))
  for n in $(seq 3 "$step" "$total"); do
    tried=$((tried + 1))
    rm -rf "$f/o"
    FAIL_AT=$n LD_PRELOAD=$FAILALLOC timeout 60 "$LSU" export --data "$f" --uai 0290347V --all -o "$f/o" \
      >/dev/null 2>&1; rc=$?
    if [ "$rc" != 70 ] && [ "$rc" != 0 ]; then fail "faults lsu export, allocation $n of $total: status $rc"; bad=1; continue; fi
    for g in $(cd "$f/o" 2>/dev/null && find . -type f | sort); do
      cmp -s "$f/o/$g" "$f/ref/$g" || { fail "faults lsu export, allocation $n of $total: $g differs"; bad=1; break; }
    done
  done
  [ "$bad" = 0 ] && pass "faults lsu export: $tried failed allocations spread over $total, each a clean end, no partial output"
}

# The parts of src/ as layers (README, "What a file goes through"): a part
# includes headers of the parts below it only, so that nothing points
# upward and the library never reaches the command line.
run_layout() {
  local order="base import report pdf school job batch serve cli" p q rank=0 bad
  declare -A below
  for p in $order; do below[$p]=$rank; rank=$((rank + 1)); done
  for p in $order; do
    bad=$(grep -ho '#include "[a-z_]*/' src/$p/*.[ch] | sed 's|#include "||;s|/||' | sort -u |
      while read -r q; do [ -n "${below[$q]:-}" ] && [ "${below[$q]}" -gt "${below[$p]}" ] && echo "$q"; done)
    if [ -z "$bad" ]; then pass "layout src/$p includes no part above it"
    else fail "layout src/$p includes a part above it: $(echo $bad)"; fi
  done
  # the library's texts name no command (a director in lsu serve cannot
  # type one): an action in LSU's words and a remedy (school/remedy.h).
  # Deliberate: the spreadsheet round trip, the command line's own
  # (entry_csv.c, entry_template.c, entry_xlsx.c: lsu template / enter).
  local cmds='sync|import|import-mode|periods|lock|unlock|school|edit|export|template|enter|missing|aide|history|reports|check|run|batch|merge|onde|codes|serve|users'
  bad=$(grep -nE "\"[^\"]*lsu ($cmds)([^a-z-]|$)" src/school/*.c |
    grep -vE '^src/school/(entry_csv|entry_template|entry_xlsx)\.c:' | grep -vE '^[^:]*:[0-9]+: *(/?\*|//)')
  if [ -z "$bad" ]; then pass "layout src/school's texts name no lsu command"
  else fail "layout src/school's texts name an lsu command: $(echo "$bad" | head -3)"; fi
}

# lsu serve: curl on every route and the browser scenarios (tests/web/)
run_web() {
  if ! command -v curl >/dev/null || ! command -v sqlite3 >/dev/null; then
    echo "SKIP web: curl or sqlite3 not installed"; return
  fi
  mkdir -p "$TMP/web"
  W=$TMP/web LSU=$LSU LSU_GEN=$LSU_GEN bash tests/web/suite.sh
}

run_catalogue() {
  if "$LSU" codes --markdown | cmp -s - docs/DIAGNOSTICS.md; then pass "catalogue docs/DIAGNOSTICS.md is current"
  else fail "catalogue docs/DIAGNOSTICS.md is stale: run make docs"; fi
  local code
  for code in $("$LSU" codes --json | sed -n 's/.*"code": "\([A-Z0-9]*\)".*/\1/p'); do
    if grep -rqs "\[$code\]" tests/cases/*/expected.stderr; then pass "catalogue $code has a golden case"
    else fail "catalogue $code has no golden case"; fi
  done
}

# The usage block of command $1 (as `lsu help --options` names it: "edit
# --uai" is the store's edit) in usage_text (lsu --help, stdin): its usage
# lines, the option sections they name ([options], [options d'édition],
# [options de lot]; [sélection]: the selection options, as the lock line
# spells them) and, for a store command, the paragraph of the school's
# store (which names --data).
usage_block() {
  awk -v want="$1" '
    function section(title) { sections[title] = 1 }
    NR == 1 || (top && /^        lsu /) {
      line = $0; sub(/^(Usage :)? *lsu /, "", line); n = split(line, w, " ")
      names[1] = w[1]; k = 1; first = w[2]
      if (w[2] == "|") { names[2] = w[3]; k = 2; first = w[4] }
      for (i = 1; i <= k; i++) {
        key = names[i]; if (key == "edit" && first == "--uai") key = "edit --uai"
        if (key == want) {
          print $0
          if (index($0, "[options]")) section("Options de lsu check")
          if (index($0, "[options d'\''édition]")) section("Options d'\''édition")
          if (index($0, "[options de lot]")) section("Options de lsu batch")
          if (index($0, "--uai")) section("Base de l'\''école")
          if (index($0, "[sélection]")) print "--pupil --class --level --school"
        }
      }
      top = 1; next
    }
    /^$/ { top = 0; inside = 0; next }
    { for (t in sections) if (index($0, t) == 1) inside = 1 }
    inside { rest = rest $0 "\n" }
    END { printf "%s", rest }'
}

# The options of every command: each one its table accepts (lsu help
# --options) is named in its usage block of lsu --help and in its
# subsection of docs/lsu.1 (.SS "lsu CMD"), and `lsu CMD --help` prints
# it.  usage_text is frozen (golden case cmd-aide): the few options it has
# no place for are listed in `unsaid`, documented by lsu CMD --help and the
# man page only.
run_options() {
  local listing cmd opts o short block man help missing_u missing_m missing_h args
  local unsaid=" edit:--normalise edit:--json edit:--quiet edit:--max-size edit:--timeout edit:--max-memory import:--json import:--quiet import:--timeout import:--max-memory edit --uai:--school "
  listing=$("$LSU" help --options) || { fail "options lsu help --options"; return; }
  for cmd in $(cut -f1 <<<"$listing" | sed 's/ /_/g' | uniq); do
    cmd=${cmd//_/ }
    block=$("$LSU" --help | usage_block "$cmd")
    man=$(sed -n "/^\.SS \"lsu ${cmd//-/\\\\-}\"/,/^\.S[SH]/p" docs/lsu.1 | sed 's/\\-/-/g')
    read -ra args <<<"$cmd"
    [ "$cmd" = "edit --uai" ] && args=(edit --uai 0135764V)
    help=$("$LSU" "${args[@]}" --help 2>&1) || help=""
    missing_u="" missing_m="" missing_h=""
    while IFS=$'\t' read -r o short; do
      if ! grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$block" &&
        ! { [ -n "$short" ] && grep -qE -- "(^|[^a-z-])$short([ ,]|\$)" <<<"$block"; } &&
        [[ $unsaid != *" $cmd:$o "* ]]; then missing_u+=" $o"; fi
      grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$man" || missing_m+=" $o"
      grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$help" || missing_h+=" $o"
    done < <(awk -F'\t' -v c="$cmd" '$1 == c { print $2 "\t" $3 }' <<<"$listing")
    if [ -z "$block" ] || [ -n "$missing_u" ]; then fail "options lsu $cmd: not in lsu --help:${missing_u:- no usage line}"
    else pass "options lsu $cmd: every option in lsu --help"; fi
    if [ -z "$man" ] || [ -n "$missing_m" ]; then fail "options lsu $cmd: not in docs/lsu.1:${missing_m:- no .SS \"lsu $cmd\"}"
    else pass "options lsu $cmd: every option in docs/lsu.1"; fi
    if [[ $help != "Usage : lsu ${args[0]}"* ]] || [ -n "$missing_h" ]; then fail "options lsu $cmd --help:${missing_h:- no usage}"
    else pass "options lsu $cmd --help prints its usage and every option"; fi
  done
}

# The school's store under stress: two processes importing into one school
# at once (both land, the store stays intact), two schools at once, and a
# process killed inside an import's transaction (LSU_FAULT=kill-import: the
# store is as before and the import can be run again).
run_store() {
  if ! command -v sqlite3 >/dev/null; then echo "SKIP store: sqlite3 not installed"; return; fi
  local s=$TMP/store rc1 rc2 n
  mkdir -p "$s"
  D=$s bash tests/store/school.sh || { fail "store: school setup"; return; }
  "$LSU_GEN" --classes 2 --pupils 1 --periods 3 --seed 7 --uai 0290347V -o "$s/copie.xml"
  sed -i 's/Mamadou/Mamadou-Jean/' "$s/copie.xml"
  "$LSU" import --data "$s" -q "$s/ecole.xml" >/dev/null 2>&1 & local p1=$!
  "$LSU" import --data "$s" -q "$s/copie.xml" >/dev/null 2>&1 & local p2=$!
  wait $p1; rc1=$?; wait $p2; rc2=$?
  n=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM events WHERE kind = 'import'")
  local versions current integrity
  versions=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM bilans")
  current=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM bilans WHERE replaced_at IS NULL")
  integrity=$(sqlite3 "$s/0290347V.sqlite" "PRAGMA integrity_check")
  if [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$n" = 2 ] && [ "$versions" = 9 ] && [ "$current" = 6 ] && [ "$integrity" = ok ]; then
    pass "store two imports at once on one school (both landed: 2 imports, 9 versions, 6 current, integrity ok)"
  else fail "store two imports at once: exits $rc1 $rc2, $n imports, $versions versions, $current current, integrity $integrity"; fi

  # eight schools at once: no school waits for another, each store complete
  local uai i pids=() bad=0
  for i in 1 2 3 4 5 6 7 8; do
    uai=$(printf '03500%02dA' "$i")
    "$LSU_GEN" --classes 1 --pupils 3 --seed "$i" --uai "$uai" -o "$s/e$i.xml"
    "$LSU" import --data "$s/many" -q "$s/e$i.xml" >/dev/null 2>&1 & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; [ $? -le 1 ] || bad=1; done
  for i in 1 2 3 4 5 6 7 8; do
    uai=$(printf '03500%02dA' "$i")
    [ "$(sqlite3 "$s/many/$uai.sqlite" "SELECT count(*) FROM events WHERE kind = 'import'")" = 1 ] || bad=1
    [ "$(sqlite3 "$s/many/$uai.sqlite" "PRAGMA integrity_check")" = ok ] || bad=1
  done
  if [ $bad = 0 ]; then pass "store eight schools at once (one store each, each intact)"; else fail "store eight schools at once"; fi

  # killed inside the transaction: nothing of the import is left
  sed -i 's/Mamadou-Jean/Mamadou-Pierre/' "$s/copie.xml"
  local before after
  before=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM bilans; SELECT count(*) FROM events; SELECT group_concat(nom || prenom) FROM bilans WHERE replaced_at IS NULL" | tr '
' ' ')
  { LSU_FAULT=kill-import "$LSU" import --data "$s" -q "$s/copie.xml" >/dev/null 2>&1; } 2>/dev/null
  rc1=$?
  after=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM bilans; SELECT count(*) FROM events; SELECT group_concat(nom || prenom) FROM bilans WHERE replaced_at IS NULL" | tr '
' ' ')
  integrity=$(sqlite3 "$s/0290347V.sqlite" "PRAGMA integrity_check")
  if [ "$rc1" = 137 ] && [ "$before" = "$after" ] && [ "$integrity" = ok ]; then
    pass "store killed mid-import (SIGKILL in the transaction): store as before, integrity ok"
  else fail "store killed mid-import: exit $rc1, before [$before] after [$after], integrity $integrity"; fi
  "$LSU" import --data "$s" -q "$s/copie.xml" >/dev/null 2>&1
  rc1=$?
  n=$(sqlite3 "$s/0290347V.sqlite" "SELECT count(*) FROM bilans WHERE replaced_at IS NULL AND prenom = 'Mamadou-Pierre'")
  if [ "$rc1" = 0 ] && [ "$n" = 3 ]; then pass "store import run again after the kill lands"
  else fail "store import after the kill: exit $rc1, $n bilans of the new version"; fi
}

# Installed like a real tool: make install into a DESTDIR puts the binary,
# the docs, the man pages and the completion, and no lsu-gen; the installed
# binary runs; make uninstall removes exactly what was installed.  Then the
# Debian package (make deb): its files, and lintian without error when
# lintian is installed.
run_install() {
  local d=$TMP/install n
  make -s install DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1 || { fail "install: make install"; return; }
  if [ -x "$d/usr/bin/lsu" ] && [ ! -e "$d/usr/bin/lsu-gen" ] && [ -f "$d/usr/share/doc/lsu/README.md" ] &&
    [ -f "$d/usr/share/bash-completion/completions/lsu" ] && [ -f "$d/usr/share/doc/lsu/LICENSE" ]; then
    pass "install make install DESTDIR: binary, docs, completion, no lsu-gen"
  else fail "install make install DESTDIR: files missing ($(cd "$d" && find . -type f | tr '\n' ' '))"; fi
  for m in docs/*.1; do
    [ -f "$m" ] || continue
    if [ -f "$d/usr/share/man/man1/$(basename "$m")" ]; then pass "install man page $(basename "$m")"
    else fail "install man page $(basename "$m") not installed"; fi
  done
  if "$d/usr/bin/lsu" check samples/*.xml >/dev/null 2>&1 || [ $? -le 2 ]; then pass "install the installed lsu runs"
  else fail "install the installed lsu does not run"; fi
  make -s uninstall DESTDIR="$d" PREFIX=/usr >/dev/null 2>&1
  n=$(find "$d" -type f | wc -l)
  if [ "$n" = 0 ]; then pass "install make uninstall removes every installed file"
  else fail "install make uninstall left $n files"; fi
  if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
    echo "SKIP install: no dpkg-dev, no Debian package"; return
  fi
  local deb log=$TMP/deb.log contents
  if bash tools/make-deb.sh >"$log" 2>&1 && deb=$(head -1 "$log") && [ -f "$deb" ]; then
    pass "install make deb, lintian without error"
  else fail "install make deb: $(tail -5 "$log" | tr '\n' ' ')"; return; fi
  contents=$(dpkg-deb --contents "$deb")
  if grep -q './usr/bin/lsu$' <<<"$contents" && grep -q 'doc/lsu/copyright$' <<<"$contents" &&
    dpkg-deb -f "$deb" Depends | grep -q libxml2; then
    pass "install Debian package holds the binary, the copyright and its dependencies"
  else fail "install Debian package contents or Depends wrong"; fi
}

suites=${*:-unit golden hostile memory pdf batch conformance catalogue layout options store web install fuzz faults}
for s in $suites; do
  "run_$s" 2>&1 | tee -a "$TMP/log"
done
passed=$(grep -c '^PASS' "$TMP/log")
failed=$(grep -c '^FAIL' "$TMP/log")
skipped=$(grep -c '^SKIP' "$TMP/log")
echo
if [ "$failed" -gt 0 ]; then grep '^FAIL' "$TMP/log" | sed 's/^/  /'; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
