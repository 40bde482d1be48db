#!/usr/bin/env bash
# The load test of lsu serve (make bench BENCH=serve; tests/web/load.sh runs
# a small one): a real `lsu serve` on 127.0.0.1:0 with LOAD_SCHOOLS schools
# (50), each its director and its export of LOAD_CLASSES x LOAD_PUPILS x 3
# trimestres bilans (12 x 25 x 3 = 900, lsu-gen), every school set up as
# tests/store/school.sh does (ONDE synchronised, trimestres, import
# logiciel); the directors log in, then all upload at once (curl, one
# process each).  Checks that every upload is answered 200 (the Rapport
# d'exécution) or 303, and that every import is in its school's store
# (none lost); prints the latency (p50, p95, max), the wall time, the
# server's peak memory (VmHWM) and, for comparison, `lsu import` of the
# same file from the command line (wall time, peak memory).  Stops by
# itself: every curl has LOAD_TIMEOUT seconds (600), the whole run twice
# that.  Exit status 0 when all were answered and none lost, else 1.
#   LSU=build/lsu LSU_GEN=build/lsu-gen bash tools/load-serve.sh
#   LOAD_SCHOOLS=8 LOAD_CLASSES=1 LOAD_PUPILS=4 LOAD_JOBS=2 ...: a small run
set -uo pipefail
cd "$(dirname "$0")/.."
LSU=${LSU:-$PWD/build/lsu}
LSU_GEN=${LSU_GEN:-$PWD/build/lsu-gen}
N=${LOAD_SCHOOLS:-50}
CLASSES=${LOAD_CLASSES:-12}
PUPILS=${LOAD_PUPILS:-25}
JOBS=${LOAD_JOBS:-$(nproc)}
TIMEOUT=${LOAD_TIMEOUT:-600}
QUIET=${LOAD_QUIET:-0}
T=${LOAD_DIR:-$(mktemp -d)}
[ -n "${LOAD_DIR:-}" ] || trap 'rm -rf "$T"' EXIT
mkdir -p "$T"
D=$T/data
mkdir -p "$D" "$T/files" "$T/out" "$T/cli"
say() { [ "$QUIET" = 1 ] || echo "$@" >&2; }

# a valid UAI for school i: 029 and 4 digits, its key letter (mod 23)
uai_of() {
  local digits
  digits=$(printf '029%04d' "$1")
  local letters=ABCDEFGHJKLMNPRSTUVWXYZ
  echo "$digits${letters:$((10#$digits % 23)):1}"
}

say "load: $N schools of $((CLASSES * PUPILS * 3)) bilans, server -j $JOBS"
for i in $(seq "$N"); do
  u=$(uai_of "$i")
  echo "$u" >>"$T/uais"
  "$LSU_GEN" --classes "$CLASSES" --pupils "$PUPILS" --periods 3 --seed 42 --uai "$u" -o "$T/files/$u.xml" || exit 1
  bash tests/store/onde-from-export.sh "$T/files/$u.xml" >"$T/files/$u.csv"
  "$LSU" sync --data "$D" --uai "$u" "$T/files/$u.csv" >/dev/null 2>&1
  "$LSU" periods --data "$D" --uai "$u" --school trimestres \
    --dates 2024-09-02:2024-11-30,2024-12-01:2025-03-08,2025-03-09:2025-07-05 >/dev/null 2>&1
  "$LSU" import-mode --data "$D" --uai "$u" --school logiciel >/dev/null
  printf 'motdepasse-%s\n' "$u" | "$LSU" users --data "$D" add --login "dir$i" --role directeur --uai "$u" 2>/dev/null
done
first=$(head -1 "$T/uais")
cp "$D/$first.sqlite" "$T/cli/"  # the first school before the load, for lsu import

