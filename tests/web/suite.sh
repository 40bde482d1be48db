#!/usr/bin/env bash
# The web suite of tests/run.sh: a real `lsu serve` on 127.0.0.1:0 with a
# fresh data folder (a generated school, tests/store/school.sh), its
# accounts (lsu users), curl on every route, then the browser scenarios
# (tests/web/*.mjs: playwright-core driving Debian's chromium, never a
# downloaded browser), the pupil's PDF compared with `lsu edit --uai`'s,
# and the server's stop on SIGTERM.  Prints PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/suite.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web $*"; }
fail() { echo "FAIL web $*"; }
UAI=0290347V
D=$W/data F=$W/files
mkdir -p "$D" "$F"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

# ---- the school, its files, its accounts ----
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
cp "$D/ecole.xml" "$F/ecole.xml"
head -c 3000 "$D/ecole.xml" >"$F/casse.xml"
{ echo '<?xml version="1.0"?><!--'; head -c 300000 /dev/zero | tr '\0' 'x'; echo '--><a/>'; } >"$F/gros.xml"
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
printf 'motdepasse-multi\n' | "$LSU" users --data "$D" add --login multi --role directeur --uai $UAI 2>/dev/null
"$LSU" users --data "$D" add --login multi --role enseignant --uai 0290348W --class CM2 </dev/null 2>/dev/null
printf 'court\n' | "$LSU" users --data "$D" add --login bref --role directeur --uai $UAI 2>"$W/short.err"
rc=$?
if [ $rc = 64 ] && grep -q 'mot de passe trop court' "$W/short.err"; then pass "lsu users add refuses a short password (64)"
else fail "lsu users add short password: $rc $(cat "$W/short.err")"; fi
if [ "$("$LSU" users --data "$D" list | grep -v '^multi')" = "$(printf 'dir\t%s\tdirecteur\nens\t%s\tenseignant\tCP A' $UAI $UAI)" ]; then
  pass "lsu users list shows both accounts"
else fail "lsu users list: $("$LSU" users --data "$D" list | tr '\t\n' ' |')"; fi
if [ "$(stat -c %a "$D/serveur.sqlite")" = 600 ] && ! grep -qa 'motdepasse-dir' "$D/serveur.sqlite"; then
  pass "serveur.sqlite is 0600 and holds no password in clear"
else fail "serveur.sqlite mode or clear password"; fi

# ---- the server ----
"$LSU" serve --data "$D" --listen 127.0.0.1:0 --max-upload 256k >"$W/port" 2>"$W/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$W/port" ] && break; sleep 0.1; done
port=$(head -1 "$W/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$W/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
pass "lsu serve --listen 127.0.0.1:0 prints the port chosen"
B=http://127.0.0.1:$port

# ---- curl, route by route ----
code() { curl -s -o "$W/body" -w '%{http_code}' "$@"; }
expect() { # expect WHAT CODE TEXT curl-args...: the status and a text of the body
  local what=$1 want=$2 text=$3 got
  shift 3
  got=$(code "$@")
  if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -q -- "$text" "$W/body"; }; then pass "curl $what ($want)"
  else fail "curl $what: $got, expected $want${text:+ and « $text »}"; fi
}
J=$W/jar
expect "GET / without a session redirects to Connexion" 303 "" "$B/"
expect "GET /connexion" 200 'lang="fr"' "$B/connexion"
expect "GET /lsu.css" 200 "box-sizing" "$B/lsu.css"
expect "a school page without a session" 303 "" "$B/ecole/$UAI"
expect "POST /connexion with a wrong password" 401 "Identifiant ou mot de passe incorrect" -d 'login=dir&motdepasse=non' "$B/connexion"
expect "POST /connexion" 303 "" -c "$J" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion"
headers=$(curl -s -D - -o /dev/null -c "$J.2" -d 'login=dir&motdepasse=motdepasse-dir' "$B/connexion")
if grep -qi '^Set-Cookie: lsu_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' <<<"$headers" &&
  grep -qi "^Content-Security-Policy: default-src 'self'" <<<"$headers"; then
  pass "the session cookie is HttpOnly SameSite=Strict, the CSP default-src 'self'"
