#!/usr/bin/env bash
# lsu-batch-parallel.sh: the nightly batch spread over several slots or
# machines with GNU parallel, then merged into one académie summary.
#
#   lsu-batch-parallel.sh [-n SHARDS] [-S SSHLOGIN]... BOÎTE SORTIE [options de lsu batch]
#
# The inbox is cut into SHARDS shards by school (contrib/lsu-shard-list.sh);
# GNU parallel runs one `lsu batch --files-from` per shard, each into
# SORTIE/shard-K (its own results, so that each shard skips the exports it
# processed on an earlier night); then `lsu merge -o SORTIE SORTIE/shard-*`
# gathers every school into SORTIE/<UAI>/ (hard links, no copy) and writes
# SORTIE/academie.{html,json,csv}: the same as one `lsu batch` would.
#
# Without -S the shards run on this machine (SHARDS slots at once).  With
# -S (GNU parallel's --sshlogin, repeatable, e.g. -S 4/calc1 -S 4/calc2 or
# -S :, for this machine too), the shards run over ssh on those hosts:
# lsu must be installed there, and BOÎTE and SORTIE must be the same paths
# on every host (a shared file system, NFS or the like).  Pass -j to lsu
# batch to set the workers of each shard (default: the host's cores).
#
# Environment: LSU (the lsu binary, default "lsu"), PARALLEL_OPTS (more
# options for GNU parallel, split on spaces: e.g. "--env SOURCE_DATE_EPOCH"),
# PARALLEL_SSH (GNU parallel's ssh command, for a port or a key:
# "ssh -p 2222 -i ~/.ssh/lsu"; tests/run.sh runs this recipe over ssh to
# this machine).  Exit status: that of lsu merge (the worst
# over every export: 0, 1, 2, 3), or 70 when a shard could not run.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
lsu=${LSU:-lsu}
shards=""
ssh=()
while [ $# -gt 0 ]; do
  case $1 in
    -n) shards=$2; shift 2 ;;
    -S) ssh+=(--sshlogin "$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "lsu-batch-parallel.sh : option inconnue $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
if [ $# -lt 2 ]; then
  echo "usage : lsu-batch-parallel.sh [-n LOTS] [-S HÔTE]... BOÎTE SORTIE [options de lsu batch]" >&2
  exit 64
fi
inbox=$(cd "$1" && pwd) || exit 64
mkdir -p "$2" || exit 70
out=$(cd "$2" && pwd)
shift 2
command -v parallel >/dev/null || { echo "lsu-batch-parallel.sh : GNU parallel manque (apt-get install parallel)" >&2; exit 70; }
if [ -z "$shards" ]; then
  if [ ${#ssh[@]} -gt 0 ]; then shards=$(( ${#ssh[@]} / 2 * 2 )); else shards=$(nproc); fi
fi

lists=$out/.shards
mkdir -p "$lists"
for k in $(seq 1 "$shards"); do
  bash "$here/lsu-shard-list.sh" "$inbox" "$shards" "$k" >"$lists/shard-$k.list" || exit 70
done

# one job per shard; exit statuses 0-3 say what was in the files, 64 and
# more that the shard itself could not run
parallel --no-notice --line-buffer --tagstring 'lot {}' --joblog "$lists/joblog" ${ssh[@]+"${ssh[@]}"} \
  ${PARALLEL_OPTS:-} \
  "$lsu" batch "$inbox" -o "$out/shard-{}" --files-from "$lists/shard-{}.list" "$@" ::: $(seq 1 "$shards")
# a shard that never ran (parallel itself failed: ssh refused, a bad
# PARALLEL_OPTS) has no line in the joblog: as bad as one that failed
ran=$(awk 'NR > 1' "$lists/joblog" 2>/dev/null | wc -l)
bad=$(awk 'NR > 1 && ($7 >= 64 || $8 != 0) {print $NF}' "$lists/joblog" 2>/dev/null | head -1)
if [ -n "$bad" ] || [ "$ran" -ne "$shards" ]; then
  echo "lsu-batch-parallel.sh : un lot n'a pas pu être traité ($lists/joblog)" >&2
  exit 70
fi
shard_dirs=()
for k in $(seq 1 "$shards"); do shard_dirs+=("$out/shard-$k"); done
"$lsu" merge -o "$out" "${shard_dirs[@]}"
