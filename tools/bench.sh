#!/usr/bin/env bash
# make bench: lsu check against the peer tools, side by side in one run.
#
# For generated exports of 900 and 3 600 bilans it times (median of RUNS
# runs, wall clock, whole process) and measures the peak memory of:
#   lsu      lsu check -q -o DIR (every stage and every report format)
#   xsd      xmllint --noout --schema (official 1d schema when ../shared is
#            there, the project's otherwise)
#   xslt     xsltproc with an identity stylesheet
#   xsd+xslt the two in sequence (the target: lsu at most this)
# and prints the ratios.  The machine is shared and noisy: compare ratios
# from one run, never absolute times across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SIZES=${SIZES:-"12 48"}      # classes of 25 pupils x 3 periods: 900 and 3600 bilans
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
official=../shared/reference/xsd/official-1d-1.0b.xsd
[ -f "$official" ] || official=xsd/lsu-1d.xsd
identity=../shared/bench/baseline/identity.xsl
if [ ! -f "$identity" ]; then
  identity=$tmp/identity.xsl
  cat >"$identity" <<'XSL'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
</xsl:stylesheet>
XSL
fi

# ---- The académie: lsu batch over many schools (BENCH=batch: only this) ----
# Generates BATCH_SIZES schools (default 50 100 200) of realistic sizes
# (2 to 8 classes of 20 to 26 pupils, 3 trimestres: 80 to 620 bilans, 330
# on average) and runs the whole chain (check, reports, PDFs, zips) with
# `lsu batch`: bilans per second at -j 1 and -j 2 on the first size, then
# -j 2 on each size (time per school must stay flat: linear scaling), and
# the peak memory of a worker (--stats, from wait4: it must not grow with
# the number of schools).  One run each: the machine is shared; compare the
# ratios within this run.
bench_batch() {
  local sizes=${BATCH_SIZES:-"50 100 200"} max=0 n i first
  for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done
  first=${sizes%% *}
  mkdir -p "$tmp/academie"
  for ((i = 1; i <= max; i++)); do
    ./lsu-gen --classes $((2 + i % 7)) --pupils $((20 + i % 7)) --periods 3 --seed "$i" --faults 0.05 \
      --uai "$(printf '%07dZ' "$i")" -o "$tmp/academie/ecole-$(printf '%04d' "$i").xml"
  done
  # one run of lsu batch on the first n schools at -j J: "seconds bilans peak_kB"
  run_batch() {
    local n=$1 j=$2 in=$tmp/in-$1
    if [ ! -d "$in" ]; then
      mkdir -p "$in"
      local k
      for ((k = 1; k <= n; k++)); do
        ln "$tmp/academie/ecole-$(printf '%04d' "$k").xml" "$in/"
      done
    fi
    rm -rf "$tmp/batch-out"
    # wall clock, and CPU time of the parent and every worker it reaped
    /usr/bin/time -f '%e %U %S' -o "$tmp/batch.time" ./lsu batch -j "$j" --stats -o "$tmp/batch-out" "$in" \
      2>"$tmp/batch.log" || true
    local wall cpu bilans peak
    read -r wall cpu < <(tail -1 "$tmp/batch.time" | awk '{print $1, $2 + $3}')
    bilans=$(sed -n 's/.*"totaux": {"ecoles": [0-9]*, "fichiers": [0-9]*, "traites": \([0-9]*\).*/\1/p' \
      "$tmp/batch-out/academie.json")
    peak=$(sed -n 's/.*processus de traitement : \([0-9]*\) Mo.*/\1/p' "$tmp/batch.log")
    echo "$wall ${bilans:-0} ${peak:-0} $cpu"
  }
  echo
  echo "lsu batch (check, reports, PDFs, zips), schools of 80 to 620 bilans"
  printf '%-8s %8s %3s | %8s %10s %8s %13s %14s\n' schools bilans -j wall_s bilans/s cpu_s cpu_ms/bilan worker_peak_MB
  row() { # schools bilans j wall peak cpu
    awk -v n="$1" -v b="$2" -v j="$3" -v t="$4" -v p="$5" -v c="$6" \
      'BEGIN {printf "%-8s %8s %3s | %8.2f %10.0f %8.1f %13.2f %14s\n", n, b, j, t, b / t, c, c * 1000 / b, p}'
  }
  local t1 b1 p1 c1 t2 b2 p2 c2
  read -r t1 b1 p1 c1 < <(run_batch "$first" 1)
  row "$first" "$b1" 1 "$t1" "$p1" "$c1"
  read -r t2 b2 p2 c2 < <(run_batch "$first" 2)
  row "$first" "$b2" 2 "$t2" "$p2" "$c2"
  local rows="$b2 $c2"
  for n in $sizes; do
    [ "$n" = "$first" ] && continue
    local t b p c
    read -r t b p c < <(run_batch "$n" 2)
    row "$n" "$b" 2 "$t" "$p" "$c"
    rows="$rows $b $c"
  done
  awk -v a="$t1" -v b="$t2" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "-j 2 is %.2fx the throughput of -j 1 (load average %s on %d cores during the run)\n", a / b, l, '"$(nproc)"'}'
  echo "$rows" | awk '{for (i = 3; i < NF; i += 2) printf "CPU per bilan at %d bilans: %.2fx that at %d bilans (linear: 1.00x)\n",
    $i, ($(i + 1) / $i) / ($2 / $1), $1}'
}
if [ "${BENCH:-}" = batch ]; then
  bench_batch
  exit 0
