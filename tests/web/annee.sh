#!/usr/bin/env bash
# A school's whole LSU year in lsu serve, from a bare data folder: only the
# two accounts the académie makes (lsu users), nothing else set from the
# command line.  tests/web/annee.mjs drives chromium through it (identity,
# sync, periods, import mode, import and its report, a teacher's collective
# and individual entry, the lock, the school's edition, Historique); then
# the store is read back with the commands, which must say what the browser
# did, and the browser's zip must be `lsu edit --uai --by school`'s, byte
# for byte.  PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/annee.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web annee $*"; }
fail() { echo "FAIL web annee $*"; }
UAI=0290347V
Y=$W/annee
D=$Y/data F=$Y/files
rm -rf "$Y"
mkdir -p "$D" "$F"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

# the tracking software's export (CP A and CE1 A, 3 pupils each, trimestres)
# and the ONDE extraction of the same pupils: the school's two files
"$LSU_GEN" --classes 2 --pupils 3 --periods 3 --seed 7 --uai $UAI -o "$F/ecole.xml" || { fail "lsu-gen"; exit 0; }
bash "$here/../store/onde-from-export.sh" "$F/ecole.xml" >"$F/CSVExtraction.csv"
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login kerbrat --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login morvan --role enseignant --uai $UAI --class 'CE1 A' 2>/dev/null
if [ -e "$D/$UAI.sqlite" ]; then fail "the accounts made a school store"; else pass "the year starts with no school store"; fi

