#!/usr/bin/env bash
# The director's settings screens of lsu serve (Paramétrage de l'import,
# des périodes, du type de positionnement, Synchronisation, Historique,
# Rapports): their own data folder (a generated school, synchronised, no
# settings), their own server and accounts; curl on every route (a
# teacher gets 403, a form without its CSRF token 403, overlapping periods
# refused), then tests/web/param.mjs in chromium, and the store read back
# with the commands (lsu import-mode, lsu periods, lsu history --school)
# saying what the screens did.  Prints PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/param.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web param $*"; }
fail() { echo "FAIL web param $*"; }
lsu_run() { "$LSU" "$@"; }
export -f lsu_run
export LSU
UAI=0290347V
P=$W/param
D=$P/data F=$P/files
rm -rf "$P"
mkdir -p "$D" "$F"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

D=$D bash "$here/../store/school.sh" --no-settings || { fail "school setup"; exit 0; }
cp "$D/onde.csv" "$F/CSVExtraction.csv"
printf 'motdepasse-pdir\n' | "$LSU" users --data "$D" add --login pdir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-pens\n' | "$LSU" users --data "$D" add --login pens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null

"$LSU" serve --data "$D" --listen 127.0.0.1:0 --max-upload 256k >"$P/port" 2>"$P/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$P/port" ] && break; sleep 0.1; done
port=$(head -1 "$P/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$P/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

code() { curl -s -o "$P/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$P/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
JD=$P/jar-dir JE=$P/jar-ens
code -c "$JD" -d 'login=pdir&motdepasse=motdepasse-pdir' "$B/connexion" >/dev/null
code -c "$JE" -d 'login=pens&motdepasse=motdepasse-pens' "$B/connexion" >/dev/null
code -b "$JE" "$B/ecole/$UAI" >/dev/null
csrf_ens=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$P/body" | head -1 | sed 's/.*value="//;s/"$//')
expect "the director's Accueil links to Paramétrage" 200 'parametrage/periodes' -b "$JD" "$B/ecole/$UAI"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$P/body" | head -1 | sed 's/.*value="//;s/"$//')

# a teacher: 403 on every route, GET and POST
for route in parametrage parametrage/import parametrage/periodes parametrage/positionnement synchronisation historique rapports; do
  expect "teacher GET $route" 403 "Accès refusé" -b "$JE" "$B/ecole/$UAI/$route"
done
for route in parametrage/import parametrage/periodes; do
  expect "teacher POST $route" 403 "Accès refusé" -b "$JE" -d "csrf=$csrf_ens&mode=logiciel&pour=ecole&type=trimestres" "$B/ecole/$UAI/$route"
done
expect "teacher POST synchronisation" 403 "Accès refusé" -b "$JE" -F "csrf=$csrf_ens" -F "fichier=@$F/CSVExtraction.csv" "$B/ecole/$UAI/synchronisation"

# the director's pages
expect "GET parametrage (the menu)" 200 "Synchronisation élèves enseignants" -b "$JD" "$B/ecole/$UAI/parametrage"
expect "GET parametrage/import" 200 "Import d&apos;un logiciel de suivi\|Import d'un logiciel de suivi" -b "$JD" "$B/ecole/$UAI/parametrage/import"
expect "GET parametrage/periodes shows the banner" 200 "Classe(s) dont la périodicité n'est pas définie : CE1 A, CP A" -b "$JD" "$B/ecole/$UAI/parametrage/periodes"
expect "GET parametrage/positionnement" 200 "Partiellement atteints" -b "$JD" "$B/ecole/$UAI/parametrage/positionnement"
expect "GET synchronisation" 200 "les bilans verrouillés ne seront pas impactés" -b "$JD" "$B/ecole/$UAI/synchronisation"
expect "GET historique" 200 "Synchronisation n° 1" -b "$JD" "$B/ecole/$UAI/historique"
expect "GET historique?page=x (a bad page is page 1)" 200 "page 1 sur 1" -b "$JD" "$B/ecole/$UAI/historique?page=x"
expect "GET rapports before any import" 200 "Aucun import" -b "$JD" "$B/ecole/$UAI/rapports"

# CSRF on every POST
expect "POST parametrage/import without CSRF" 403 "Formulaire expiré" -b "$JD" -d 'mode=logiciel&pour=ecole' "$B/ecole/$UAI/parametrage/import"
expect "POST parametrage/periodes without CSRF" 403 "Formulaire expiré" -b "$JD" -d 'type=trimestres&pour=ecole' "$B/ecole/$UAI/parametrage/periodes"
expect "POST synchronisation without CSRF" 403 "Formulaire expiré" -b "$JD" -F "fichier=@$F/CSVExtraction.csv" "$B/ecole/$UAI/synchronisation"
expect "POST parametrage/import with a wrong CSRF" 403 "Formulaire expiré" -b "$JD" -d 'csrf=00&mode=logiciel&pour=ecole' "$B/ecole/$UAI/parametrage/import"

# refusals, in French, nothing written
dates='debut1=2024-09-02&fin1=2024-12-15&debut2=2024-12-01&fin2=2025-03-08&debut3=2025-03-09&fin3=2025-07-05'
expect "overlapping trimestres refused" 400 "Périodes refusées" -b "$JD" -d "csrf=$csrf&type=trimestres&pour=ecole&$dates" "$B/ecole/$UAI/parametrage/periodes"
expect "a date that is none refused" 400 "date de fin « 2024-02-30 » invalide" -b "$JD" -d "csrf=$csrf&type=semestres&pour=ecole&debut1=2024-09-02&fin1=2024-02-30&debut2=2025-02-01&fin2=2025-07-05" "$B/ecole/$UAI/parametrage/periodes"
expect "a period ending before it starts refused" 400 "Périodes refusées" -b "$JD" -d "csrf=$csrf&type=semestres&pour=ecole&debut1=2025-01-31&fin1=2024-09-02&debut2=2025-02-01&fin2=2025-07-05" "$B/ecole/$UAI/parametrage/periodes"
expect "a custom periodicity without a name refused" 400 "libellé de la périodicité" -b "$JD" -d "csrf=$csrf&type=custom&pour=ecole&libelle1=P1&debut1=2024-09-02&fin1=2024-12-01" "$B/ecole/$UAI/parametrage/periodes"
expect "an unknown import mode refused" 400 "Choisissez le mode" -b "$JD" -d "csrf=$csrf&mode=automatique&pour=ecole" "$B/ecole/$UAI/parametrage/import"
expect "an import mode for a class that is none" 400 "Aucune classe ne correspond" -b "$JD" -d "csrf=$csrf&mode=logiciel&pour=classe:999999" "$B/ecole/$UAI/parametrage/import"
expect "a sync without a file" 400 "Choisissez l'extraction ONDE" -b "$JD" -F "csrf=$csrf" "$B/ecole/$UAI/synchronisation"
printf 'pas;une;extraction\n1;2;3\n' >"$F/mauvais.csv"
expect "a sync of a file that is no extraction" 400 "extraction ONDE est refusée" -b "$JD" -F "csrf=$csrf" -F "fichier=@$F/mauvais.csv" "$B/ecole/$UAI/synchronisation"
if [ "$("$LSU" periods --data "$D" --uai $UAI | grep -c '^Trimestre\|^Semestre')" = 0 ]; then pass "the refusals wrote no periodicity"
else fail "a refused form wrote a periodicity: $("$LSU" periods --data "$D" --uai $UAI | tr '\n' '|')"; fi

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web param browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$P/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$P/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_WEB_FILES=$F timeout 180 node "$here/param.mjs" || echo "FAIL web param.mjs exited $?"
  # the store, read with the commands, says what the screens did
  modes=$("$LSU" import-mode --data "$D" --uai $UAI)
  if grep -q 'CE1 A .*import logiciel (école)' <<<"$modes" && grep -q 'CP A .*import logiciel (école)' <<<"$modes"; then
    pass "lsu import-mode: both classes in import logiciel (école), as set in the browser"
  else fail "lsu import-mode: $(tr '\n' '|' <<<"$modes")"; fi
  periods=$("$LSU" periods --data "$D" --uai $UAI)
  if grep -q '^Trimestre (2024-2025)' <<<"$periods" && grep -q 'Trimestre 1 : 02/09/2024, 30/11/2024' <<<"$periods" &&
    grep -q 'Trimestre 3 : 09/03/2025, 05/07/2025' <<<"$periods" && ! grep -q "périodicité n'est pas définie" <<<"$periods" &&
    grep -q 'Classes associées : CE1 A (école), CP A (école)' <<<"$periods"; then
    pass "lsu periods: the trimestres set in the browser, for the school, no class left without"
  else fail "lsu periods: $(tr '\n' '|' <<<"$periods")"; fi
  hist=$("$LSU" history --data "$D" --uai $UAI --school)
  if grep -q 'Paramétrage n° 2  par pdir' <<<"$hist" && grep -q 'Paramétrage n° 1  par pdir' <<<"$hist" &&
    grep -q 'Synchronisation n° 2  par pdir — CSVExtraction.csv' <<<"$hist" &&
    grep -q 'Synchronisation n° 1  par ligne de commande' <<<"$hist"; then
    pass "lsu history --school: the sync and the settings by pdir, the first sync from the command line"
  else fail "lsu history --school: $(tr '\n' '|' <<<"$hist")"; fi
  n=$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM audit WHERE login = 'pdir' AND uai = '$UAI' AND (what LIKE 'synchronisation de CSVExtraction.csv : effectuée' OR what LIKE 'paramétrage de l''import : l''école en import logiciel' OR what LIKE 'paramétrage des périodes : Trimestre pour l''école')")
  if [ "$n" = 3 ]; then pass "the audit log has the sync, the import mode and the periods by pdir"
  else fail "audit log: $n of 3 ($(sqlite3 "$D/serveur.sqlite" "SELECT what FROM audit WHERE login = 'pdir'" | tr '\n' '|'))"; fi
  # other dates for one class of the trimestres would change the other's: refused, unless confirmed
  other='debut1=2024-09-02&fin1=2024-11-29&debut2=2024-11-30&fin2=2025-03-08&debut3=2025-03-09&fin3=2025-07-05'
  expect "other trimestre dates for CP A alone refused (CE1 A is on them)" 409 "changeraient aussi celles de 1 classe hors de la sélection (CE1 A" -b "$JD" -d "csrf=$csrf&type=trimestres&pour=classe:CP%20A&$other" "$B/ecole/$UAI/parametrage/periodes"
  # a custom periodicity for one class
  expect "a custom periodicity for CP A" 200 "Cinq périodes enregistré pour CP A : 1 classe associée." -b "$JD" -d "csrf=$csrf&type=custom&pour=classe:CP%20A&nom=Cinq+p%C3%A9riodes&libelle1=P1&debut1=2024-09-02&fin1=2024-10-18&libelle2=P2&debut2=2024-11-04&fin2=2024-12-20" "$B/ecole/$UAI/parametrage/periodes"
  periods=$("$LSU" periods --data "$D" --uai $UAI)
  if grep -q '^Cinq périodes (2024-2025)' <<<"$periods" && grep -q 'P2 : 04/11/2024, 20/12/2024' <<<"$periods" &&
    grep -q 'Classes associées : CP A (classe)' <<<"$periods" && grep -q 'Classes associées : CE1 A (école)' <<<"$periods"; then
    pass "lsu periods: the custom periodicity on CP A alone, CE1 A kept on the trimestres"
  else fail "lsu periods after the custom one: $(tr '\n' '|' <<<"$periods")"; fi
fi

# the Historique is paged: 50 more events from the command line make a second
# page (51 rows on the first: the header and 50 events)
for i in $(seq 25); do
  "$LSU" import-mode --data "$D" --uai $UAI --school manuelle >/dev/null
  "$LSU" import-mode --data "$D" --uai $UAI --school logiciel >/dev/null
done
expect "historique page 1 of 2, newest first" 200 "page 1 sur 2" -b "$JD" "$B/ecole/$UAI/historique"
if grep -q "historique?page=2\">Page suivante" "$P/body" && ! grep -q "Page précédente" "$P/body" &&
  [ "$(grep -o '<tr>' "$P/body" | wc -l)" = 51 ]; then pass "historique page 1: 50 events and « Page suivante »"
else fail "historique page 1: $(grep -o '<tr>' "$P/body" | wc -l) rows, links $(grep -o 'Page [a-zé]*' "$P/body" | tr '\n' ' ')"; fi
expect "historique page 2 ends with the first sync" 200 "Synchronisation n° 1" -b "$JD" "$B/ecole/$UAI/historique?page=2"
if grep -q "historique?page=1\">Page précédente" "$P/body" && ! grep -q "Page suivante" "$P/body"; then
  pass "historique page 2: « Page précédente » only"
else fail "historique page 2 links: $(grep -o 'Page [a-zé]*' "$P/body" | tr '\n' ' ')"; fi

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
if [ -z "$(ls -A "$D/televersements")" ]; then pass "no upload is left in DATA/televersements"
else fail "uploads left: $(ls "$D/televersements")"; fi