"$LSU" serve --data "$D" --listen 127.0.0.1:0 -j "$JOBS" >"$T/port" 2>"$T/serve.log" &
pid=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
port=$(head -1 "$T/port" 2>/dev/null)
[ -n "$port" ] || { echo "load: lsu serve did not start: $(cat "$T/serve.log")" >&2; kill "$pid" 2>/dev/null; exit 1; }
B=http://127.0.0.1:$port
# the watchdog: the whole run stops by itself
# (its sleep ends with it, and it holds no output open)
(
  trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  sleep $((TIMEOUT * 2)) &
  nap=$!
  wait "$nap" && kill -TERM "$pid" 2>/dev/null
) >/dev/null 2>&1 &
watchdog=$!

i=0
while read -r u; do
  i=$((i + 1))
  curl -s -m 60 -c "$T/jar$i" -o /dev/null -d "login=dir$i&motdepasse=motdepasse-$u" "$B/connexion"
  curl -s -m 60 -b "$T/jar$i" -o "$T/out/form$i" "$B/ecole/$u/import"
  grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out/form$i" | head -1 | sed 's/.*value="//;s/"$//' >"$T/out/csrf$i"
done <"$T/uais"

say "load: $N uploads at once"
start=$(date +%s.%N)
i=0
while read -r u; do
  i=$((i + 1))
  curl -s -m "$TIMEOUT" -b "$T/jar$i" -o "$T/out/body$i" -w '%{http_code} %{time_total}\n' \
    -F "csrf=$(cat "$T/out/csrf$i")" -F "fichier=@$T/files/$u.xml" "$B/ecole/$u/import" >"$T/out/res$i" 2>/dev/null &
done <"$T/uais"
wait $(jobs -p | grep -v "^$watchdog\$" | grep -v "^$pid\$") 2>/dev/null
end=$(date +%s.%N)
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null)
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null

# answered, and in its store
ok=0 lost=0
i=0
while read -r u; do
  i=$((i + 1))
  read -r code t <"$T/out/res$i" || code=000
  n=$(sqlite3 "$D/$u.sqlite" "SELECT count(*) FROM events WHERE kind = 'import'" 2>/dev/null)
  b=$(sqlite3 "$D/$u.sqlite" "SELECT count(*) FROM bilans WHERE replaced_at IS NULL" 2>/dev/null)
  if { [ "$code" = 200 ] || [ "$code" = 303 ]; } && [ "${n:-0}" = 1 ] && [ "${b:-0}" = $((CLASSES * PUPILS * 3)) ]; then
    ok=$((ok + 1))
    echo "$t" >>"$T/latencies"
  else
    lost=$((lost + 1))
    say "load: school $u: HTTP $code, $n import(s), $b bilans"
  fi
done <"$T/uais"

# lsu import of the same file from the command line (the first school,
# its store as it was before the load)
s=$(date +%s.%N)
/usr/bin/time -f %M -o "$T/cli.rss" "$LSU" import --data "$T/cli" --uai "$first" -q "$T/files/$first.xml" >/dev/null 2>&1
e=$(date +%s.%N)

echo "schools $N, bilans per export $((CLASSES * PUPILS * 3)), server -j $JOBS, $(nproc) cores"
echo "answered and imported $ok / $N, lost $lost"
sort -g "$T/latencies" 2>/dev/null | awk -v wall="$(echo "$end - $start" | bc -l)" -v hwm="${hwm:-0}" '
  {a[NR] = $1}
  END {
    if (NR == 0) { print "no latency"; exit }
    p50 = a[int((NR + 1) / 2)]; p95 = a[int((NR * 95 + 99) / 100)]
    printf "lsu serve: latency p50 %.2f s, p95 %.2f s, max %.2f s; all %d uploads in %.2f s; server peak memory (VmHWM) %.1f MB\n",
      p50, p95, a[NR], NR, wall, hwm / 1024
  }'
awk -v t="$(echo "$e - $s" | bc -l)" -v rss="$(cat "$T/cli.rss" 2>/dev/null || echo 0)" \
  'BEGIN {printf "lsu import (command line, the same file): %.2f s, peak memory %.1f MB\n", t, rss / 1024}'
[ "$lost" = 0 ]
