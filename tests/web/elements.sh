#!/usr/bin/env bash
# The collective entry screens of lsu serve (screens_elements.c):
# « Saisie collective des éléments du programme » and « des parcours
# éducatifs », on their own data folder $W/elements (a generated school,
# tests/store/school.sh; CP A in saisie manuelle, the directeur named),
# their own server, a teacher of CP A and the director.  curl checks the
# refusals (CSRF, another class, 301 code points, a duplicate, a stale
# page), then tests/web/elements.mjs drives chromium, and `lsu template`
# shows the store holds what the browser entered.  PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/elements.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web elements: $*"; }
fail() { echo "FAIL web elements: $*"; }
UAI=0290347V
E=$W/elements
D=$E/data
rm -rf "$E"
mkdir -p "$D"
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
"$LSU" import-mode --data "$D" --uai $UAI --class 'CP A' manuelle >/dev/null
"$LSU" school --data "$D" --uai $UAI --directeur 'MME MARTIN Valérie' >/dev/null
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null

"$LSU" serve --data "$D" --listen 127.0.0.1:0 >"$E/port" 2>"$E/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$E/port" ] && break; sleep 0.1; done
port=$(head -1 "$E/port")
if [ -z "$port" ]; then fail "lsu serve did not start: $(cat "$E/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

code() { curl -s -o "$E/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$E/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$E/body" | head -1 | sed 's/.*value="//;s/"$//'; }
J=$E/jar
code -c "$J" -d 'login=ens&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
P2="$B/ecole/$UAI/elements/CP%20A?periode=2&domaine=FRA-LEC"
expect "the teacher's Accueil links the collective entry" 200 "Saisie collective des éléments du programme" -b "$J" "$B/ecole/$UAI"
expect "the classes of the éléments screen: the teacher's own" 200 "CP A" -b "$J" "$B/ecole/$UAI/elements"
if grep -q 'CE1 A' "$E/body"; then fail "the teacher sees CE1 A in the classes"; else pass "the teacher does not see CE1 A"; fi
expect "GET the éléments of CP A, period 2, Lecture (read mode)" 200 "Aucun élément de programme n'est encore renseigné" -b "$J" "$P2"
if grep -q '<textarea' "$E/body" || ! grep -q 'id="modifier" href="/ecole/'$UAI'/elements/CP%20A?periode=2&amp;domaine=FRA-LEC&amp;modifier=1"' "$E/body"; then fail "the read mode has a field or no « Modifier »"
else pass "the read mode: no field, « Modifier » opens the edit mode"; fi
expect "GET the éléments in edit mode" 200 "Aucun élément de programme n'est encore renseigné" -b "$J" "$P2&modifier=1"
csrf=$(field csrf) etat=$(field etat)
grep -q 'Lecture et compréhension de l' "$E/body" && pass "the domain is named in the heading" || fail "the heading names no domain"
grep -q 'name="aide"' "$E/body" && pass "the aide à la saisie offers the programme's éléments" || fail "no aide à la saisie"
expect "POST without CSRF" 403 "Formulaire expiré" -b "$J" --data-urlencode "etat=$etat" --data-urlencode 'nouveau=Lire à voix haute' "$P2"
expect "GET another class" 403 "pas l'une des vôtres" -b "$J" "$B/ecole/$UAI/elements/CE1%20A"
expect "POST to another class" 403 "pas l'une des vôtres" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode 'nouveau=x' "$B/ecole/$UAI/elements/CE1%20A?periode=2&domaine=FRA-LEC"
expect "GET the parcours of another class" 403 "pas l'une des vôtres" -b "$J" "$B/ecole/$UAI/parcours/CE1%20A"
long=$(printf 'é%.0s' $(seq 301))
expect "an élément of 301 code points is refused" 422 "301 caractères pour 300 au plus" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode "nouveau=$long" --data-urlencode n=0 "$P2"
grep -q "$long" "$E/body" && pass "the refused text is shown again" || fail "the refused text is lost"
ok=$(printf 'é%.0s' $(seq 300))
expect "an élément of 300 code points is saved" 303 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode "nouveau=$ok" --data-urlencode n=0 "$P2"
expect "the rappel shows it, « Enregistré »" 200 "Enregistré" -b "$J" "$P2&enregistre=1&modifier=1"
etat2=$(field etat)
expect "a duplicate élément is refused" 422 "Rien n'est enregistré" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat2" --data-urlencode n=1 --data-urlencode "orig-1=$ok" --data-urlencode "el-1=$ok" --data-urlencode "nouveau=  $ok " "$P2"
grep -q 'refus-liste' "$E/body" && pass "the duplicate's reason is listed: $(sed -n 's/.*<li><strong>\([^<]*\)<.*/\1/p' "$E/body" | head -1)" || fail "no reason for the duplicate"
# a stale page: the form of etat (before the 300 code points) sent again
expect "a stale page is refused (409), naming who changed it" 409 "ens a modifié cette classe" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode n=0 --data-urlencode 'nouveau=Lire des mots nouveaux' "$P2"
grep -q 'Lire des mots nouveaux' "$E/body" && pass "the stale page shows what was typed" || fail "the stale page lost the text typed"
grep -q 'ens a modifié cette classe pour cette période le [0-9][0-9]/[0-9][0-9]/20[0-9][0-9] à [0-9][0-9]:[0-9][0-9]' "$E/body" &&
  pass "the stale page says when" || fail "the stale page says not when: $(grep -o 'ens a modifié[^<]*' "$E/body")"
