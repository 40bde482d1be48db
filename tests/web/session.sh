#!/usr/bin/env bash
# A form sent after its session ended, and --trust-header (the académie's
# single sign-on), on their own data folder ($W/session, a school imported
# by tests/store/school.sh) and their own servers: one with passwords, one
# with --trust-header X-Remote-User.  curl, then tests/web/session.mjs in
# chromium.  Prints PASS/FAIL/SKIP lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/session.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web session: $*"; }
fail() { echo "FAIL web session: $*"; }
UAI=0290347V OTHER=0290348W
S=$W/session
D=$S/data
mkdir -p "$D"
command -v xmllint >/dev/null || { echo "SKIP web session: xmllint not installed"; exit 0; }

# ---- the school (imported: bilans to lock), its accounts ----
D=$D bash "$here/../store/school.sh" || { fail "school setup"; exit 0; }
"$LSU" import --data "$D" "$D/ecole.xml" >/dev/null 2>&1
printf 'motdepasse-dir\n' | "$LSU" users --data "$D" add --login dir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-ens\n' | "$LSU" users --data "$D" add --login ens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null
printf 'motdepasse-autre\n' | "$LSU" users --data "$D" add --login autre --role directeur --uai $OTHER 2>/dev/null
ine=$(sqlite3 "$D/$UAI.sqlite" "SELECT ine FROM bilans WHERE classe = 'CP A' AND replaced_at IS NULL LIMIT 1")
locked() { sqlite3 "$D/$UAI.sqlite" "SELECT count(*) FROM bilans WHERE ine = '$1' AND replaced_at IS NULL AND locked_at IS NOT NULL"; }
[ -n "$ine" ] && [ "$(locked "$ine")" = 0 ] || { fail "setup: no unlocked bilan in CP A"; exit 0; }

# start NAME ARGS...: a server on 127.0.0.1:0; sets pid_NAME and B_NAME
start() {
  local name=$1
  shift
  "$LSU" serve --data "$D" --listen 127.0.0.1:0 "$@" >"$S/port.$name" 2>>"$S/serve.log" &
  eval "pid_$name=$!"
  for _ in $(seq 50); do [ -s "$S/port.$name" ] && break; sleep 0.1; done
  eval "B_$name=http://127.0.0.1:$(head -1 "$S/port.$name")"
}
start pw
start sso --trust-header X-Remote-User
code() { curl -s -o "$S/body" -D "$S/headers" -w '%{http_code}' "$@"; }
# value XPATH: a string of the last HTML page
value() { xmllint --html --xpath "string($1)" "$S/body" 2>/dev/null; }
has() { grep -q -- "$1" "$S/body"; }
csrf_of() { value '//form[@id="bilans"]/input[@name="csrf"]/@value'; }

# a long text, of several lines, with what HTML must escape: 600 lines,
# near a form's cap of 64 KiB once urlencoded
text=""
for i in $(seq 600); do text+="Ligne $i : élève sérieux & attentif <lecture> « très bien »."$'\n'; done
text+="Fin."

# ---- 1. a form sent after the session ended: Connexion carries it ----
J=$S/jar
code -c "$J" -d 'login=dir&motdepasse=motdepasse-dir' "$B_pw/connexion" >/dev/null
code -b "$J" "$B_pw/ecole/$UAI/bilans/CP%20A" >/dev/null
old=$(csrf_of)
sqlite3 "$D/serveur.sqlite" "DELETE FROM sessions"
got=$(code -b "$J" --data-urlencode "csrf=$old" --data-urlencode "ine=$ine" --data-urlencode "appreciation=$text" \
  --data-urlencode 'nouveau_motdepasse=ne-pas-garder' --data-urlencode 'action=verrouiller' "$B_pw/ecole/$UAI/bilans/CP%20A/verrou")
if [ "$got" = 401 ] && has 'Votre session a expiré' && has 'Votre formulaire est gardé' &&
  [ "$(value '//input[@name="reprise-action"]/@value')" = "/ecole/$UAI/bilans/CP A/verrou" ] &&
  [ "$(value '//input[@name="reprise:ine"]/@value')" = "$ine" ] &&
  [ "$(value '//input[@name="reprise:action"]/@value')" = verrouiller ] &&
  [ "$(value '//input[@name="reprise:appreciation"]/@value')" = "$text" ]; then
  pass "an expired session's POST: Connexion (401) carries its fields, the long text whole"
else fail "the expired session's Connexion: $got $(head -c 300 "$S/body")"; fi
if ! has 'reprise:csrf' && ! has 'ne-pas-garder' && ! has "$old"; then
  pass "Connexion carries neither the old CSRF token nor a password-like field"
else fail "Connexion carries the CSRF token or a password"; fi
[ "$(locked "$ine")" = 0 ] && pass "nothing was locked by the expired form" || fail "the expired form was acted on"

