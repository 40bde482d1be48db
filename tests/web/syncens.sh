#!/usr/bin/env bash
# Synchronisation élèves / enseignants with the teachers' list, and the
# per-class table of Paramétrage des périodes, in lsu serve: their own data
# folder (a generated school synchronised from the command line, CP A on
# trimestres, CE1 A on semestres) and their own server (--max-upload 8k).
# curl: a multipart body with both files, the cap over their sum (413),
# a broken teachers' list refused with its diagnostic and nothing applied
# (read back with lsu history, lsu import-mode); then tests/web/syncens.mjs
# in chromium (the director sends the extraction and the teachers' list,
# the Statut / Message table and the periods' table), and lsu import on the
# same data folder says which teachers the store knows (PAR005 for the one
# left out of the list, none for those in it).  Prints PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/syncens.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web syncens $*"; }
fail() { echo "FAIL web syncens $*"; }
lsu_run() { "$LSU" "$@"; }
export -f lsu_run
export LSU
UAI=0290347V
S=$W/syncens
D=$S/data F=$S/files
rm -rf "$S"
mkdir -p "$D" "$F"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

D=$D bash "$here/../store/school.sh" --no-settings || { fail "school setup"; exit 0; }
"$LSU" periods --data "$D" --uai $UAI --class 'CP A' trimestres \
  --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
"$LSU" periods --data "$D" --uai $UAI --class 'CE1 A' semestres --dates 2024-09-02:2025-01-31,2025-02-01:2025-07-05 >/dev/null 2>&1
"$LSU" import-mode --data "$D" --uai $UAI --school logiciel >/dev/null
# the extraction brings a third class, CM2 A, which no periodicity covers
{ cat "$D/onde.csv"
  echo 'NOUVEL;;Inès;04/05/2014;F;5550001111Z;1 rue de la Paix;29000;QUIMPER;FRANCE;;;;;3;CM2;CM2 A;777777;Oui;Oui;Oui;'
} >"$F/CSVExtraction.csv"
# the export's teachers are Mme Laurent, Mme André (CP A) and Mme Dupont (CE1 A)
printf 'Civilité;Nom;Prénom;Classes\r\nMadame;LAURENT;Françoise;CP A\r\n' >"$F/enseignants-1.csv"
printf 'Civilité;Nom;Prénom;Classes\r\nMadame;LAURENT;Françoise;CP A\r\nMme;ANDRÉ;Marie-Hélène;CP A\r\nDocteur;MOREAU;Paul;CE1 A\r\n' >"$F/enseignants.csv"
printf 'Nom;Prénom\r\nLAURENT;Françoise\r\n' >"$F/enseignants-casse.csv"
head -c 5000 /dev/zero | tr '\0' 'a' >"$F/moitie-a.csv"
head -c 5000 /dev/zero | tr '\0' 'b' >"$F/moitie-b.csv"
printf 'motdepasse-sdir\n' | "$LSU" users --data "$D" add --login sdir --role directeur --uai $UAI 2>/dev/null

