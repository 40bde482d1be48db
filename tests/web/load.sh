#!/usr/bin/env bash
# A bounded load on lsu serve for the web suite: tools/load-serve.sh with 8
# schools of a small export uploading at once to a server at -j 2 (the
# others wait their turn): all answered, none lost, every import in its
# store.  PASS/FAIL lines.
#   LSU=build/lsu LSU_GEN=build/lsu-gen W=TMPDIR bash tests/web/load.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$W/load"
if LOAD_SCHOOLS=8 LOAD_CLASSES=2 LOAD_PUPILS=5 LOAD_JOBS=2 LOAD_TIMEOUT=120 LOAD_QUIET=1 LOAD_DIR=$W/load/run \
  LSU=$LSU LSU_GEN=$LSU_GEN bash "$here/../../tools/load-serve.sh" >"$W/load/out" 2>&1; then
  echo "PASS web load: 8 uploads at once to lsu serve -j 2, all answered, none lost ($(grep -o 'p95 [0-9.]* s' "$W/load/out"))"
else
  echo "FAIL web load: $(tr '\n' ' ' <"$W/load/out" | head -c 600)"
fi
if [ -z "$(ls -A "$W/load/run/data/televersements" 2>/dev/null)" ]; then echo "PASS web load: no upload left in DATA/televersements"
else echo "FAIL web load: uploads left: $(ls "$W/load/run/data/televersements")"; fi

# four uploads at once to one school: one import of a school at a time, each
# answered and each with its own Rapport d'exécution (n° 2 to 5 after the
# load's n° 1)
R=$W/load/run
u=$(head -1 "$R/uais" 2>/dev/null)
if [ -z "$u" ]; then echo "FAIL web load: no school left by the load run"; exit 0; fi
"$LSU" serve --data "$R/data" --listen 127.0.0.1:0 -j 2 >"$W/load/port" 2>"$W/load/serve.log" &
pid=$!
for _ in $(seq 50); do [ -s "$W/load/port" ] && break; sleep 0.1; done
B=http://127.0.0.1:$(head -1 "$W/load/port")
curl -s -m 60 -c "$W/load/jar" -o /dev/null -d "login=dir1&motdepasse=motdepasse-$u" "$B/connexion"
csrf=$(curl -s -m 60 -b "$W/load/jar" "$B/ecole/$u/import" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"$//')
for k in 1 2 3 4; do
  curl -s -m 120 -b "$W/load/jar" -o /dev/null -w '%{http_code}\n' -F "csrf=$csrf" -F "fichier=@$R/files/$u.xml" \
    "$B/ecole/$u/import" >"$W/load/same$k" &
done
wait $(jobs -p | grep -v "^$pid\$")
kill -TERM "$pid"
wait "$pid"
codes=$(cat "$W/load/same"* | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
n=$(sqlite3 "$R/data/$u.sqlite" "SELECT count(*) FROM events WHERE kind = 'import'")
if [ "$codes" = " 4 200 " ] && [ "$n" = 5 ] && [ -s "$R/data/rapports-serveur/$u/2.html" ] &&
  [ -s "$R/data/rapports-serveur/$u/5.html" ]; then
  echo "PASS web load: 4 uploads at once to one school, each imported with its own report (n° 2 to 5)"
else echo "FAIL web load: one school, 4 uploads: $codes, $n imports, reports $(ls "$R/data/rapports-serveur/$u" | tr '\n' ' ')"; fi
