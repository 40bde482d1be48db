#!/usr/bin/env bash
# Editions survive a restart of lsu serve (tests/web/survive.mjs): its own
# data folder (a generated school of 40 classes, imported and locked from
# the command line) and its own server, started six times on it.  A done
# edition outlives a SIGTERM: listed again, its zip the same bytes, for its
# owner only; an edition under way when the server is killed (-9) or
# stopped comes back « Interrompue », without its half-written files, and
# « Relancer » (CSRF, its owner only) edits it again, in the browser; an
# expired edition's folder and record go at the next start; numbers are
# never given twice; a school keeps 64 editions at most.  PASS/FAIL/SKIP
# lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/survive.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web survive $*"; }
fail() { echo "FAIL web survive $*"; }
UAI=0290347V
E=$W/survive
D=$E/data
T=$D/televersements
mkdir -p "$D" "$E/files"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

# ---- a school big enough for an edition to be caught under way ----
"$LSU_GEN" --classes 40 --pupils 30 --periods 3 --seed 7 --uai $UAI -o "$D/ecole.xml" || { fail "lsu-gen"; exit 0; }
bash "$here/../store/onde-from-export.sh" "$D/ecole.xml" >"$D/onde.csv"
"$LSU" sync --data "$D" --uai $UAI "$D/onde.csv" >/dev/null 2>&1
"$LSU" import-mode --data "$D" --uai $UAI --school logiciel >/dev/null 2>&1
"$LSU" periods --data "$D" --uai $UAI --school trimestres \
  --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
"$LSU" import --data "$D" --uai $UAI -q "$D/ecole.xml" >/dev/null 2>&1
"$LSU" lock --data "$D" --uai $UAI --school >/dev/null 2>&1
locked=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE replaced_at IS NULL AND locked_at IS NOT NULL")
[ "${locked:-0}" -gt 1000 ] || { fail "setup: $locked bilans locked"; exit 0; }
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-dir2\n' | "$LSU" users --data "$D" add --login dir2 --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
"$LSU" edit --uai $UAI --data "$D" -o "$E/ref" 2>/dev/null # the school, a zip per class

