#!/usr/bin/env bash
# slurm-local.sh start|stop DIR: a private single-node Slurm cluster (munged,
# slurmctld, slurmd) whose sockets, state, spool and logs all live in DIR,
# for the batch tests to run contrib/slurm/ for real.  It never touches
# /etc/slurm or the system's munge socket; ports 16817-16818 on this host.
#
#   eval "$(bash tools/slurm-local.sh start /tmp/slurm)"   # exports SLURM_CONF
#   bash tools/slurm-local.sh stop /tmp/slurm
#
# Needs Debian's slurmd, slurmctld, slurm-client and munge (.ci/run installs
# them; make test skips the Slurm case without them) and root, as a CI
# machine is: slurmd runs jobs as their submitter.  Exit status 70 when the
# cluster did not come up within 30 s.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage : slurm-local.sh start|stop DOSSIER" >&2; exit 64; }
cmd=$1
mkdir -p "$2"
d=$(cd "$2" && pwd)
case $cmd in
  stop)
    pids=()
    for p in slurmd slurmctld munge/munged; do
      [ -s "$d/$p.pid" ] && pids+=("$(cat "$d/$p.pid")")
    done
    [ ${#pids[@]} -eq 0 ] && exit 0
    kill "${pids[@]}" 2>/dev/null || true
    # gone before the ports are taken again
    for _ in $(seq 1 40); do
      kill -0 "${pids[@]}" 2>/dev/null || exit 0
      sleep 0.25
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
    exit 0 ;;
  start) ;;
  *) echo "slurm-local.sh : start ou stop" >&2; exit 64 ;;
esac
for c in munged slurmctld slurmd sbatch; do
  command -v "$c" >/dev/null || PATH=$PATH:/usr/sbin
  command -v "$c" >/dev/null || { echo "slurm-local.sh : $c manque (apt-get install slurmd slurmctld slurm-client munge)" >&2; exit 70; }
done
host=$(hostname)
mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
chmod 700 "$d/munge"
# a key of our own: the cluster trusts nothing outside DIR
[ -s "$d/munge/key" ] || { head -c 1024 /dev/urandom >"$d/munge/key"; chmod 600 "$d/munge/key"; }
munged --force --socket="$d/munge/sock" --key-file="$d/munge/key" --pid-file="$d/munge/munged.pid" \
  --log-file="$d/munge/log" --seed-file="$d/munge/seed"
# CPUs and memory as a small compute node would declare them (config_overrides:
# slurmd takes them over what this machine has, so that the sbatch's
# --cpus-per-task=4 fits); one partition, no accounting
cat >"$d/slurm.conf" <<CONF
ClusterName=lsutest
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$d/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
NodeName=$host CPUs=8 RealMemory=16000 State=UNKNOWN
PartitionName=lsu Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$d/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx 'idle'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-local.sh : la grappe n'a pas démarré (journaux : $d/log)" >&2
exit 70