# the fields of the login page, as the browser sends them back
fields=()
for n in reprise-action reprise:ine reprise:appreciation reprise:action; do
  fields+=(--data-urlencode "$n=$(value "//input[@name=\"$n\"]/@value")")
done
got=$(code "${fields[@]}" --data-urlencode 'login=dir' --data-urlencode 'motdepasse=faux' "$B_pw/connexion")
if [ "$got" = 401 ] && has 'Identifiant ou mot de passe incorrect' &&
  [ "$(value '//input[@name="reprise:appreciation"]/@value')" = "$text" ]; then
  pass "a wrong password keeps the form too (401)"
else fail "wrong password with the kept form: $got"; fi
size=$(curl -s -o "$S/body" -D "$S/headers" -c "$J" -w '%{http_code} %{size_upload}' "${fields[@]}" \
  --data-urlencode 'login=dir' --data-urlencode 'motdepasse=motdepasse-dir' "$B_pw/connexion")
new=$(value '//form[@id="reprise"]/input[@name="csrf"]/@value')
if [ "${size% *}" = 200 ] && [ "${size#* }" -gt 60000 ] &&
  has "Votre session avait expiré : vérifiez puis confirmez l'envoi" &&
  [ "$(value '//form[@id="reprise"]/@action')" = "/ecole/$UAI/bilans/CP%20A/verrou" ] &&
  [ "$(value '//form[@id="reprise"]//textarea[@name="appreciation"]')" = "$text" ] &&
  [ "$(value '//form[@id="reprise"]/input[@name="ine"]/@value')" = "$ine" ] &&
  [ "$(value '//form[@id="reprise"]/input[@name="action"]/@value')" = verrouiller ] &&
  [ ${#new} = 64 ] && [ "$new" != "$old" ] && grep -qi '^Set-Cookie: lsu_session=' "$S/headers"; then
  pass "after login: the confirmation page holds the fields (editable long text) and a new CSRF token (login body ${size#* } bytes)"
else fail "the confirmation page: $size $(head -c 300 "$S/body")"; fi
[ "$(locked "$ine")" = 0 ] && pass "logging in does not send the form again by itself" || fail "the form was replayed at login"
got=$(code -b "$J" --data-urlencode "csrf=$new" --data-urlencode "ine=$ine" --data-urlencode "appreciation=$text" \
  --data-urlencode 'action=verrouiller' "$B_pw/ecole/$UAI/bilans/CP%20A/verrou")
if [ "$got" = 200 ] && has 'verrouillé' && [ "$(locked "$ine")" -ge 1 ]; then pass "the confirmed form is acted on (CP A locked)"
else fail "the confirmed form: $got, locked $(locked "$ine")"; fi

# the action carried back must be a path of the application under /ecole/
for bad in '//evil.example/ecole/x' 'http://evil.example/ecole/x' '/ecole/../connexion' '/deconnexion' '/ecole/x\y'; do
  got=$(code --data-urlencode "reprise-action=$bad" --data-urlencode 'reprise:note=x' \
    --data-urlencode 'login=dir' --data-urlencode 'motdepasse=motdepasse-dir' "$B_pw/connexion")
  if [ "$got" = 400 ] && ! grep -qi '^Set-Cookie' "$S/headers" && ! has 'evil'; then pass "the action « $bad » is refused (400, no session)"
  else fail "the action « $bad »: $got"; fi
done
# a CSRF token of another session (another tab logged in again): 403, the form offered again
got=$(code -b "$J" --data-urlencode "csrf=$old" --data-urlencode 'appreciation=Texte gardé' --data-urlencode 'action=verrouiller' "$B_pw/ecole/$UAI/bilans/CP%20A/verrou")
if [ "$got" = 403 ] && has 'Formulaire expiré' && [ "$(value '//form[@id="reprise"]/p/input[@name="appreciation"]/@value')" = 'Texte gardé' ] &&
  [ "$(value '//form[@id="reprise"]/input[@name="csrf"]/@value')" = "$new" ]; then
  pass "a stale CSRF token: 403 « Formulaire expiré » with the form offered again"
else fail "stale CSRF: $got"; fi
# a file sent without a session is not kept: the form asks for it again
printf '<a/>' >"$S/x.xml"
got=$(code -F csrf=0 -F note=abc -F "fichier=@$S/x.xml" "$B_pw/ecole/$UAI/import")
if [ "$got" = 401 ] && [ "$(value '//input[@name="reprise-fichier"]/@value')" = x.xml ]; then pass "an upload without a session: its file's name is carried, not the file"
else fail "upload without a session: $got"; fi

# ---- 2. --trust-header X-Remote-User ----
"$LSU" serve --data "$D" --listen 0.0.0.0:0 --trust-header X-Remote-User >/dev/null 2>"$S/refus"
rc=$?
if [ $rc = 64 ] && grep -q 'adresse d.écoute locale' "$S/refus"; then pass "--trust-header refuses a --listen that is not loopback (64)"
else fail "--trust-header on 0.0.0.0: $rc $(cat "$S/refus")"; fi
H='X-Remote-User'
got=$(code -H "$H: dir" "$B_sso/")
if [ "$got" = 303 ] && grep -qi "^Location: /ecole/$UAI" "$S/headers" && grep -qi '^Set-Cookie: lsu_session=' "$S/headers"; then
  pass "the header logs the director in, no password asked"
else fail "the header's login: $got"; fi
expect() { # expect WHAT CODE TEXT curl-args...
  local what=$1 want=$2 t=$3 g
  shift 3
  g=$(code "$@")
  if [ "$g" = "$want" ] && { [ -z "$t" ] || has "$t"; }; then pass "$what ($want)"; else fail "$what: $g, expected $want${t:+ and « $t »}"; fi
}
expect "--trust-header: the director's Accueil" 200 'class="nom">dir<' -H "$H: dir" "$B_sso/ecole/$UAI"
expect "--trust-header: an unknown login" 403 "pas de compte" -H "$H: inconnu" "$B_sso/ecole/$UAI"
expect "--trust-header: no header, a page" 403 "n'a pas été transmise" "$B_sso/ecole/$UAI"
expect "--trust-header: no header, Connexion is not offered" 403 "n'a pas été transmise" "$B_sso/connexion"
expect "--trust-header: no header, a password is not taken" 403 "" -d 'login=dir&motdepasse=motdepasse-dir' "$B_sso/connexion"
expect "--trust-header: the teacher's class" 200 "" -H "$H: ens" "$B_sso/ecole/$UAI/bilans/CP%20A"
expect "--trust-header: another class of his school" 403 "pas l'une des vôtres" -H "$H: ens" "$B_sso/ecole/$UAI/bilans/CE1%20A"
expect "--trust-header: another school's data" 403 "Accès refusé" -H "$H: autre" "$B_sso/ecole/$UAI/bilans/CP%20A"
expect "--trust-header: the teacher's import" 403 "" -H "$H: ens" "$B_sso/ecole/$UAI/import"
# the director's cookie does not outlast another header: the header is who asks
JS=$S/jar-sso
code -c "$JS" -H "$H: dir" "$B_sso/ecole/$UAI/bilans/CP%20A" >/dev/null
expect "--trust-header: the director's cookie with the teacher's header is the teacher" 403 "" -b "$JS" -H "$H: ens" "$B_sso/ecole/$UAI/import"
expect "--trust-header: the director's cookie without a header" 403 "n'a pas été transmise" -b "$JS" "$B_sso/ecole/$UAI/import"
# a session that ended under SSO: the form comes back to confirm, with a new token
code -c "$JS" -H "$H: dir" "$B_sso/ecole/$UAI/bilans/CP%20A" >/dev/null
old=$(csrf_of)
sqlite3 "$D/serveur.sqlite" "DELETE FROM sessions"
got=$(code -b "$JS" -c "$JS" -H "$H: dir" --data-urlencode "csrf=$old" --data-urlencode "ine=$ine" \
  --data-urlencode "appreciation=$text" --data-urlencode 'action=deverrouiller' "$B_sso/ecole/$UAI/bilans/CP%20A/verrou")
new=$(value '//form[@id="reprise"]/input[@name="csrf"]/@value')
if [ "$got" = 200 ] && has "Votre session avait expiré" && [ "$(value '//form[@id="reprise"]//textarea[@name="appreciation"]')" = "$text" ] &&
  [ ${#new} = 64 ] && [ "$new" != "$old" ] && [ "$(locked "$ine")" -ge 1 ]; then
  pass "--trust-header: a session that ended gives the confirmation page, nothing done yet"
else fail "--trust-header expired session: $got"; fi
expect "--trust-header: the confirmed unlock" 200 "déverrouillé" -b "$JS" -H "$H: dir" --data-urlencode "csrf=$new" \
  --data-urlencode "ine=$ine" --data-urlencode 'action=deverrouiller' "$B_sso/ecole/$UAI/bilans/CP%20A/verrou"
[ "$(locked "$ine")" = 0 ] && pass "--trust-header: CP A unlocked" || fail "--trust-header: CP A still locked"

# ---- 3. the browser: a long text typed, the session deleted, nothing lost ----
if ! command -v node >/dev/null || ! [ -x /usr/bin/chromium ] || ! [ -d "$here/node_modules/playwright-core" ]; then
  echo "SKIP web session.mjs: node, /usr/bin/chromium or tests/web/node_modules absent"
else
  LSU_SERVE_URL=$B_pw LSU_UAI=$UAI LSU_DB=$D timeout 180 node "$here/session.mjs" || echo "FAIL web session.mjs exited $?"
fi

for name in pw sso; do
  eval "p=\$pid_$name"
  kill -TERM "$p"
  wait "$p" || fail "lsu serve ($name) after SIGTERM"
done
