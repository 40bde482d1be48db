#!/usr/bin/env bash
# « Saisie d'ensemble des acquis scolaires » in lsu serve, on its own data
# folder and its own server: a school (tests/store/school.sh) whose CP A is
# in saisie manuelle with two more pupils in ONDE (their bilans are born in
# the store) and whose CE1 A is imported and locked; curl on the grid
# (CSRF, a teacher's other class, a stale state, bad values, a locked
# bilan), then the browser scenarios of acquis.mjs, and what was entered
# read back from the shell (lsu template, lsu history).  PASS/FAIL/SKIP.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/acquis.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web acquis $*"; }
fail() { echo "FAIL web acquis $*"; }
UAI=0290347V
A=$W/acquis D=$W/acquis/data
mkdir -p "$D"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

# ---- the school: CP A in saisie manuelle, CE1 A imported and locked ----
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
{ cat "$D/onde.csv"
  echo "ARNAUD;;Zoé;04/05/2017;F;2109876543K;1 rue de la Paix;29000;QUIMPER;FRANCE;;;;;2;CP;CP A;539980;Oui;Oui;Oui;"
  echo "LE GALL;;Erwan;05/06/2017;M;2109876544L;1 rue de la Paix;29000;QUIMPER;FRANCE;;;;;2;CP;CP A;539980;Oui;Oui;Oui;"
} >"$D/onde2.csv"
"$LSU" sync --data "$D" --uai $UAI "$D/onde2.csv" >/dev/null 2>&1
"$LSU" import-mode --data "$D" --uai $UAI --class 'CP A' manuelle >/dev/null
"$LSU" school --data "$D" --uai $UAI --directeur "MME KERBRAT Anne" >/dev/null
"$LSU" import --data "$D" -q "$D/ecole.xml" >/dev/null 2>&1 # CP A's bilan refused (PAR001), CE1 A's stored
"$LSU" lock --data "$D" --uai $UAI --class 'CE1 A' >/dev/null
LOCKED=3081949387L # CE1 A's pupil
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login kerbrat --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login tanguy --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
printf 'motdepasse-ens2\n' | "$LSU" users --data "$D" add --login morvan --role enseignant --uai $UAI --class 'CP A' 2>/dev/null

