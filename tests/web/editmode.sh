#!/usr/bin/env bash
# The edit mode and the drafts of lsu serve's entry screens (drafts.c):
# the saisie collective des acquis, des éléments du programme and the
# pupil's bilan open in read mode (no field, « Modifier »), ?modifier=1
# shows the form with « Enregistrer » and « Annuler »; POST
# /ecole/UAI/brouillon keeps a user's draft (CSRF, his school only), the
# screen in edit mode restores it with its banner and its state token (a
# stale one gets the 409), « Abandonner le brouillon » and a save remove
# it, another user never sees it, a locked bilan has no « Modifier ».  Its
# own data folder and server; curl first, then tests/web/editmode.mjs
# (without and with JavaScript).  PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/editmode.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web editmode: $*"; }
fail() { echo "FAIL web editmode: $*"; }
UAI=0290347V
M=$W/editmode D=$W/editmode/data
rm -rf "$M"
mkdir -p "$D"
command -v lsu_run >/dev/null || lsu_run() { "$LSU" "$@"; }
export -f lsu_run

# ---- the school: CP A and CE1 A imported, CE1 A locked, the directeur named ----
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
"$LSU" school --data "$D" --uai $UAI --directeur "MME MARTIN Valérie" >/dev/null
"$LSU" import --data "$D" -q "$D/ecole.xml" >/dev/null 2>&1
"$LSU" lock --data "$D" --uai $UAI --class 'CE1 A' >/dev/null
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
printf 'motdepasse-ens2\n' | "$LSU" users --data "$D" add --login ens2 --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
ine=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CP A' AND replaced_at IS NULL LIMIT 1")
locked=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CE1 A' AND replaced_at IS NULL LIMIT 1")
drafts() { sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM drafts WHERE login = '$1'"; }

"$LSU" serve --data "$D" --listen 127.0.0.1:0 >"$M/port" 2>"$M/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$M/port" ] && break; sleep 0.1; done
port=$(head -1 "$M/port")
if [ -z "$port" ]; then fail "lsu serve did not start: $(cat "$M/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