else fail "cookie or CSP headers: $(tr '\r\n' '  ' <<<"$headers")"; fi
expect "GET /ecole/UAI (Accueil)" 200 "$UAI" -b "$J" "$B/ecole/$UAI"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$W/body" | head -1 | sed 's/.*value="//;s/"$//')
expect "GET /ecole/UAI/import" 200 "Démarrage de l'import" -b "$J" "$B/ecole/$UAI/import"
expect "GET another school" 403 "Accès refusé" -b "$J" "$B/ecole/0123456A"
expect "GET /ecole/UAI/bilans" 200 "CE1 A" -b "$J" "$B/ecole/$UAI/bilans"
expect "GET /ecole/UAI/bilans/CLASSE before any import" 200 "Aucun bilan" -b "$J" "$B/ecole/$UAI/bilans/CP%20A"
expect "POST import without CSRF" 403 "Formulaire expiré" -b "$J" -F "fichier=@$F/ecole.xml" "$B/ecole/$UAI/import"
expect "POST import with a wrong CSRF" 403 "Formulaire expiré" -b "$J" -F csrf=0000 -F "fichier=@$F/ecole.xml" "$B/ecole/$UAI/import"
expect "POST import without a file" 400 "Aucun fichier" -b "$J" -F "csrf=$csrf" "$B/ecole/$UAI/import"
expect "POST import of an oversized file" 413 "Fichier trop volumineux" -b "$J" -F "csrf=$csrf" -F "fichier=@$F/gros.xml" "$B/ecole/$UAI/import"
expect "GET a report that does not exist" 404 "Rapport introuvable" -b "$J" "$B/ecole/$UAI/rapports/7"
expect "GET a path with .." 400 "" --path-as-is -b "$J" "$B/ecole/../etc"
expect "GET an unknown page" 404 "Page introuvable" -b "$J" "$B/ecole/$UAI/nulle-part"
expect "PUT is refused" 405 "" -X PUT -b "$J" "$B/ecole/$UAI"
expect "a malformed form body" 400 "Formulaire invalide" -b "$J" -d 'csrf=%zz' "$B/ecole/$UAI/bilans/CP%20A/verrou"
expect "the lock without CSRF" 403 "" -b "$J" -d 'action=verrouiller' "$B/ecole/$UAI/bilans/CP%20A/verrou"
expect "a period the class has no bilan of" 200 "" -b "$J" "$B/ecole/$UAI/bilans/CE1%20A?periode=P:1999:9/9"
expect "the class zip with nothing locked" 409 "Rien à éditer" -b "$J" "$B/ecole/$UAI/bilans/CP%20A/zip"
# a user of two schools chooses one (« changer d'établissement »)
expect "POST /connexion (two schools)" 303 "" -c "$J.m" -d 'login=multi&motdepasse=motdepasse-multi' "$B/connexion"
expect "GET / lists both schools" 200 "0290348W (enseignant)" -b "$J.m" "$B/"
expect "the other school's Accueil offers « changer d'établissement »" 200 "changer d'établissement" -b "$J.m" "$B/ecole/0290348W"
expect "the teacher's class of the other school, without data yet" 404 "Aucune donnée" -b "$J.m" "$B/ecole/0290348W/bilans/CM2"
expect "a class of the other school that is not his" 403 "pas l'une des vôtres" -b "$J.m" "$B/ecole/0290348W/bilans/CM1"
# five failures of one login: the sixth try is refused even with the right password
for _ in 1 2 3 4 5; do code -d 'login=ens&motdepasse=non' "$B/connexion" >/dev/null; done
expect "the login rate limit (6th try)" 429 "Trop d'essais" -d 'login=ens&motdepasse=motdepasse-ens' "$B/connexion"
sqlite3 "$D/serveur.sqlite" "DELETE FROM login_failures"

# ---- the browser ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ]; then
  echo "SKIP web browser: node or /usr/bin/chromium absent (tools/install-deps.sh installs them)"