# ---- the server ----
"$LSU" serve --data "$D" --listen 127.0.0.1:0 >"$A/port" 2>"$A/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$A/port" ] && break; sleep 0.1; done
port=$(head -1 "$A/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$A/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

code() { curl -s -o "$A/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...: the status and a text of the body
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$A/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
field() { grep -o "name=\"$1\" value=\"[0-9a-f]*\"" "$A/body" | head -1 | sed 's/.*value="//;s/"$//'; }
JD=$A/jar-dir JE=$A/jar-ens
code -c "$JD" -d 'login=kerbrat&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null
code -c "$JE" -d 'login=tanguy&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
CP="$B/ecole/$UAI/saisie/CP%20A"
G="$CP?periode=1&domaine=FRA-LGO"

expect "the Accueil links to the collective entry" 200 "/ecole/$UAI/saisie\"" -b "$JE" "$B/ecole/$UAI"
expect "the class page links to its grid" 200 "/ecole/$UAI/saisie/CP%20A\"" -b "$JE" "$B/ecole/$UAI/bilans/CP%20A"
expect "the classes of the collective entry (a teacher's)" 200 "saisie/CP%20A" -b "$JE" "$B/ecole/$UAI/saisie"
if grep -q 'saisie/CE1%20A' "$A/body"; then fail "a teacher is offered another class's grid"; else pass "a teacher is offered only his class's grid"; fi
expect "GET the grid in edit mode (periods, domains, a row per pupil)" 200 "3 résultats" -b "$JE" "$G&modifier=1"
if grep -q "Aucun élément du programme n'est encore renseigné pour ce domaine" "$A/body"; then
  pass "the grid warns that the domain has no élément du programme yet"
else fail "no warning for a domain without éléments du programme"; fi
if grep -q '<option value="FRA-LGO" selected>Français : Langage oral</option>' "$A/body" &&
  grep -q '<option value="3">Trimestre 3 2024-2025</option>' "$A/body" &&
  [ "$(grep -o 'type="radio" name="p-2109876543K"' "$A/body" | wc -l)" = 6 ] &&
  grep -q 'for="p-2109876543K-3" class="invisible">ARNAUD Zoé : Atteints</label>' "$A/body"; then
  pass "the grid: the period and domain selects, six labelled radios per pupil"
else fail "the grid's selects or radios"; fi
csrf=$(field csrf) etat=$(field etat)
expect "a teacher's grid of another class" 403 "pas l'une des vôtres" -b "$JE" "$B/ecole/$UAI/saisie/CE1%20A?periode=1"
expect "a teacher's POST on another class" 403 "pas l'une des vôtres" -b "$JE" -d "csrf=$csrf&etat=$etat&p-$LOCKED=1" "$B/ecole/$UAI/saisie/CE1%20A?periode=1&domaine=FRA-LGO"
expect "a POST without the CSRF token" 403 "Formulaire expiré" -b "$JE" -d "etat=$etat&o-2109876543K=&p-2109876543K=3" "$G"
expect "a domain the class does not have" 404 "pas l'un de ceux" -b "$JE" "$CP?periode=1&domaine=STC-RAC"
expect "a period the class does not have" 404 "" -b "$JE" "$CP?periode=9&domaine=FRA-LGO"
# the director saves first; the teacher's grid, shown before, is then stale
code -b "$JD" "$G&modifier=1" >/dev/null
dcsrf=$(field csrf) detat=$(field etat)
expect "the director saves the grid (303)" 303 "" -b "$JD" -d "csrf=$dcsrf&etat=$detat&periode=1&domaine=FRA-LGO&o-2109876543K=&p-2109876543K=3&o-1282367380M=&p-1282367380M=NE" "$G"
expect "the grid after saving says « Enregistré »" 200 "Enregistré : 0 bilan modifié, 2 créés." -b "$JD" "$G&enregistre=0&crees=2"
expect "the grid's script, without a session" 200 "Tout mettre à\|querySelectorAll" "$B/saisie.js"
expect "the grid shows who changed it last (the rappel)" 200 "Dernière modification : kerbrat, le [0-9][0-9]/[0-9][0-9]/20[0-9][0-9] à" -b "$JE" "$G&modifier=1"
if grep -q 'value="3" id="p-2109876543K-3" checked' "$A/body" && grep -q 'value="NE" id="p-1282367380M-5" checked' "$A/body"; then
  pass "the saved values are checked in the grid"
else fail "the saved values are not shown"; fi
expect "a stale state token is refused with the other author (409)" 409 "modifiée pour cette période par kerbrat" -b "$JE" -d "csrf=$csrf&etat=$etat&periode=1&domaine=FRA-LGO&o-2109876544L=&p-2109876544L=4&o-2109876543K=&p-2109876543K=1" "$G"
if grep -q 'Votre choix : Dépassés (enregistré : rien)' "$A/body" && grep -q 'value="4" id="p-2109876544L-4" checked' "$A/body" &&
  grep -q 'Votre choix : Non atteints (enregistré : Atteints)' "$A/body"; then
  pass "the refused grid shows the user's choices again, beside what is saved"
else fail "the refused grid lost the user's choices"; fi
netat=$(field etat)
"$LSU" template --data "$D" --uai $UAI --class 'CP A' --period 1 --domain FRA-LGO -o "$A/t1.csv" >/dev/null
if tr -d '\r' <"$A/t1.csv" | grep -q '^ARNAUD;Zoé;2109876543K;;3$' && tr -d '\r' <"$A/t1.csv" | grep -q '^LE GALL;Erwan;2109876544L;;$'; then
  pass "after the 409, the store holds the director's values, nothing of the stale grid"
else fail "the stale grid changed the store: $(tr -d '\r' <"$A/t1.csv" | grep 2109876)"; fi
expect "a positionnement out of range is refused with the entry's reason (422)" 422 "positionnement 7 : attendu 1 à 4" -b "$JE" -d "csrf=$csrf&etat=$netat&periode=1&domaine=FRA-LGO&o-2109876544L=&p-2109876544L=7" "$G"
expect "a value that is none is refused (422)" 422 "valeur inconnue : attendu 1 à 4, NE" -b "$JE" -d "csrf=$csrf&etat=$netat&periode=1&domaine=FRA-LGO&o-2109876544L=&p-2109876544L=excellent" "$G"
expect "a pupil of another class is refused" 422 "est dans la classe CE1 A, pas dans la classe CP A" -b "$JE" -d "csrf=$csrf&etat=$netat&periode=1&domaine=FRA-LGO&p-$LOCKED=2" "$G"
expect "an unknown pupil is refused" 422 "élève inconnu dans la classe CP A : INE 1234567890Z" -b "$JE" -d "csrf=$csrf&etat=$netat&periode=1&domaine=FRA-LGO&p-1234567890Z=2" "$G"
expect "« Tout mettre à » without script fills the column, saves nothing" 200 "appliquée aux élèves" -b "$JE" -d "csrf=$csrf&etat=$netat&periode=1&domaine=FRA-LGO&tout=2" "$G"
if [ "$(grep -o 'value="2" id="p-[0-9A-Z]*-2" checked' "$A/body" | wc -l)" = 3 ] && [ "$(field etat)" = "$netat" ]; then
  pass "the column is set for every pupil, from the same state"
else fail "« Tout mettre à » did not set the column"; fi
# a locked bilan: read-only in the grid, a forged POST refused with why
CE="$B/ecole/$UAI/saisie/CE1%20A?periode=1&domaine=FRA-LGO"
expect "the director's grid of a locked class" 200 "Verrouillé le" -b "$JD" "$CE&modifier=1"
if grep -q "Enseignant(e)s : Mme Dupont Valérie" "$A/body"; then pass "the grid names the class's teachers"
else fail "the grid does not name the class's teachers"; fi
if grep -q "Aucun élément du programme n'est encore renseigné" "$A/body"; then fail "an imported class's éléments are not seen"
else pass "no warning when the bilans have éléments du programme for the domain"; fi
if [ "$(grep -o "name=\"p-$LOCKED\" value=\"[^\"]*\" id=\"[^\"]*\"[a-z ]*disabled" "$A/body" | wc -l)" = 6 ]; then
  pass "the radios of a locked bilan are disabled"
else fail "the radios of a locked bilan are not disabled"; fi
cetat=$(field etat)
expect "a POST touching a locked bilan is refused with why (422)" 422 "bilan verrouillé le" -b "$JD" -d "csrf=$dcsrf&etat=$cetat&periode=1&domaine=FRA-LGO&o-$LOCKED=3&p-$LOCKED=1" "$CE"

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web acquis browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$A/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$A/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI timeout 180 node "$here/acquis.mjs" || echo "FAIL web acquis.mjs exited $?"
  # what the browser entered is in the store (Mathématiques : Nombres et calcul, trimestre 2)
  "$LSU" template --data "$D" --uai $UAI --class 'CP A' --period 2 --domain MAT-NBC -o "$A/t2.csv" >/dev/null
  rows=$(tr -d '\r' <"$A/t2.csv" | grep -E '^(ARNAUD|LE GALL|MATHIEU);' | cut -d';' -f1,5 | tr '\n' ' ')
  if [ "$rows" = "ARNAUD;4 LE GALL;3 MATHIEU;2 " ]; then pass "the values entered in the browser are in the store (lsu template)"
  else fail "the store after the browser: $rows"; fi
  if "$LSU" history --data "$D" --uai $UAI --pupil 2109876544L 2>/dev/null | grep -q 'tanguy'; then
    pass "lsu history names the teacher who saved the grid"
  else fail "lsu history: $("$LSU" history --data "$D" --uai $UAI --pupil 2109876544L 2>&1 | head -5 | tr '\n' ' ')"; fi
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