"$LSU" serve --data "$D" --listen 127.0.0.1:0 --max-upload 8k >"$S/port" 2>"$S/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$S/port" ] && break; sleep 0.1; done
port=$(head -1 "$S/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$S/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

code() { curl -s -o "$S/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$S/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
J=$S/jar
code -c "$J" -d 'login=sdir&motdepasse=motdepasse-sdir' "$B/connexion" >/dev/null
expect "GET synchronisation has the teachers' field" 200 'Fichier des enseignants (facultatif)' -b "$J" "$B/ecole/$UAI/synchronisation"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$S/body" | head -1 | sed 's/.*value="//;s/"$//')
if grep -q 'type="file" name="enseignants"' "$S/body" && grep -q 'type="file" name="fichier"' "$S/body"; then
  pass "the sync form has both file inputs"
else fail "the sync form's file inputs: $(grep -o '<input[^>]*type="file"[^>]*>' "$S/body" | tr '\n' ' ')"; fi
SYNC=$B/ecole/$UAI/synchronisation

# a broken teachers' list: refused whole, its diagnostic shown, nothing applied
expect "a teachers' list without its columns is refused" 400 "la liste des enseignants est refusée" -b "$J" -F "csrf=$csrf" \
  -F "fichier=@$F/CSVExtraction.csv" -F "enseignants=@$F/enseignants-casse.csv" "$SYNC"
if grep -q 'enseignants-casse.csv:1: fatal \[OND002\] Colonnes absentes de l&apos;en-tête : « Civilité », « Classes »\|enseignants-casse.csv:1: fatal \[OND002\] Colonnes absentes de l'"'"'en-tête : « Civilité », « Classes »' "$S/body"; then
  pass "the refusal shows the teachers' list's OND002 as lsu sync prints it"
else fail "the refusal's diagnostic: $(grep -o 'enseignants-casse[^<]*' "$S/body" | head -3 | tr '\n' '|')"; fi
cli=$("$LSU" sync --data "$D" --uai $UAI --dry-run "$F/CSVExtraction.csv" --teachers "$F/enseignants-casse.csv" 2>&1)
if grep -q '\[OND002\] Colonnes absentes de l.en-tête : « Civilité », « Classes »' <<<"$cli" && grep -q 'OND002' "$S/body"; then
  pass "lsu sync --teachers gives the same OND002 for that list"
else fail "lsu sync --teachers on the broken list: $(tr '\n' '|' <<<"$cli")"; fi
hist=$("$LSU" history --data "$D" --uai $UAI --school)
modes=$("$LSU" import-mode --data "$D" --uai $UAI)
if ! grep -q 'Synchronisation n° 2' <<<"$hist" && ! grep -q 'CM2 A' <<<"$modes"; then
  pass "the refused sync wrote nothing (no second sync, CM2 A not in the base élèves)"
else fail "the refused sync wrote: $(tr '\n' '|' <<<"$hist$modes")"; fi

# the cap is on the sum: each half fits, both do not
expect "two files over the cap together" 413 "Les fichiers envoyés dépassent ensemble la taille permise" -b "$J" -F "csrf=$csrf" \
  -F "fichier=@$F/moitie-a.csv" -F "enseignants=@$F/moitie-b.csv" "$SYNC"
expect "one of them alone is within the cap (read, and refused as no extraction)" 400 "extraction ONDE est refusée" -b "$J" \
  -F "csrf=$csrf" -F "fichier=@$F/moitie-a.csv" "$SYNC"

# both files in one body, as the form sends them
expect "a sync with the extraction and the teachers' list" 200 "1 enseignant chargé." -b "$J" -F "csrf=$csrf" \
  -F "fichier=@$F/CSVExtraction.csv" -F "enseignants=@$F/enseignants-1.csv" "$SYNC"
if grep -q 'CM2 A' "$S/body" && grep -q 'Mme LAURENT Françoise : CP A' "$S/body"; then
  pass "the answer has the new class and the teachers read"
else fail "the sync's answer: $(sed 's/<[^>]*>/ /g' "$S/body" | tr -s ' \n' ' ' | cut -c1-600)"; fi
hist=$("$LSU" history --data "$D" --uai $UAI --school)
if grep -q 'Synchronisation n° 2  par sdir — CSVExtraction.csv — Synchronisation lancée pour : CP A, CE1 A, CM2 A' <<<"$hist"; then
  pass "lsu history --school: the sync by sdir, with CM2 A"
else fail "lsu history --school after the sync: $(tr '\n' '|' <<<"$hist")"; fi
if [ -z "$(ls -A "$D/televersements")" ]; then pass "no upload left after the requests"
else fail "uploads left: $(ls "$D/televersements")"; fi
expect "GET parametrage/periodes has the classes' table" 200 'id="classes-periodes"' -b "$J" "$B/ecole/$UAI/parametrage/periodes"
if grep -q '<td>CM2 A</td><td>CM2</td><td>non définie</td>' "$S/body" &&
  grep -q '<td>CP A</td><td>CP</td><td>Trimestre (classe)</td>' "$S/body"; then
  pass "the periods' table: CM2 A non définie, CP A on its own trimestres"
else fail "the periods' table: $(grep -o '<table id="classes-periodes".*</table>' "$S/body" | head -c 800)"; fi

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web syncens browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$S/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$S/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_WEB_FILES=$F timeout 180 node "$here/syncens.mjs" || echo "FAIL web syncens.mjs exited $?"
  # the teachers the store knows now, as lsu import checks them (PAR005):
  # Mme Dupont, left out of the list, is unknown; Mme Laurent and Mme André are known
  out=$("$LSU" import --data "$D" -o "$S/import" "$D/ecole.xml" 2>&1)
  if grep -q 'PAR005\] Enseignant inconnu : Mme Dupont Valérie' <<<"$out" && ! grep -q 'PAR005\] Enseignant inconnu : Mme André' <<<"$out" &&
    ! grep -q 'PAR005\] Enseignant inconnu : Mme Laurent' <<<"$out"; then
    pass "lsu import: the teachers sent in the browser are the school's (PAR005 for Mme Dupont only)"
  else fail "lsu import after the browser's sync: $(grep -o 'PAR005[^(]*' <<<"$out" | sort -u | tr '\n' '|')"; fi
  n=$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM audit WHERE login = 'sdir' AND what = 'synchronisation de CSVExtraction.csv et enseignants.csv : effectuée'")
  if [ "$n" = 1 ]; then pass "the audit log names both files of the browser's sync"
  else fail "audit log: $(sqlite3 "$D/serveur.sqlite" "SELECT what FROM audit WHERE login = 'sdir'" | tr '\n' '|')"; fi
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
if [ -z "$(ls -A "$D/televersements")" ]; then pass "no upload is left in DATA/televersements"
else fail "uploads left: $(ls "$D/televersements")"; fi
