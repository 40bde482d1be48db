#!/usr/bin/env bash
# Submits the nightly batch to Slurm: a job array of SHARDS tasks
# (lsu-batch.sbatch), then the merge, which runs once every task ended.
#
#   contrib/slurm/submit.sh BOÎTE SORTIE [SHARDS]
#
# Prints the merge job's id; its log (lsu-merge-ID.log) ends with the
# académie's one-screen summary and « statut de lsu merge : N » (also in
# SORTIE/merge.status), and SORTIE/academie.html is the summary.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage : submit.sh BOÎTE SORTIE [LOTS]" >&2
  exit 64
fi
here=$(cd "$(dirname "$0")/.." && pwd)
inbox=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
shards=${3:-8}
array=$(INBOX=$inbox OUT=$out LSU_CONTRIB=$here sbatch --parsable --export=ALL --array=1-"$shards" \
  "$here/slurm/lsu-batch.sbatch")
OUT=$out SHARDS=$shards sbatch --parsable --export=ALL --dependency=afterany:"$array" \
  "$here/slurm/lsu-merge.sbatch"