pid='' B=''
start() { # start N: a server on the data folder, its address in $B
  : >"$E/port"
  "$LSU" serve --data "$D" --listen 127.0.0.1:0 -j 1 >"$E/port" 2>>"$E/serve.log" &
  pid=$!
  for _ in $(seq 100); do [ -s "$E/port" ] && break; sleep 0.1; done
  local port
  port=$(head -1 "$E/port")
  if [ -z "$port" ]; then fail "start $1: lsu serve printed no port: $(tail -3 "$E/serve.log")"; exit 0; fi
  B=http://127.0.0.1:$port
}
code() { curl -s -m 30 -o "$E/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$E/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$E/body" | head -1 | sed 's/.*value="//;s/"$//'; }
page_text() { sed 's/<[^>]*>/ /g' "$E/body" | tr -s ' \n' ' ' | head -c 300; }
edit() { # edit JAR CSRF PORTEE: starts an edition (one zip per class), its page's path in $url
  local got
  got=$(curl -s -m 30 -o /dev/null -w '%{http_code} %{redirect_url}' -b "$1" --data-urlencode "csrf=$2" \
    --data-urlencode "portee=$3" -d par=classe "$B/ecole/$UAI/editer")
  url=${got#* }
  url=${url#"$B"} # a path: the port changes at each start
  [[ $got == "303 $B/ecole/$UAI/editions/"* ]] || { fail "POST editer $3: $got"; url=; }
}
wait_done() { # wait_done JAR PATH: until its page has its zips' links
  for _ in $(seq 300); do code -b "$1" "$B$2" >/dev/null; grep -q 'Télécharger' "$E/body" && return 0; sleep 0.2; done
  return 1
}
under_way() { # under_way JAR PATH: until its progress line says k / M with 0 < k < M
  local line k m
  for _ in $(seq 400); do
    code -b "$1" "$B$2" >/dev/null
    line=$(grep -o '[0-9]* / [0-9]* bilans' "$E/body" | head -1)
    k=${line%% /*} m=${line#*/ } m=${m%% *}
    [ -n "$line" ] && [ "$k" -gt 0 ] && [ "$k" -lt "$m" ] && return 0
    grep -q 'Télécharger' "$E/body" && return 1
    sleep 0.02
  done
  return 1
}
leftovers() { find "$T" \( -name '*.tmp' -o -name en-cours \) | head -3; }
login() { code -c "$1" -d "login=$2&motdepasse=motdepasse-$2" "$B/connexion" >/dev/null; }
JD=$E/jar.dir JD2=$E/jar.dir2 JE=$E/jar.ens

# ---- 1. an edition done, then SIGTERM ----
start 1
login "$JD" dir
login "$JD2" dir2
login "$JE" ens
code -b "$JD" "$B/ecole/$UAI/editer" >/dev/null
cd_=$(csrf_of)
code -b "$JD2" "$B/ecole/$UAI/editer" >/dev/null
cd2=$(csrf_of)
edit "$JD" "$cd_" "classe:CP A"
first=$url
if [ -n "$first" ] && wait_done "$JD" "$first"; then pass "the edition of CP A ends with its zip"
else fail "the edition of CP A: $(page_text)"; fi
zip=$(grep -o "href=\"/ecole/$UAI/editions/[0-9]*/[^\"]*\.zip\"" "$E/body" | head -1 | sed 's/^href="//;s/"$//')
code -b "$JD" "$B$zip" >/dev/null
cp "$E/body" "$E/first.zip"
if cmp -s "$E/first.zip" "$E/ref/$UAI/CP_A.zip"; then pass "its zip is lsu edit --uai's, byte for byte"
else fail "its zip differs from lsu edit --uai's CP_A.zip"; fi
bad=$(find "$T" -path '*/fini*' \( \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) \) | head -3)
if [ -z "$bad" ] && [ -n "$(find "$T" -path '*/fini/*' -name '*.zip')" ]; then
  pass "its zips are 0600 in 0700 folders"
else fail "an edition's file or folder is not private: $bad"; fi
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi

# ---- 2. started again: the edition is there, for its owner only; then kill -9 ----
start 2
expect "the done edition is listed again on Éditer" 200 "n° ${first##*/} : la classe CP A (terminée)" -b "$JD" "$B/ecole/$UAI/editer"
expect "its page after the restart" 200 "Télécharger" -b "$JD" "$B$first"
code -b "$JD" "$B$zip" >/dev/null
if cmp -s "$E/body" "$E/first.zip"; then pass "its zip downloads after the restart, the same bytes"
else fail "its zip after the restart differs (or is missing)"; fi
expect "another director cannot see it" 404 "Édition introuvable" -b "$JD2" "$B$first"
expect "nor download its zip" 404 "Zip introuvable" -b "$JD2" "$B$zip"
expect "nor the teacher" 404 "Zip introuvable" -b "$JE" "$B$zip"
if ! grep -q "n° ${first##*/} " <(curl -s -m 30 -b "$JD2" "$B/ecole/$UAI/editer"); then pass "another director's Éditer does not list it"
else fail "another director's Éditer lists it"; fi
expect "a page without « ne survivent pas »" 404 "" -b "$JD" "$B/ecole/$UAI/editions/99999"
if grep -q "survivent pas" "$E/body"; then fail "the page still says editions do not survive a restart"
else pass "no page says editions do not survive a restart"; fi
edit "$JD" "$cd_" ecole
killed=$url
if [ -n "$killed" ] && under_way "$JD" "$killed"; then pass "the school's edition is under way ($(grep -o '[0-9]* / [0-9]* bilans' "$E/body" | head -1))"
else fail "the school's edition was not caught under way: $(page_text)"; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
if [ -n "$(find "$T" -name en-cours)" ]; then pass "the kill left the edition's unfinished en-cours/ behind"
else fail "the kill left no en-cours/: the edition was not under way"; fi

# ---- 3. after the kill: « Interrompue », Relancer (the browser) ----
start 3
if [ -z "$(leftovers)" ]; then pass "no *.tmp nor en-cours/ is left after the kill and the start"
else fail "left after the kill: $(leftovers)"; fi
expect "the killed edition is « Interrompue »" 200 "Interrompue (le serveur a redémarré)" -b "$JD" "$B$killed"
if grep -q '>Relancer<' "$E/body" && grep -q 'name="csrf"' "$E/body"; then pass "its page has a « Relancer » form with its CSRF token"
else fail "no « Relancer » form: $(page_text)"; fi
expect "Éditer lists it interrompue" 200 "(interrompue)" -b "$JD" "$B/ecole/$UAI/editer"
expect "Relancer without CSRF" 403 "Formulaire expiré" -b "$JD" -X POST "$B$killed"
expect "another director cannot start it again" 404 "Édition introuvable" -b "$JD2" -d "csrf=$cd2" "$B$killed"
expect "nor see it" 404 "Édition introuvable" -b "$JD2" "$B$killed"
expect "it is still interrompue" 200 "Interrompue" -b "$JD" "$B$killed"
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web survive browser: node or /usr/bin/chromium absent"
  expect "Relancer (curl)" 303 "" -b "$JD" -d "csrf=$cd_" "$B$killed"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$E/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$E/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_EDITION=$killed timeout 180 node "$here/survive.mjs" || echo "FAIL web survive.mjs exited $?"
fi
if wait_done "$JD" "$killed"; then pass "the edition started again ends with its zips"
else fail "the edition started again: $(page_text)"; fi
same=1 n=0
for ref in "$E/ref/$UAI/"*.zip; do
  n=$((n + 1))
  code -b "$JD" "$B/ecole/$UAI/editions/${killed##*/}/${ref##*/}" >/dev/null
  cmp -s "$E/body" "$ref" || { same=0; echo "  differs: ${ref##*/}"; }
done
if [ $same = 1 ] && [ $n -ge 40 ]; then pass "its $n zips are lsu edit --uai's, byte for byte"
else fail "the zips of the edition started again differ from lsu edit --uai's"; fi
expect "Relancer once more does nothing (a done edition)" 303 "" -b "$JD" -d "csrf=$cd_" "$B$killed"
expect "it stays done" 200 "Télécharger" -b "$JD" "$B$killed"
if [ -z "$(leftovers)" ]; then pass "no *.tmp nor en-cours/ is left"; else fail "left: $(leftovers)"; fi
# a SIGTERM during an edition: interrupted too
edit "$JD" "$cd_" ecole
stopped=$url
under_way "$JD" "$stopped" || echo "  (the edition was not caught under way before the SIGTERM)"
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM during an edition, with status 0"; else fail "SIGTERM: $rc"; fi
if [ -z "$(leftovers)" ]; then pass "the stop leaves no *.tmp nor en-cours/"; else fail "left by the stop: $(leftovers)"; fi

# ---- 4. expiry on disk: the first edition's end put two hours back ----
sqlite3 "$D/serveur.sqlite" "UPDATE editions SET finished_at = finished_at - 7200 WHERE id = ${first##*/}"
dir1=$(sqlite3 "$D/serveur.sqlite" "SELECT dir FROM editions WHERE id = ${first##*/}")
start 4
if [ -n "$dir1" ] && ! [ -e "$T/$dir1" ] &&
  [ "$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM editions WHERE id = ${first##*/}")" = 0 ]; then
  pass "an expired edition's folder and record are removed at the start"
else fail "the expired edition ($dir1) is still there"; fi
expect "its page is gone" 404 "Édition introuvable" -b "$JD" "$B$first"
expect "the edition stopped by SIGTERM is « Interrompue »" 200 "Interrompue (le serveur a redémarré)" -b "$JD" "$B$stopped"
expect "the killed one is still listed" 200 "n° ${killed##*/} " -b "$JD" "$B/ecole/$UAI/editer"
folders=$(find "$T" -mindepth 1 -maxdepth 1 -name 'travail-*' | wc -l)
rows=$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM editions")
if [ "$folders" = "$rows" ]; then pass "one folder per edition recorded ($rows)"; else fail "$folders folders for $rows editions"; fi
# numbers are never given twice, even after the last one went
last=$(sqlite3 "$D/serveur.sqlite" "SELECT max(id) FROM editions")
kill -TERM "$pid"
wait "$pid"
sqlite3 "$D/serveur.sqlite" "UPDATE editions SET finished_at = finished_at - 7200 WHERE id = $last"
start 5
edit "$JE" "$(code -b "$JE" "$B/ecole/$UAI/editer" >/dev/null; csrf_of)" "classe:CP A"
if [ -n "$url" ] && [ "${url##*/}" -gt "$last" ]; then pass "a new edition's number (${url##*/}) follows the expired last one ($last)"
else fail "a new edition's number ${url##*/} after $last"; fi
wait_done "$JE" "$url" >/dev/null
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0 (fifth start)"; else fail "SIGTERM: $rc"; fi

# ---- 6. at most 64 editions over per school: 70 more recorded, the oldest go ----
now=$(date +%s)
for i in $(seq 70); do
  mkdir -p "$T/travail-essai-$i/fini/$UAI"
  printf 'zip %s' "$i" >"$T/travail-essai-$i/fini/$UAI/CP_A.zip"
  echo "INSERT INTO editions(uai, login, zip_by, test_print, what, state, message, dir, created_at, finished_at)
    VALUES ('$UAI', 'dir', 0, 0, 'la classe CP A', 2, 'essai $i', 'travail-essai-$i', $now, $now);"
done | sqlite3 "$D/serveur.sqlite"
start 6
rows=$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM editions WHERE uai = '$UAI'")
folders=$(find "$T" -mindepth 1 -maxdepth 1 -name 'travail-*' | wc -l)
if [ "$rows" = 64 ] && [ "$folders" = 64 ] && ! [ -e "$T/travail-essai-6" ] && [ -e "$T/travail-essai-7" ] &&
  [ -e "$T/travail-essai-70" ]; then
  pass "a school keeps its 64 newest editions: the oldest folders and records go at the start"
else fail "the bound per school: $rows editions, $folders folders"; fi
expect "the newest is listed" 200 "la classe CP A (terminée)" -b "$JD" "$B/ecole/$UAI/editer"
kill -TERM "$pid"
wait "$pid"