fi
# lsu serve under load: 50 directors uploading 900-bilan exports at once,
# against lsu import of the same file (tools/load-serve.sh)
if [ "${BENCH:-}" = serve ]; then
  LSU=$PWD/lsu LSU_GEN=$PWD/lsu-gen bash tools/load-serve.sh
  exit $?
fi
# the teachers' entry against the import (tools/bench-entry.sh)
if [ "${BENCH:-}" = entry ]; then
  RUNS=$RUNS bash tools/bench-entry.sh
  exit 0
fi

command -v xmllint >/dev/null && command -v xsltproc >/dev/null || { echo "bench: xmllint and xsltproc needed (tools/install-deps.sh)" >&2; exit 1; }

# Runs a command RUNS times; prints "median_seconds peak_rss_kB".
measure() {
  local times=() rss=0 i s e r
  for ((i = 0; i < RUNS; i++)); do
    s=$(date +%s.%N)
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
    r=$(tail -1 "$tmp/rss"); [ "$r" -gt "$rss" ] && rss=$r
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v rss="$rss" '{a[NR]=$1} END {printf "%.3f %d\n", a[int((NR+1)/2)], rss}'
}

printf '%-8s %7s %9s | %-9s %8s %8s %7s\n' bilans MB input tool median_s rss_MB ratio
for classes in $SIZES; do
  in=$tmp/ecole-$classes.xml
  ./lsu-gen --classes "$classes" --pupils 25 --periods 3 --seed 42 --cycle-bilans -o "$in"
  bilans=$((classes * 25 * 3))
  mb=$(awk -v b="$(stat -c %s "$in")" 'BEGIN {printf "%.2f", b / 1048576}')
  read -r t_lsu m_lsu < <(measure ./lsu check -q -o "$tmp/out" "$in")
  read -r t_xsd m_xsd < <(measure xmllint --noout --schema "$official" "$in")
  read -r t_xslt m_xslt < <(measure xsltproc -o "$tmp/id.xml" "$identity" "$in")
  read -r t_both m_both < <(measure sh -c "xmllint --noout --schema '$official' '$in' && xsltproc -o '$tmp/id.xml' '$identity' '$in'")
  for row in "lsu $t_lsu $m_lsu" "xsd $t_xsd $m_xsd" "xslt $t_xslt $m_xslt" "xsd+xslt $t_both $m_both"; do
    set -- $row
    awk -v b="$bilans" -v mb="$mb" -v n="$1" -v t="$2" -v m="$3" -v ref="$t_both" \
      'BEGIN {printf "%-8s %7s %9s | %-9s %8.3f %8.1f %6.2fx\n", b, mb, "", n, t, m / 1024, t / ref}'
  done
done
echo "ratio: time / time of xmllint --schema + xsltproc identity on the same file (lower is better; target <= 1)"

# ---- PDF bilans: lsu run against the peer renderers of ../shared/bench ----
# The whole `lsu run` (check, reports, PDFs, zips) on a 900-bilan and a
# 3 600-bilan school, median of RUNS runs, next to one run of each peer on
# the same files (PDF_PEERS on 900 bilans: FPDF, FOP, TCPDF; PDF_PEERS_LARGE
# on 3 600: FPDF only by default, FOP and TCPDF would take minutes there),
# compared per bilan.  Without ../shared, lsu alone.
peers=../shared/bench/run-peers.sh
PDF_PEERS=${PDF_PEERS:-"fpdf fop tcpdf"}
PDF_PEERS_LARGE=${PDF_PEERS_LARGE:-"fpdf"}
echo
printf '%-7s | %-9s %9s %8s %12s %13s\n' bilans tool wall_s rss_MB out_bytes ms_per_bilan
: >"$tmp/pdf-rows"
for classes in 12 48; do
  bilans=$((classes * 25 * 3))
  in=$tmp/ecole-run-$classes.xml
  ./lsu-gen --classes "$classes" --pupils 25 --periods 3 --seed 42 -o "$in"
  read -r t_run m_run < <(measure sh -c "rm -rf '$tmp/run' && ./lsu run -q -o '$tmp/run' '$in'")
  bytes=$(du -cb "$tmp"/run/*/*.zip | tail -1 | cut -f1)
  echo "$bilans lsu_run $t_run $m_run $bytes" >>"$tmp/pdf-rows"
  list=$PDF_PEERS
  [ "$classes" = 48 ] && list=$PDF_PEERS_LARGE
  if [ -f "$peers" ] && [ -n "$list" ]; then
    bash "$peers" "$in" $list | tail -n +2 |
      awk -v b="$bilans" '$2 + 0 > 0 {print b, $1, $2, $3 * 1024, $4}' >>"$tmp/pdf-rows"
  fi
done
awk '{printf "%-7s | %-9s %9.3f %8.1f %12s %13.3f\n", $1, $2, $3, $4 / 1024, $5, 1000 * $3 / $1}' "$tmp/pdf-rows"
# per bilan: each peer against lsu run on the same file
awk '$2 == "lsu_run" {lsu[$1] = $3} $2 != "lsu_run" && lsu[$1] > 0 {
       printf "%s bilans: lsu run is %.1fx faster than %s\n", $1, $3 / lsu[$1], $2 }' "$tmp/pdf-rows"
awk '$2 == "lsu_run" {t[++n] = 1000 * $3 / $1; b[n] = $1} END {
       if (n == 2) printf "lsu run per bilan at %s bilans: %.2fx that at %s bilans (flat: 1.00x)\n", b[2], t[2] / t[1], b[1] }' "$tmp/pdf-rows"
[ -f "$peers" ] || echo "PDF peers skipped: $peers not found"

bench_batch
RUNS=$RUNS bash tools/bench-entry.sh