code() { curl -s -o "$M/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...: the status and a text of the body
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$M/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" "$M/body" | head -1 | sed 's/.*value="//;s/"$//'; }
has() { grep -q -- "$1" "$M/body"; }
J=$M/jar J2=$M/jar2 JD=$M/jar-dir
code -c "$J" -d 'login=ens&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
code -c "$J2" -d 'login=ens2&motdepasse=motdepasse-ens2' "$B/connexion" >/dev/null
code -c "$JD" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null
P='P:2024:1/3' PE='P%3A2024%3A1%2F3'
BIL="/ecole/$UAI/bilans/CP%20A/eleve/$ine?periode=$PE" # the bilan's screen, as the server names it
GRID="/ecole/$UAI/saisie/CP%20A?periode=1&domaine=FRA-LGO"
ELS="/ecole/$UAI/elements/CP%20A?periode=1&domaine=FRA-LGO"

# ---- read mode, then « Modifier » ----
for s in "bilan;$BIL;<textarea\|<select name=\"pos-" "grid;$GRID;type=\"radio\"\|name=\"o-" "éléments;$ELS;<textarea"; do
  IFS=';' read -r what url field_re <<<"$s"
  expect "the $what in read mode" 200 "id=\"modifier\"" -b "$J" "$B$url"
  if grep -q "$field_re" "$M/body" || grep -q 'data-brouillon' "$M/body"; then fail "the $what's read mode has a field"
  else pass "the $what's read mode has no field"; fi
  expect "the $what in edit mode" 200 'id="annuler"' -b "$J" "$B$url&modifier=1"
  if grep -q "$field_re" "$M/body" && grep -q "data-brouillon=\"/ecole/$UAI/brouillon\"" "$M/body" &&
    grep -q '<svg class="icone"' "$M/body" && ! grep -q 'id="modifier"' "$M/body"; then
    pass "the $what's edit mode: its fields, the draft's address, Enregistrer with its icon"
  else fail "the $what's edit mode lacks its fields, the draft's address or the icon"; fi
done
expect "a locked bilan (director)" 200 "Bilan verrouillé le" -b "$JD" "$B/ecole/$UAI/bilans/CE1%20A/eleve/$locked?periode=$PE"
if has 'id="modifier"'; then fail "a locked bilan offers « Modifier »"; else pass "a locked bilan has no « Modifier »"; fi
expect "a locked bilan with ?modifier=1" 200 "Bilan verrouillé le" -b "$JD" "$B/ecole/$UAI/bilans/CE1%20A/eleve/$locked?periode=$PE&modifier=1"
if has '<textarea' || has 'data-brouillon'; then fail "a locked bilan has a field with ?modifier=1"
else pass "a locked bilan stays without a field with ?modifier=1"; fi
expect "a teacher's other class, ?modifier=1" 403 "pas l'une des vôtres" -b "$J" "$B/ecole/$UAI/saisie/CE1%20A?periode=1&modifier=1"

# ---- POST /ecole/UAI/brouillon ----
code -b "$J" "$B$BIL&modifier=1" >/dev/null
csrf=$(field csrf) etat=$(field etat)
draft() { # draft CODE WHAT JAR fields...: a POST to /brouillon
  local want=$1 what=$2 jar=$3
  shift 3
  local args=()
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  expect "$what" "$want" "" -b "$jar" "${args[@]}" "$B/ecole/$UAI/brouillon"
}
draft 403 "a draft without the CSRF token" "$J" "ecran=$BIL" "etat=$etat" "generale=Sans jeton"
draft 400 "a draft of another school's screen" "$J" "csrf=$csrf" "ecran=/ecole/0290348W/saisie/CM2" "etat=$etat" "generale=x"
draft 400 "a draft without its state token" "$J" "csrf=$csrf" "ecran=$BIL" "generale=x"
expect "a draft of another school (no grant)" 403 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "ecran=/ecole/0290348W/x" \
  --data-urlencode "etat=$etat" "$B/ecole/0290348W/brouillon"
[ "$(drafts ens)" = 0 ] && pass "the refused drafts kept nothing" || fail "a refused draft was kept: $(drafts ens)"
draft 204 "the teacher's draft of the bilan" "$J" "csrf=$csrf" "ecran=$BIL" "etat=$etat" "periode=$P" "generale=Brouillon tapé par curl" "pos-FRA-LGO=2"
[ "$(drafts ens)" = 1 ] && pass "serveur.sqlite holds the draft" || fail "drafts of ens: $(drafts ens)"
if sqlite3 "$D/serveur.sqlite" "SELECT fields FROM drafts WHERE login = 'ens'" | grep -q 'csrf'; then fail "the draft keeps the CSRF token"
else pass "the draft does not keep the CSRF token"; fi
expect "the bilan in read mode, a draft kept" 200 'id="modifier"' -b "$J" "$B$BIL"
if has 'Brouillon tapé par curl' || has 'id="brouillon"'; then fail "the read mode shows the draft"; else pass "the read mode shows what is saved, not the draft"; fi
expect "the bilan in edit mode restores the draft" 200 "<div class=\"encadre\" id=\"brouillon\"><p class=\"info\" role=\"status\">Un brouillon non enregistré du [0-3][0-9]/[01][0-9]/20[0-9][0-9] à [0-2][0-9]:[0-5][0-9] a été restauré." -b "$J" "$B$BIL&modifier=1"
if has '>Brouillon tapé par curl</textarea>' && grep -q '<option value="2" selected' "$M/body" && [ "$(field etat)" = "$etat" ] &&
  has 'Abandonner le brouillon'; then pass "the draft's text, positionnement and state token are in the form, with « Abandonner le brouillon »"
else fail "the restored form lacks the draft's values, its state token or « Abandonner »"; fi
expect "another teacher of the class, edit mode" 200 'id="annuler"' -b "$J2" "$B$BIL&modifier=1"
if has 'Brouillon tapé par curl' || has 'id="brouillon"'; then fail "another user sees the draft"; else pass "another user never sees the draft"; fi
# the director saves the bilan meanwhile: the draft's state token is stale
code -b "$JD" "$B$BIL&modifier=1" >/dev/null
dcsrf=$(field csrf) detat=$(field etat)
expect "the director saves the bilan meanwhile" 303 "" -b "$JD" --data-urlencode "csrf=$dcsrf" --data-urlencode "etat=$detat" \
  --data-urlencode "periode=$P" --data-urlencode "generale=Le directeur a écrit ceci." "$B$BIL"
code -b "$J" "$B$BIL&modifier=1" >/dev/null
retat=$(field etat)
[ "$retat" = "$etat" ] && pass "the restored draft carries the state token it was typed over" || fail "the restored form's state: $retat"
expect "saving the stale draft gets the 409, naming who changed it" 409 "Une autre saisie a été faite dans la classe CP A pour la période Trimestre 1 par dir" \
  -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$retat" --data-urlencode "periode=$P" \
  --data-urlencode "generale=Brouillon tapé par curl" --data-urlencode "pos-FRA-LGO=2" "$B/ecole/$UAI/bilans/CP%20A/eleve/$ine"
has '>Brouillon tapé par curl</textarea>' && pass "the 409 shows the typed values again" || fail "the 409 lost the typed text"
if sqlite3 "$D/$UAI.sqlite" "SELECT xml FROM bilans WHERE ine = '$ine' AND bkey = '$P' AND replaced_at IS NULL" | grep -q 'Brouillon tapé'; then
  fail "the stale draft was written"
else pass "the stale draft wrote nothing"; fi
[ "$(drafts ens)" = 1 ] && pass "a refused save keeps the draft" || fail "drafts after the 409: $(drafts ens)"
netat=$(field etat)
expect "saving again from the 409's page" 303 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$netat" \
  --data-urlencode "periode=$P" --data-urlencode "generale=Brouillon tapé par curl" "$B/ecole/$UAI/bilans/CP%20A/eleve/$ine"
[ "$(drafts ens)" = 0 ] && pass "a successful save removes the draft" || fail "drafts after the save: $(drafts ens)"

# the grid and the éléments: a draft restored, then abandoned
code -b "$J" "$B$GRID&modifier=1" >/dev/null
getat=$(field etat)
p1=$(grep -o 'name="p-[0-9A-Z]*"' "$M/body" | head -1 | sed 's/name="p-//;s/"$//')
draft 204 "the teacher's draft of the grid" "$J" "csrf=$csrf" "ecran=$GRID" "etat=$getat" "periode=1" "domaine=FRA-LGO" "o-$p1=$(field "o-$p1")" "p-$p1=NE"
expect "the grid in edit mode restores the draft" 200 "a été restauré" -b "$J" "$B$GRID&modifier=1"
grep -q "name=\"p-$p1\" value=\"NE\" id=\"p-$p1-5\" checked" "$M/body" && has 'Votre choix : Non évalué' &&
  pass "the grid shows the draft's choice as the user's" || fail "the grid lacks the draft's choice"
expect "« Abandonner le brouillon » (the grid)" 303 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "ecran=$GRID" \
  --data-urlencode "abandonner=1" "$B/ecole/$UAI/brouillon"
expect "after « Abandonner », the grid in edit mode" 200 'id="annuler"' -b "$J" "$B$GRID&modifier=1"
if has 'a été restauré' || grep -q "name=\"p-$p1\" value=\"NE\" id=\"p-$p1-5\" checked" "$M/body"; then fail "the abandoned draft is still shown"
else pass "the abandoned draft is gone from the grid"; fi
code -b "$J" "$B$ELS&modifier=1" >/dev/null
eetat=$(field etat)
draft 204 "the teacher's draft of the éléments" "$J" "csrf=$csrf" "ecran=$ELS" "etat=$eetat" "n=0" "nouveau=Un élément en brouillon"
expect "the éléments in edit mode restore the draft" 200 "a été restauré" -b "$J" "$B$ELS&modifier=1"
has '>Un élément en brouillon</textarea>' && pass "the éléments show the draft's new élément" || fail "the éléments lack the draft's text"
expect "saving the éléments" 303 "" -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$(field etat)" --data-urlencode n=0 \
  --data-urlencode "nouveau=Un élément en brouillon" --data-urlencode action=enregistrer "$B$ELS"
[ "$(drafts ens)" = 0 ] && pass "the éléments' save removes their draft" || fail "drafts after the éléments' save: $(drafts ens)"
# a draft goes with its user
draft 204 "ens2's draft" "$J2" "csrf=$(code -b "$J2" "$B$ELS&modifier=1" >/dev/null; field csrf)" "ecran=$ELS" "etat=$eetat" "nouveau=x"
"$LSU" users --data "$D" remove --login ens2 >/dev/null 2>&1
[ "$(drafts ens2)" = 0 ] && pass "lsu users remove takes the user's drafts" || fail "drafts of a removed user: $(drafts ens2)"

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web editmode browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$M/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$M/npm.log" | tr '\n' ' ')"
else
  printf 'motdepasse-ens3\n' | "$LSU" users --data "$D" add --login ens3 --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_INE=$ine LSU_LOCKED=$locked timeout 240 node "$here/editmode.mjs" ||
    echo "FAIL web editmode.mjs exited $?"
fi

kill -TERM "$pid"
wait "$pid"
