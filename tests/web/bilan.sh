#!/usr/bin/env bash
# The pupil's bilan in lsu serve (src/serve/screens_bilan.c): its own school
# (tests/store/school.sh, imported, one pupil added to CP A by ONDE without a
# bilan), its own server and accounts; curl on the page and its saisie
# individuelle (CSRF, another class, a text over its limit, no directeur, a
# stale state token, a locked bilan: each refused and nothing written), the
# browser scenario tests/web/bilan.mjs, then the PDF of the pupil (lsu lock
# and lsu edit --uai from the shell, and the server's Éditer) holding what the
# browser typed.  Prints PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/bilan.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web bilan: $*"; }
fail() { echo "FAIL web bilan: $*"; }
UAI=0290347V
W=$W/bilan
D=$W/data
mkdir -p "$D"
command -v lsu_run >/dev/null || lsu_run() { "$LSU" "$@"; }
export -f lsu_run
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
"$LSU" import --data "$D" "$D/ecole.xml" >/dev/null 2>&1
# a pupil of CP A in ONDE without a bilan: the first entry makes his, which
# needs the school's directeur
{ cat "$D/onde.csv"; grep ';CP A;' "$D/onde.csv" | sed 's/^[^;]*;;[^;]*;/AARON;;Zoé;/; s/;[0-9A-Z]\{11\};/;1234567890B;/'; } >"$D/onde2.csv"
"$LSU" sync --data "$D" --uai $UAI "$D/onde2.csv" >/dev/null 2>&1
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
ine=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CP A' AND replaced_at IS NULL LIMIT 1")
other=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CE1 A' AND replaced_at IS NULL LIMIT 1")
versions() { sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE ine = '$ine'"; }

"$LSU" serve --data "$D" --listen 127.0.0.1:0 >"$W/port" 2>"$W/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
port=$(head -1 "$W/port")
if [ -z "$port" ]; then fail "lsu serve did not start: $(cat "$W/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port
P='P:2024:1/3'
U="$B/ecole/$UAI/bilans/CP%20A/eleve/$ine"

code() { curl -s -o "$W/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...: the status and a text of the body
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$W/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
field() { grep -o "name=\"$1\" value=\"[0-9a-f]*\"" "$W/body" | head -1 | sed 's/.*value="//;s/"$//'; }
J=$W/jar JD=$W/jar-dir
code -c "$J" -d 'login=ens&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
code -c "$JD" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null

expect "the class list links the pupil's name to his bilan" 200 "href=\"/ecole/$UAI/bilans/CP%20A/eleve/$ine?periode=$P\"" -b "$J" "$B/ecole/$UAI/bilans/CP%20A"
expect "the pupil's bilan" 200 "Consultation du bilan de l'élève" -b "$J" "$U?periode=$P"
if grep -q 'id="recto"' "$W/body" && grep -q 'id="verso"' "$W/body" && grep -q 'Suivi des acquis scolaires' "$W/body" &&
  grep -q 'Appréciation générale sur la progression' "$W/body" && grep -q 'Parcours éducatifs' "$W/body" &&
  grep -q 'Bilan précédent' "$W/body" && grep -q "pdf/$ine?periode=$P" "$W/body"; then
  pass "the page has the recto, the verso, « Bilan précédent » (AARON Zoé) and Éditer"
else fail "the page lacks the recto, the verso, the navigation or Éditer"; fi
if ! grep -q '<textarea' "$W/body" && ! grep -q '<select name="pos-' "$W/body" &&
  grep -q "id=\"modifier\" href=\"/ecole/$UAI/bilans/CP%20A/eleve/$ine?periode=P%3A2024%3A1%2F3&amp;modifier=1\"" "$W/body"; then
  pass "the bilan opens in read mode: no field, « Modifier »"
else fail "the read mode has a field or no « Modifier »"; fi
expect "the pupil's bilan in edit mode" 200 "Annuler" -b "$J" "$U?periode=$P&modifier=1"
csrf=$(field csrf) etat=$(field etat)
expect "another class's pupil (teacher)" 403 "pas l'une des vôtres" -b "$J" "$B/ecole/$UAI/bilans/CE1%20A/eleve/$other?periode=$P"
expect "another class's pupil (director)" 200 "Consultation du bilan" -b "$JD" "$B/ecole/$UAI/bilans/CE1%20A/eleve/$other?periode=$P"
expect "a period outside the class's periodicity" 404 "Période introuvable" -b "$J" "$U?periode=P:2024:1/2"
v0=$(versions)
post() { # post CODE TEXT WHAT fields...: a POST of the entry form
  local want=$1 text=$2 what=$3
  shift 3
  local args=()
  for f in "$@"; do args+=(--data-urlencode "$f"); done
  expect "$what" "$want" "$text" -b "$J" "${args[@]}" "$U"
}
post 403 "Formulaire expiré" "the entry without CSRF" "etat=$etat" "periode=$P" "generale=Sans jeton"
expect "the entry into another class's pupil" 403 "pas l'une des vôtres" -b "$J" --data-urlencode "csrf=$csrf" \
  --data-urlencode "etat=$etat" --data-urlencode "periode=$P" --data-urlencode "generale=Ailleurs" \
  "$B/ecole/$UAI/bilans/CE1%20A/eleve/$other"
post 400 "Formulaire incomplet" "the entry without its state token" "csrf=$csrf" "periode=$P" "generale=Sans état"
post 409 "Le directeur de l'école n'est pas renseigné" "the entry that makes AARON's bilan without a directeur" "csrf=$csrf" "etat=$etat" "periode=$P" "generale=Premier essai"
if grep -q "À faire par le directeur de l'école : écran « Identité de l'école »" "$W/body"; then
  pass "the refusal names the director's screen « Identité de l'école »"
else fail "the refusal without a directeur names no screen: $(grep -o 'À faire.\{0,120\}' "$W/body" | head -1)"; fi
"$LSU" school --data "$D" --uai $UAI --directeur "MME DURAND Sophie" >/dev/null 2>&1
long=$(printf 'é%.0s' $(seq 1501))
post 422 "1501 caractères pour 1500 au plus" "an appréciation générale of 1 501 code points" "csrf=$csrf" "etat=$etat" "periode=$P" "generale=$long"
if grep -q 'ééééééééé' "$W/body"; then pass "the refused text is shown again"; else fail "the refused text is not shown again"; fi
post 422 "Positionnement de Langage oral : positionnement 5" "a positionnement 5" "csrf=$csrf" "etat=$etat" "periode=$P" "pos-FRA-LGO=5"
[ "$(versions)" = "$v0" ] && pass "nothing written by the refused entries" || fail "a refused entry wrote a version"
headers=$(curl -s -D - -o /dev/null -b "$J" --data-urlencode "csrf=$csrf" --data-urlencode "etat=$etat" --data-urlencode "periode=$P" \
  --data-urlencode "generale=Appréciation saisie par curl." --data-urlencode "pos-FRA-LGO=4" "$U")
loc=$(sed -n 's/^Location: \(.*\)\r$/\1/Ip' <<<"$headers")
if grep -q '^HTTP/1.1 303' <<<"$headers" && [ "$loc" = "/ecole/$UAI/bilans/CP%20A/eleve/$ine?periode=P%3A2024%3A1%2F3&enregistre=1" ]; then
  pass "the entry is applied: 303 back to the bilan"
else fail "the entry: $(head -1 <<<"$headers") Location $loc"; fi
expect "the bilan after the entry says « Enregistré »" 200 "Enregistré." -b "$J" "$B$loc"
grep -q '4 – Dépassés' "$W/body" && pass "the read mode shows the positionnement saved" || fail "the read mode lacks the positionnement saved"
expect "the bilan after the entry in edit mode" 200 "Enregistré." -b "$J" "$B$loc&modifier=1"
if grep -q 'Appréciation saisie par curl.' "$W/body" && grep -q '<option value="4" selected>' "$W/body"; then
  pass "the page shows the appréciation and the positionnement saved"
else fail "the page does not show what was saved"; fi
hist=$("$LSU" history --data "$D" --uai $UAI --pupil "$ine")
if grep -q 'saisie n° 1 (ens)' <<<"$hist" && grep -q 'Langage oral : [0-9] → 4' <<<"$hist"; then pass "lsu history shows the entry by ens"
else fail "lsu history: $hist"; fi
v1=$(versions)
post 409 "Une autre saisie a été faite dans la classe CP A pour la période Trimestre 1 par ens le" "the entry with a stale state token" \
  "csrf=$csrf" "etat=$etat" "periode=$P" "generale=Texte tapé entre-temps"
if grep -q 'Texte tapé entre-temps' "$W/body" && [ "$(versions)" = "$v1" ]; then pass "the stale entry is shown again and nothing written"
else fail "the stale entry: text not shown again or a version written"; fi

# ---- the browser: a teacher writes, saves, reloads ----
text="Mamadou a fait de beaux progrès en lecture ce trimestre ; il doit poursuivre ses efforts."
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web bilan: browser (node or /usr/bin/chromium absent)"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$W/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$W/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_BILAN_INE=$ine LSU_BILAN_TEXT=$text timeout 120 node "$here/bilan.mjs" ||
    echo "FAIL web bilan.mjs exited $?"
fi

# ---- the test print of the unlocked bilan (« Impression d'essai ») ----
expect "Éditer an unlocked bilan without ?essai=1" 409 "impression d'essai" -b "$J" "$B/ecole/$UAI/bilans/CP%20A/pdf/$ine?periode=$P"
expect "the page offers the test print of the unlocked bilan" 200 "Impression d'essai" -b "$J" "$U?periode=$P"
got=$(code -b "$J" "$B/ecole/$UAI/bilans/CP%20A/pdf/$ine?periode=$P&essai=1")
if [ "$got" = 200 ] && qpdf --qdf --object-streams=disable "$W/body" "$W/essai.pdf" 2>/dev/null &&
  [ "$(grep -a -c 'DOCUMENT DE TRAVAIL' "$W/essai.pdf")" -ge 2 ]; then
  pass "the test print of an unlocked bilan: a PDF with « DOCUMENT DE TRAVAIL » on its pages"
else fail "the test print: $got"; fi
got=$(code -b "$J" "$B/ecole/$UAI/bilans/CP%20A/zip?essai=1")
if [ "$got" = 200 ] && unzip -Z1 "$W/body" 2>/dev/null | grep -q "_${ine}_T1.pdf"; then
  pass "the class's test print: a zip holding the unlocked bilans"
else fail "the class's test print zip: $got"; fi

# ---- the PDF of the pupil holds the new text ----
"$LSU" lock --data "$D" --uai $UAI --pupil "$ine" >/dev/null 2>&1
"$LSU" edit --data "$D" --uai $UAI --pupil "$ine" -o "$W/edit" >/dev/null 2>&1
ref=$(unzip -Z1 "$W/edit/$UAI/"*.zip 2>/dev/null | grep "_${ine}_T1.pdf")
got=$(code -b "$J" "$B/ecole/$UAI/bilans/CP%20A/pdf/$ine?periode=$P")
if command -v pdftotext >/dev/null; then
  unzip -p "$W/edit/$UAI/"*.zip "$ref" >"$W/edit.pdf" 2>/dev/null
  if pdftotext "$W/edit.pdf" - 2>/dev/null | tr -s ' \n' '  ' | grep -qF "$text"; then pass "lsu edit --uai: the PDF holds the appréciation générale typed in the browser"
  else fail "lsu edit --uai: the PDF ($ref) lacks the text typed in the browser"; fi
  if [ "$got" = 200 ] && pdftotext "$W/body" - 2>/dev/null | tr -s ' \n' '  ' | grep -qF "$text"; then pass "Éditer: the PDF holds it too"
  else fail "Éditer: $got, or the PDF lacks the text"; fi
else
  echo "SKIP web bilan: pdftotext absent (poppler-utils), the stored XML compared instead"
  "$LSU" export --data "$D" --uai $UAI --class 'CP A' -o "$W/export" >/dev/null 2>&1
  if grep -rqF "$text" "$W/export"; then pass "lsu export holds the appréciation générale typed in the browser"
  else fail "lsu export lacks the text typed in the browser"; fi
fi

# ---- a locked bilan is read-only, its entry refused ----
expect "the locked bilan" 200 "Bilan verrouillé le" -b "$J" "$U?periode=$P"
if ! grep -q '<textarea' "$W/body" && ! grep -q '<select name="pos-' "$W/body"; then pass "the locked bilan has no field"
else fail "the locked bilan still has fields"; fi
expect "the locked bilan, ?modifier=1" 200 "Bilan verrouillé le" -b "$J" "$U?periode=$P&modifier=1"
if ! grep -q '<textarea' "$W/body" && ! grep -q 'id="modifier"' "$W/body"; then pass "the locked bilan has no « Modifier » and no field, even with ?modifier=1"
else fail "the locked bilan offers « Modifier » or a field"; fi
etat=$(curl -s -b "$J" "$B/ecole/$UAI/bilans/CP%20A/eleve/1234567890B?periode=$P&modifier=1" | grep -o 'name="etat" value="[0-9a-f]*"' | sed 's/.*value="//;s/"$//')
v2=$(versions)
post 409 "Bilan verrouillé : il ne se modifie plus" "the entry into a locked bilan" "csrf=$csrf" "etat=$etat" "periode=$P" "generale=Après le verrou"
[ "$(versions)" = "$v2" ] && pass "nothing written into the locked bilan" || fail "the locked bilan got a version"

kill -TERM "$pid"
wait "$pid"