elif ! (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$W/npm.log" 2>&1; then
  fail "npm ci in tests/web: $(tail -3 "$W/npm.log" | tr '\n' ' ')"
else
  # CE1 A's pupil, trimestre 2: his appréciation générale removed in the store
  # once the director has imported (for the « ? » of incomplet.mjs)
  for t in directeur incomplete enseignant; do
    if [ $t = incomplete ]; then
      sqlite3 "$D/$UAI.sqlite" "UPDATE bilans SET xml = substr(xml, 1, instr(xml, '<appreciation-generale>') - 1) || substr(xml, instr(xml, '</appreciation-generale>') + 24) WHERE classe = 'CE1 A' AND bkey = 'P:2024:2/3' AND replaced_at IS NULL"
      inc=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CE1 A' AND bkey = 'P:2024:2/3' AND replaced_at IS NULL")
      t=incomplet
    fi
    LSU_SERVE_URL=$B LSU_UAI=$UAI LSU_WEB_FILES=$F LSU_INCOMPLETE_INE=${inc:-} timeout 180 node "$here/$t.mjs" ||
      echo "FAIL web $t.mjs exited $?"
  done
  # the académie summary of lsu batch --schools, sorted and filtered in the
  # browser (the same schools as the golden case cmd-batch-liste-ecoles)
  A=$W/academie
  mkdir -p "$A/in" "$A/data" "$A/ecole"
  D=$A/ecole bash "$here/../store/school.sh" >/dev/null 2>&1
  cp "$A/ecole/ecole.xml" "$A/in/quimper.xml"
  "$LSU_GEN" --classes 1 --pupils 1 --periods 3 --seed 8 --uai 0330004A -o "$A/in/bordeaux.xml"
  "$LSU_GEN" --classes 1 --pupils 1 --periods 3 --seed 9 --uai 0690002C -o "$A/in/lyon.xml"
  cp "$A/ecole/$UAI.sqlite" "$A/data/"
  printf '\357\273\277UAI,Nom de l'\''école,Ville\r\n0290347v,École élémentaire Jules Ferry,Quimper\r\n0330004A,"École primaire Montesquieu, site 2",Bordeaux\r\n' >"$A/ecoles.csv"
  "$LSU" batch -j 1 --data "$A/data" --schools "$A/ecoles.csv" -o "$A/out" "$A/in" >/dev/null 2>&1
  LSU_ACADEMIE_HTML=$A/out/academie.html timeout 120 node "$here/academie.mjs" || echo "FAIL web academie.mjs exited $?"
  # the PDF the browser downloaded is `lsu edit --uai`'s
  if [ -s "$F/eleve.pdf" ]; then
    ine=$(cat "$F/eleve.ine")
    "$LSU" edit --uai $UAI --data "$D" --pupil "$ine" -o "$W/edit" 2>/dev/null
    ref=$(unzip -Z1 "$W/edit/$UAI/"*.zip | grep "_${ine}_T1.pdf")
    if unzip -p "$W/edit/$UAI/"*.zip "$ref" | cmp -s - "$F/eleve.pdf"; then pass "the PDF of Éditer is lsu edit --uai's, byte for byte"
    else fail "the PDF of Éditer differs from lsu edit --uai's ($ref)"; fi
  fi
  # the class zip (CP A locked by the director) holds what lsu edit --uai --class makes
  "$LSU" edit --uai $UAI --data "$D" --class 'CP A' -o "$W/edit-classe" 2>/dev/null
  got=$(code -b "$J" "$B/ecole/$UAI/bilans/CP%20A/zip")
  if [ "$got" = 200 ] && [ "$(unzip -Z1 "$W/body" | sort)" = "$(unzip -Z1 "$W/edit-classe/$UAI/"*.zip | sort)" ] &&
    unzip -p "$W/body" manifeste.json | cmp -s - <(unzip -p "$W/edit-classe/$UAI/"*.zip manifeste.json); then
    pass "the class zip is lsu edit --uai --class's (same files, same manifest)"
  else fail "the class zip: $got, $(unzip -Z1 "$W/body" 2>&1 | tr '\n' ' ')"; fi
  n=$(sqlite3 "$D/serveur.sqlite" "SELECT count(*) FROM audit WHERE login = 'dir' AND what LIKE 'import de ecole.xml%'")
  if [ "$n" -ge 1 ]; then pass "the audit log has the director's import"; else fail "audit log: no import by dir"; fi
fi

# an expired session: pages go back to Connexion, a form sent gets it with 401
sqlite3 "$D/serveur.sqlite" "UPDATE sessions SET expires_at = 0"
expect "a page after the session expired" 303 "" -b "$J" "$B/ecole/$UAI/bilans"
expect "a form sent after the session expired" 401 "Votre session a expiré" -b "$J" -d "csrf=$csrf&action=verrouiller" "$B/ecole/$UAI/bilans/CP%20A/verrou"

# --trust-proxy: behind a proxy on loopback, the rate limit per address reads
# X-Forwarded-For (five failures from one client do not lock out another)
"$LSU" serve --data "$D" --listen 127.0.0.1:0 --trust-proxy >"$W/port2" 2>>"$W/serve.log" &
pid2=$!
for _ in $(seq 50); do [ -s "$W/port2" ] && break; sleep 0.1; done
B2=http://127.0.0.1:$(head -1 "$W/port2")
for i in 1 2 3 4 5; do code -H 'X-Forwarded-For: 203.0.113.7' -d "login=x$i&motdepasse=non" "$B2/connexion" >/dev/null; done
expect "--trust-proxy: another client behind the proxy still logs in" 303 "" -H 'X-Forwarded-For: 198.51.100.1, 203.0.113.8' -d 'login=dir&motdepasse=motdepasse-dir' "$B2/connexion"
expect "--trust-proxy: the client of the five failures is refused" 429 "Trop d'essais" -H 'X-Forwarded-For: 203.0.113.7' -d 'login=dir&motdepasse=motdepasse-dir' "$B2/connexion"
kill -TERM "$pid2"
wait "$pid2"
sqlite3 "$D/serveur.sqlite" "DELETE FROM login_failures"

# the collective entry screens: their own data folder and server
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/elements.sh"
# a form sent after its session ended, and --trust-header: their own data and servers
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/session.sh"
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/bilan.sh" # the pupil's bilan and its saisie individuelle
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/param.sh" # the director's settings screens (their own server)
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/acquis.sh" # Saisie d'ensemble des acquis: its own data and server
W=$W bash "$here/editer.sh"
W=$W bash "$here/load.sh"
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/survive.sh" # editions across restarts: its own data and server
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/hints.sh" # refusal pages: LSU words and a link, no command (their own server)
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/annee.sh" # a school's whole year from a bare folder, in one browser story
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/syncens.sh" # the sync with the teachers' list, the periods' table (their own server)
W=$W LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/editmode.sh" # read mode, « Modifier », the drafts (their own data and server)

# ---- stop ----
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
if [ -z "$(ls -A "$D/televersements")" ]; then pass "no upload is left in DATA/televersements"
else fail "uploads left: $(ls "$D/televersements")"; fi
