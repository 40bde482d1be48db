#!/usr/bin/env bash
# Éditer in the background (tests/web/editer.mjs): its own data folder (a
# generated school, imported and locked from the command line), its own
# `lsu serve`; curl on the routes of an edition (who may start what, who
# may download), then chromium: the director starts the school's edition,
# sees its progress page, downloads the zip, whose PDFs are those of
# `lsu edit --uai --by school`, byte for byte.  PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/editer.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web editer $*"; }
fail() { echo "FAIL web editer $*"; }
UAI=0290347V
E=$W/editer
D=$E/data
mkdir -p "$D" "$E/files"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
"$LSU" import --data "$D" --uai $UAI -q "$D/ecole.xml" >/dev/null 2>&1
"$LSU" lock --data "$D" --uai $UAI --school >/dev/null 2>&1
locked=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE replaced_at IS NULL AND locked_at IS NOT NULL")
[ "${locked:-0}" -gt 0 ] || { fail "setup: no bilan locked"; exit 0; }
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null

"$LSU" serve --data "$D" --listen 127.0.0.1:0 -j 1 >"$E/port" 2>"$E/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$E/port" ] && break; sleep 0.1; done
port=$(head -1 "$E/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$E/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port
code() { curl -s -m 30 -o "$E/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$E/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$E/body" | head -1 | sed 's/.*value="//;s/"$//'; }
JD=$E/jar.dir JE=$E/jar.ens
code -c "$JD" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null
code -c "$JE" -d 'login=ens&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
expect "GET /ecole/UAI/editer (director: the school, the levels, the classes)" 200 'value="niveau:CP"' -b "$JD" "$B/ecole/$UAI/editer"
cd_=$(csrf_of)
expect "GET /ecole/UAI/editer (teacher: his class only)" 200 'value="classe:CP A"' -b "$JE" "$B/ecole/$UAI/editer"
ce=$(csrf_of)
if grep -q "Toute l'école" "$E/body" || grep -q 'value="classe:CE1 A"' "$E/body"; then
  fail "the teacher is offered more than his class"
else pass "the teacher is offered his class only"; fi
expect "a teacher cannot edit the school" 403 "Édition refusée" -b "$JE" -d "csrf=$ce&portee=ecole&par=ecole" "$B/ecole/$UAI/editer"
expect "a teacher cannot edit another class" 403 "Édition refusée" -b "$JE" --data-urlencode "csrf=$ce" --data-urlencode "portee=classe:CE1 A" "$B/ecole/$UAI/editer"
expect "an edition without CSRF" 403 "Formulaire expiré" -b "$JD" -d "portee=ecole" "$B/ecole/$UAI/editer"
expect "an unknown level" 400 "Édition refusée" -b "$JD" -d "csrf=$cd_&portee=niveau:CM3" "$B/ecole/$UAI/editer"
# the teacher's own class, in the background: 303 to its page, which ends with a zip
got=$(curl -s -m 30 -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JE" --data-urlencode "csrf=$ce" \
  --data-urlencode "portee=classe:CP A" -d par=classe "$B/ecole/$UAI/editer")
url=${got#* }
if [[ $got == "303 $B/ecole/$UAI/editions/"* ]]; then pass "POST editer answers 303 to the edition's page"
else fail "POST editer: $got"; fi
for _ in $(seq 100); do code -b "$JE" "$url" >/dev/null; grep -q 'Télécharger' "$E/body" && break; sleep 0.2; done
zip=$(grep -o "href=\"/ecole/$UAI/editions/[0-9]*/[^\"]*\.zip\"" "$E/body" | head -1 | sed 's/^href="//;s/"$//')
if [ -n "$zip" ] && grep -q '[0-9]* / [0-9]* bilans' "$E/body"; then pass "the teacher's edition ends with its progress line and a zip link"
else fail "the teacher's edition page: $(sed 's/<[^>]*>/ /g' "$E/body" | tr -s ' \n' ' ' | head -c 400)"; fi
expect "the teacher downloads his zip" 200 "" -b "$JE" "$B$zip"
"$LSU" edit --uai $UAI --data "$D" --class 'CP A' -o "$E/ref-classe" 2>/dev/null
if cmp -s "$E/body" "$E/ref-classe/$UAI/"*.zip; then pass "the teacher's zip is lsu edit --uai --class's, byte for byte"
else fail "the teacher's zip differs from lsu edit --uai --class's"; fi
expect "the director cannot download the teacher's zip" 404 "Zip introuvable" -b "$JD" "$B$zip"
expect "nor see his edition" 404 "Édition introuvable" -b "$JD" "$url"
expect "an edition that does not exist" 404 "Édition introuvable" -b "$JD" "$B/ecole/$UAI/editions/999"
expect "a zip name that is not the edition's" 404 "" -b "$JE" "${B}${zip%/*}/autre.zip"

# ---- the browser ----
"$LSU" edit --uai $UAI --data "$D" --by school -o "$E/ref" 2>/dev/null
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web editer browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$E/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$E/npm.log" | tr '\n' ' ')"
else
  rm -f "$E/files/ecole.zip"
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_WEB_FILES=$E/files timeout 180 node "$here/editer.mjs" || echo "FAIL web editer.mjs exited $?"
  ref=$(ls "$E/ref/$UAI/"*.zip 2>/dev/null | head -1)
  if [ -s "$E/files/ecole.zip" ] && [ -n "$ref" ]; then
    same=1 n=0
    for f in $(unzip -Z1 "$ref"); do
      n=$((n + 1))
      unzip -p "$ref" "$f" | cmp -s - <(unzip -p "$E/files/ecole.zip" "$f") || { same=0; echo "  differs: $f"; }
    done
    if [ $same = 1 ] && [ "$(unzip -Z1 "$ref" | sort)" = "$(unzip -Z1 "$E/files/ecole.zip" | sort)" ] &&
      unzip -Z1 "$ref" | grep -q '\.pdf$'; then
      pass "the school's zip of the browser holds lsu edit --uai --by school's $n files, byte for byte"
    else fail "the school's zip of the browser differs from lsu edit --uai --by school's"; fi
  else fail "the browser downloaded no school zip"; fi
fi

# ---- the test print: CP A unlocked, the teacher asks for its « impression d'essai » ----
"$LSU" unlock --data "$D" --uai $UAI --class 'CP A' >/dev/null 2>&1
if grep -q 'name="essai"' <(curl -s -m 30 -b "$JE" "$B/ecole/$UAI/editer"); then pass "Éditer offers the « Impression d'essai »"
else fail "Éditer has no « Impression d'essai » box"; fi
got=$(curl -s -m 30 -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JE" --data-urlencode "csrf=$ce" \
  --data-urlencode "portee=classe:CP A" -d par=classe -d essai=1 "$B/ecole/$UAI/editer")
url=${got#* }
for _ in $(seq 100); do code -b "$JE" "$url" >/dev/null; grep -q 'Télécharger' "$E/body" && break; sleep 0.2; done
zip=$(grep -o "href=\"/ecole/$UAI/editions/[0-9]*/[^\"]*\.zip\"" "$E/body" | head -1 | sed 's/^href="//;s/"$//')
grep -q "impression d'essai" "$E/body" && has_what=1 || has_what=0
code -b "$JE" "$B$zip" >/dev/null
"$LSU" edit --uai $UAI --data "$D" --class 'CP A' --test-print -o "$E/ref-essai" 2>/dev/null
if [ -n "$zip" ] && [ $has_what = 1 ] && cmp -s "$E/body" "$E/ref-essai/$UAI/"*.zip; then
  pass "the test print of an unlocked class: lsu edit --uai --class --test-print's zip, byte for byte"
else fail "the test print's zip ($zip, named: $has_what) differs from lsu edit --test-print's"; fi

# ---- stop: an edition under way is interrupted, its unfinished files removed ----
curl -s -m 30 -o /dev/null -b "$JD" -d "csrf=$cd_&portee=ecole&par=classe" "$B/ecole/$UAI/editer"
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
# the done editions' zips stay (tests/web/survive.sh), nothing unfinished does
left=$(find "$D/televersements" \( -name '*.tmp' -o -name en-cours -o -name 'envoi-*' -o -name 'rapport-*' \) | head -3)
if [ -z "$left" ] && [ -n "$(find "$D/televersements" -path '*/fini/*' -name '*.zip')" ]; then
  pass "the stop leaves nothing unfinished in DATA/televersements, the done editions' zips stay"
else fail "left: $left"; fi