n=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM class_elements WHERE domain = 'FRA-LEC'")
[ "$n" = 1 ] && pass "the store holds one élément for Lecture (refusals wrote nothing)" || fail "class_elements FRA-LEC: $n"
# a director reaches every class
cd_=$E/jar-dir
code -c "$cd_" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null
expect "the director reaches CE1 A's parcours" 200 "Seules doivent être saisies les informations pertinentes" -b "$cd_" "$B/ecole/$UAI/parcours/CE1%20A"
expect "the class page links its collective entry" 200 "/ecole/$UAI/elements/CP%20A" -b "$cd_" "$B/ecole/$UAI/bilans/CP%20A"
expect "GET /saisie.js" 200 "data-max\|dataset.max" "$B/saisie.js"
# parcours: 601 code points refused, with the library's reason
expect "GET the parcours of CP A, period 2" 200 "Parcours éducatif de santé" -b "$J" "$B/ecole/$UAI/parcours/CP%20A?periode=2"
etat=$(field etat)
expect "a parcours of 601 code points is refused" 422 "601 caractères pour 600 au plus" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode "PAR_CIT=$(printf 'a%.0s' $(seq 601))" "$B/ecole/$UAI/parcours/CP%20A?periode=2"
# a locked bilan: a collective élément goes into the class's list, not into it
sqlite3 "$D/$UAI.sqlite" "UPDATE bilans SET locked_at = '2025-01-12T10:00:00Z' WHERE classe = 'CP A' AND bkey = 'P:2024:2/3' AND replaced_at IS NULL"
before=$(sqlite3 "$D/$UAI.sqlite" "SELECT xml FROM bilans WHERE classe = 'CP A' AND bkey = 'P:2024:2/3' AND replaced_at IS NULL")
code -b "$J" "$P2&modifier=1" >/dev/null
etat=$(field etat)
got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode n=0 --data-urlencode 'nouveau=Lire seul un texte court' "$P2")
expect "after a change that skipped a locked bilan" 200 "1 bilan verrouillé n'a pas été modifié" -b "$J" "${got#* }"
after=$(sqlite3 "$D/$UAI.sqlite" "SELECT xml FROM bilans WHERE classe = 'CP A' AND bkey = 'P:2024:2/3' AND replaced_at IS NULL")
n=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM class_elements WHERE domain = 'FRA-LEC' AND libelle = 'Lire seul un texte court'")
if [ "${got%% *}" = 303 ] && [ "$before" = "$after" ] && [ "$n" = 1 ]; then pass "the locked bilan is left as it was, the class's élément saved"
else fail "locked bilan: ${got%% *}, class_elements $n, bilan $([ "$before" = "$after" ] && echo unchanged || echo changed)"; fi
# one submission: the first élément's text edited, the second removed
code -b "$J" "$P2&modifier=1" >/dev/null
etat=$(field etat)
expect "an élément edited and another removed at once" 303 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode n=2 --data-urlencode "orig-1=$ok" --data-urlencode 'el-1=Lire à voix haute' --data-urlencode 'orig-2=Lire seul un texte court' --data-urlencode 'el-2=Lire seul un texte court' --data-urlencode action=supprimer-2 "$P2"
els=$(sqlite3 "$D/$UAI.sqlite" "SELECT group_concat(libelle, '|') FROM (SELECT libelle FROM class_elements WHERE domain = 'FRA-LEC' ORDER BY position)")
[ "$els" = 'Lire à voix haute' ] && pass "the store holds the edited élément only" || fail "class_elements FRA-LEC after edit and removal: $els"

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web elements: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$E/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$E/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI timeout 180 node "$here/elements.mjs" || echo "FAIL web elements.mjs exited $?"
  # what the browser entered is in the store: lsu template of CP A, period 1
  "$LSU" template --data "$D" --uai $UAI --class 'CP A' --period 1 -o "$E/t1.csv" >/dev/null 2>&1
  els=$(grep '^Élément du programme;Langage oral (FRA-LGO);[0-9]' "$E/t1.csv" | cut -d';' -f3,4 | tr -d '\r' | tr '\n' '|')
  if [ "$els" = '1;Dire pour être entendu et compris|2;Raconter une histoire entendue en classe|' ]; then
    pass "lsu template shows the two éléments of Langage oral, in the order chosen"
  else fail "lsu template's éléments of FRA-LGO: $els"; fi
  par=$(grep '^Projet de parcours;' "$E/t1.csv" | grep -c 'Sortie au musée des beaux-arts\|Élections des délégués de classe\|Semaine du goût')
  [ "$par" = 3 ] && pass "lsu template shows the three parcours entered" || fail "lsu template parcours: $par of 3"
  n=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE classe = 'CP A' AND bkey = 'P:2024:1/3' AND replaced_at IS NULL AND xml LIKE '%libelle=\"Raconter une histoire entendue en classe\"/></sous-domaine>%'")
  [ "$n" -ge 1 ] && pass "the pupil's bilan of CP A holds the two éléments, the typed one last" || fail "no bilan holds the éléments in that order"
fi

kill -TERM "$pid"
wait "$pid"
