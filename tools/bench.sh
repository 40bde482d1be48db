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
# The whole `lsu run` (check, reports, PDFs, zips) on a 900-bilan school,
# median of RUNS runs, next to one run of each peer (FPDF, FOP, TCPDF: the
# slow ones take tens of seconds), all on the same file.
peers=../shared/bench/run-peers.sh
PDF_PEERS=${PDF_PEERS:-"fpdf fop tcpdf"}
if [ -x "$peers" ] || [ -f "$peers" ]; then
  in=$tmp/ecole-900.xml
  ./lsu-gen --classes 12 --pupils 25 --periods 3 --seed 42 -o "$in"
  read -r t_run m_run < <(measure sh -c "rm -rf '$tmp/run' && ./lsu run -q -o '$tmp/run' '$in'")
  bytes=$(du -cb "$tmp"/run/*/*.zip | tail -1 | cut -f1)
  echo
  printf '%-9s %9s %8s %12s\n' tool wall_s rss_MB out_bytes
  awk -v t="$t_run" -v m="$m_run" -v b="$bytes" 'BEGIN {printf "%-9s %9.3f %8.1f %12s\n", "lsu run", t, m / 1024, b}'
  bash "$peers" "$in" $PDF_PEERS | tail -n +2 | tee "$tmp/peers"
  awk -v t="$t_run" '{if ($2 + 0 > 0) printf "lsu run is %.1fx faster than %s\n", $2 / t, $1}' "$tmp/peers"
else
  echo "PDF peers skipped: $peers not found"
fi