"$LSU" serve --data "$D" --listen 127.0.0.1:0 -j 1 >"$Y/port" 2>"$Y/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$Y/port" ] && break; sleep 0.1; done
port=$(head -1 "$Y/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$Y/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port

# ---- curl: the identity screen's refusals (the rest is the browser's) ----
code() { curl -s -m 30 -o "$Y/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$Y/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$Y/body" | head -1 | sed 's/.*value="//;s/"$//'; }
JD=$Y/jar.dir JE=$Y/jar.ens
code -c "$JD" -d 'login=kerbrat&motdepasse=motdepasse-dir' "$B/connexion" >/dev/null
code -c "$JE" -d 'login=morvan&motdepasse=motdepasse-ens' "$B/connexion" >/dev/null
expect "the director's Identité de l'école" 200 "Nom du directeur" -b "$JD" "$B/ecole/$UAI/parametrage/ecole"
cd_=$(csrf_of)
code -b "$JE" "$B/ecole/$UAI" >/dev/null
ce=$(csrf_of)
expect "a teacher gets 403 on Identité de l'école" 403 "Accès refusé" -b "$JE" "$B/ecole/$UAI/parametrage/ecole"
expect "and on its POST" 403 "Accès refusé" -b "$JE" -d "csrf=$ce&nom=X" "$B/ecole/$UAI/parametrage/ecole"
expect "the POST without CSRF" 403 "Formulaire expiré" -b "$JD" -d "nom=X" "$B/ecole/$UAI/parametrage/ecole"
expect "a code postal of 4 digits is refused, the typed values kept" 400 'value="2900"' -b "$JD" -d "csrf=$cd_&nom=%C3%89cole&code_postal=2900" "$B/ecole/$UAI/parametrage/ecole"
grep -q 'Identité refusée' "$Y/body" && pass "the refusal says « Identité refusée »" || fail "no « Identité refusée »"
expect "a directeur without his prénom is refused" 400 "la civilité, le nom et le prénom" -b "$JD" -d "csrf=$cd_&civilite=MME&directeur_nom=KERBRAT" "$B/ecole/$UAI/parametrage/ecole"
expect "a directeur's nom not in capitals is refused" 400 "Identité refusée" -b "$JD" -d "csrf=$cd_&civilite=MME&directeur_nom=Kerbrat&directeur_prenom=Anne" "$B/ecole/$UAI/parametrage/ecole"
if "$LSU" school --data "$D" --uai $UAI 2>/dev/null | grep -q 'Nom : *(non renseigné)'; then pass "the refusals wrote nothing (lsu school)"
else fail "a refused identity was written: $("$LSU" school --data "$D" --uai $UAI 2>&1 | tr '\n' '|')"; fi

# ---- the browser: the year ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web annee browser: node or /usr/bin/chromium absent"
elif ! [ -d "$here/node_modules/playwright-core" ] &&
  ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$Y/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$Y/npm.log" | tr '\n' ' ')"
else
  LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_WEB_FILES=$F timeout 300 node "$here/annee.mjs" || echo "FAIL web annee.mjs exited $?"

  # the store, read with the commands, says what the browser did
  id=$("$LSU" school --data "$D" --uai $UAI 2>&1)
  if grep -q 'Nom : *École élémentaire Jean Moulin' <<<"$id" && grep -q 'Code postal : *29000' <<<"$id" &&
    grep -q 'Directeur : *Mme KERBRAT Anne' <<<"$id"; then pass "lsu school: the identity typed in the browser"
  else fail "lsu school: $(tr '\n' '|' <<<"$id")"; fi
  modes=$("$LSU" import-mode --data "$D" --uai $UAI 2>&1)
  if grep -q 'CP A .*import logiciel' <<<"$modes" && grep -q 'CE1 A .*saisie manuelle' <<<"$modes"; then
    pass "lsu import-mode: CP A imported, CE1 A entered"
  else fail "lsu import-mode: $(tr '\n' '|' <<<"$modes")"; fi
  locked=$(sqlite3 "$D/$UAI.sqlite" "SELECT classe || ':' || count(*) FROM bilans WHERE replaced_at IS NULL AND locked_at IS NOT NULL GROUP BY classe ORDER BY classe")
  if [ "$(tr '\n' ' ' <<<"$locked")" = "CE1 A:3 CP A:9 " ]; then pass "the store: CP A's 9 imported bilans and CE1 A's 3 entered ones are locked"
  else fail "locked bilans: $(tr '\n' ' ' <<<"$locked")"; fi
  made=$(sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE classe = 'CE1 A' AND replaced_at IS NULL")
  if [ "$made" = 3 ]; then pass "the store: CE1 A's 3 bilans were born in the store (none imported)"
  else fail "CE1 A's bilans: $made"; fi
  hist=$("$LSU" history --data "$D" --uai $UAI --school 2>&1)
  ok=1
  for e in 'Synchronisation n° 1  par kerbrat — CSVExtraction.csv' 'Import n° 1  par kerbrat' 'par morvan' 'Verrouillage.*par kerbrat'; do
    grep -q -- "$e" <<<"$hist" || { ok=0; echo "  history lacks: $e"; }
  done
  if [ $ok = 1 ]; then pass "lsu history --school: the sync, the import, the teacher's entry and the lock, each by its author"
  else fail "lsu history --school: $(head -c 1500 <<<"$hist" | tr '\n' '|')"; fi
  # the browser's zip is lsu edit's
  "$LSU" edit --uai $UAI --data "$D" --by school -o "$Y/ref" 2>/dev/null
  ref=$(ls "$Y/ref/$UAI/"*.zip 2>/dev/null | head -1)
  if [ -s "$F/ecole.zip" ] && [ -n "$ref" ]; then
    same=1 n=0
    for f in $(unzip -Z1 "$ref"); do
      n=$((n + 1))
      unzip -p "$ref" "$f" | cmp -s - <(unzip -p "$F/ecole.zip" "$f") || { same=0; echo "  differs: $f"; }
    done
    if [ $same = 1 ] && [ "$(unzip -Z1 "$ref" | sort)" = "$(unzip -Z1 "$F/ecole.zip" | sort)" ] &&
      [ "$(unzip -Z1 "$ref" | grep -c '\.pdf$')" -ge 6 ]; then
      pass "the year's zip from the browser holds lsu edit --uai --by school's $n files, byte for byte"
    else fail "the browser's zip differs from lsu edit --uai --by school's"; fi
    # a CE1 A pupil's PDF holds what the teacher typed, with the school's head
    pdf=$(unzip -Z1 "$F/ecole.zip" | grep 'CE1' | grep '\.pdf$' | head -1)
    txt=$(unzip -p "$F/ecole.zip" "$pdf" | pdftotext -layout - - 2>/dev/null | tr -s ' \n' ' ')
    if grep -q 'Jean Moulin' <<<"$txt" && grep -q 'Quimper' <<<"$txt" && grep -q 'Lire à voix haute un texte court' <<<"$txt" &&
      grep -q 'Un trimestre de progrès réguliers' <<<"$txt"; then
      pass "a CE1 A pupil's PDF has the school's name and commune, the élément and the appréciation typed"
    else fail "the CE1 A PDF ($pdf): $(head -c 600 <<<"$txt")"; fi
  else fail "the browser downloaded no zip (or lsu edit wrote none)"; fi
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
