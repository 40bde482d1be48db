#!/usr/bin/env bash
# sshd-local.sh start|stop DIR: a private OpenSSH server on 127.0.0.1:2222
# whose keys, configuration and logs all live in DIR, for the batch tests
# to run contrib/parallel/ over ssh for real (a second "host" that is this
# machine).  start prints the PARALLEL_SSH to export; stop ends the server.
#
#   eval "$(bash tools/sshd-local.sh start /tmp/ssh)"
#   bash tools/sshd-local.sh stop /tmp/ssh
#
# Needs Debian's openssh-server and openssh-client (.ci/run installs them;
# make test skips the ssh case without them) and root (it logs in as root
# with a key made here, never with a password).  Exit status 70 when the
# server did not answer within 10 s.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage : sshd-local.sh start|stop DOSSIER" >&2; exit 64; }
cmd=$1
mkdir -p "$2"
d=$(cd "$2" && pwd)
port=2222
case $cmd in
  stop)
    [ -s "$d/sshd.pid" ] && kill "$(cat "$d/sshd.pid")" 2>/dev/null || true
    exit 0 ;;
  start) ;;
  *) echo "sshd-local.sh : start ou stop" >&2; exit 64 ;;
esac
[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null ||
  { echo "sshd-local.sh : openssh-server manque (apt-get install openssh-server openssh-client)" >&2; exit 70; }
chmod 700 "$d"
[ -s "$d/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
[ -s "$d/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$d/client_key"
cp "$d/client_key.pub" "$d/authorized_keys"
cat >"$d/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$d/sshd_config" -E "$d/log"
ssh_cmd="ssh -p $port -i $d/client_key -o StrictHostKeyChecking=no -o UserKnownHostsFile=$d/known_hosts -o BatchMode=yes -o LogLevel=ERROR"
for _ in $(seq 1 40); do
  if $ssh_cmd root@127.0.0.1 true 2>/dev/null; then
    echo "export PARALLEL_SSH='$ssh_cmd'"
    exit 0
  fi
  sleep 0.25
done
echo "sshd-local.sh : le serveur ssh ne répond pas (journal : $d/log)" >&2
exit 70
