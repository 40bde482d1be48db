#!/usr/bin/env bash
# lsu serve's refusal pages name no command (issue 14): a school
# synchronised without periods, its own data folder and server; curl on
# the entry screens of a class without periodicity and on a class the
# base élèves does not have: the page says what to do in LSU's words,
# links the screen that does it (Paramétrage des périodes,
# Synchronisation), and names no « lsu … » command; a teacher is told
# the director's screen, with no link.  Prints PASS/FAIL lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/hints.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
pass() { echo "PASS web hints $*"; }
fail() { echo "FAIL web hints $*"; }
lsu_run() { "$LSU" "$@"; }
export -f lsu_run
export LSU
UAI=0290347V
P=$W/hints
D=$P/data
rm -rf "$P"
mkdir -p "$D"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

D=$D bash "$here/../store/school.sh" --no-settings >/dev/null 2>&1 || { fail "school setup"; exit 0; }
printf 'motdepasse-hdir\n' | "$LSU" users --data "$D" add --login hdir --role directeur --uai $UAI 2>/dev/null
printf 'motdepasse-hens\n' | "$LSU" users --data "$D" add --login hens --role enseignant --uai $UAI --class 'CP A' 2>/dev/null

"$LSU" serve --data "$D" --listen 127.0.0.1:0 >"$P/port" 2>"$P/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$P/port" ] && break; sleep 0.1; done
port=$(head -1 "$P/port")
if [ -z "$port" ]; then fail "lsu serve did not print its port: $(cat "$P/serve.log")"; kill "$pid" 2>/dev/null; exit 0; fi
B=http://127.0.0.1:$port
JD=$P/jar-dir JE=$P/jar-ens
curl -s -o /dev/null -c "$JD" -d 'login=hdir&motdepasse=motdepasse-hdir' "$B/connexion"
curl -s -o /dev/null -c "$JE" -d 'login=hens&motdepasse=motdepasse-hens' "$B/connexion"

# refusal WHAT JAR PATH CODE WORDS LINK: the page's status, its LSU words,
# the link to the screen (LINK "" : none), and no lsu command
refusal() {
  local what=$1 jar=$2 path=$3 want=$4 words=$5 link=$6 got
  got=$(curl -s -o "$P/body" -w '%{http_code}' -b "$jar" "$B$path")
  if [ "$got" = "$want" ] && grep -q -- "$words" "$P/body"; then pass "$what: $want, « $words »"
  else fail "$what: $got, expected $want and « $words »: $(grep -o 'class="erreur"[^<]*<*[^<]*' "$P/body")"; fi
  if grep -qE 'lsu (sync|import|periods|lock|unlock|school|import-mode)([^a-z-]|$)' "$P/body"; then
    fail "$what: the page names a command: $(grep -oE 'lsu [a-z-]+[^<]{0,40}' "$P/body" | head -1)"
  else pass "$what: no lsu command on the page"; fi
  if [ -n "$link" ]; then
    if grep -q "À faire : </strong><a href=\"$link\"" "$P/body"; then pass "$what: links $link"
    else fail "$what: no link to $link: $(grep -o 'À faire.\{0,200\}' "$P/body" | head -1)"; fi
  elif grep -q 'À faire[^<]*</strong><a ' "$P/body"; then
    fail "$what: a teacher is given a link to the director's screen"
  else pass "$what: the director's screen named, not linked"; fi
}

refusal "Saisie, class without periods" "$JD" "/ecole/$UAI/saisie/CP%20A" 404 \
  "définissez la périodicité de la classe" "/ecole/$UAI/parametrage/periodes"
refusal "Éléments, class without periods" "$JD" "/ecole/$UAI/elements/CP%20A" 404 \
  "définissez la périodicité de la classe" "/ecole/$UAI/parametrage/periodes"
refusal "Bilan, class unknown" "$JD" "/ecole/$UAI/bilans/ZZ%20Z/eleve/1234567890A" 404 \
  "synchronisez la base élèves" "/ecole/$UAI/synchronisation"
refusal "Saisie, a teacher" "$JE" "/ecole/$UAI/saisie/CP%20A" 404 \
  "À faire par le directeur de l'école : écran « Paramétrage des périodes »" ""

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ $rc = 0 ]; then pass "lsu serve stops on SIGTERM with status 0"; else fail "lsu serve after SIGTERM: $rc"; fi
