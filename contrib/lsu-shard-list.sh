#!/usr/bin/env bash
# lsu-shard-list.sh INBOX N K: prints the exports of INBOX (paths relative
# to it, one a line) that belong to shard K of N (1 <= K <= N).
#
# Shards are made by school: a file's school is the UAI of its
# <etablissement> element, read with grep from the head of the file (an
# export's entete comes first); a file without one is sharded by its path.
# The shard of a school is a checksum of its UAI modulo N: stable from one
# night to the next (as long as N stays), so that each shard's lsu batch
# finds its own previous results and skips the unchanged exports.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage : lsu-shard-list.sh BOÎTE N K" >&2
  exit 64
fi
inbox=$1 n=$2 k=$3
case $n$k in *[!0-9]*) echo "lsu-shard-list.sh : N et K sont des nombres" >&2; exit 64 ;; esac
if [ "$n" -lt 1 ] || [ "$k" -lt 1 ] || [ "$k" -gt "$n" ]; then
  echo "lsu-shard-list.sh : il faut 1 <= K <= N" >&2
  exit 64
fi
cd "$inbox"
find . -mindepth 1 -name '.*' -prune -o -type f -iname '*.xml' -print | sed 's|^\./||' | LC_ALL=C sort |
  while IFS= read -r f; do
    uai=$(head -c 65536 -- "$f" | grep -a -o -m1 '<etablissement>[^<]*</etablissement>' | sed 's/<[^>]*>//g' || true)
    key=${uai:-$f}
    sum=$(printf '%s' "$key" | cksum | cut -d' ' -f1)
    if [ $((sum % n + 1)) -eq "$k" ]; then printf '%s\n' "$f"; fi
  done
