#!/usr/bin/env bash
# Runs CMD... inside a private D-Bus session with an unlocked gnome-keyring that lives only as long
# as CMD: its keyring file sits in a scratch folder, encrypted with a random password that is never
# stored, and both are deleted on exit.
#
# Usage: scripts/with-keyring.sh [--keep-home] CMD [ARG...]
#   default      CMD also gets a throwaway HOME and XDG folders (tests, benchmarks)
#   --keep-home  CMD keeps the user's HOME and XDG folders (npm start on a machine without a keychain)
# The exit status is CMD's; SIGTERM/SIGINT/SIGHUP sent to this script reach CMD.
set -euo pipefail

keep_home=false
if [ "${1:-}" = "--keep-home" ]; then
  keep_home=true
  shift
fi
if [ "$#" -eq 0 ]; then
  echo "usage: $0 [--keep-home] CMD [ARG...]" >&2
  exit 64
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon setsid; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is not installed (Debian: apt-get install --no-install-recommends dbus gnome-keyring util-linux)" >&2
    exit 69
  fi
done

scratch="$(mktemp -d -t avc-keyring.XXXXXX)"
# As root the embedded PostgreSQL runs as the 'postgres' user, which must be able to walk into
# data directories created below this folder.
chmod 0755 "$scratch"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/keyring-data" "$scratch/runtime"
chmod 0700 "$scratch/keyring-data" "$scratch/runtime"
export KEYRING_DATA="$scratch/keyring-data" KEYRING_RUNTIME="$scratch/runtime"

if [ "$keep_home" = false ]; then
  export HOME="$scratch/home"
  export XDG_DATA_HOME="$scratch/data"
  export XDG_CONFIG_HOME="$scratch/config"
  export XDG_CACHE_HOME="$scratch/cache"
fi

# Its own process group, so a signal sent to this script reaches CMD, the bus and the keyring
# daemon together (dbus-run-session does not forward signals). The daemon runs in the foreground
# because a daemonized one outlives the bus, and only the daemon sees the scratch XDG folders, so
# it never creates a keyring in the user's home. Not exec'd: the EXIT trap must remove the scratch.
setsid dbus-run-session -- sh -c '
  head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n" |
    XDG_DATA_HOME="$KEYRING_DATA" XDG_RUNTIME_DIR="$KEYRING_RUNTIME" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  keyring=$!
  unset KEYRING_DATA KEYRING_RUNTIME
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 200 ]; then echo "with-keyring: gnome-keyring-daemon did not start" >&2; exit 69; fi
    sleep 0.05
  done
  "$@"
  status=$?
  kill "$keyring" 2>/dev/null
  exit "$status"
' with-keyring "$@" <&0 &
child=$!
trap 'kill -TERM -- "-$child" 2>/dev/null || true' TERM HUP
trap 'kill -INT -- "-$child" 2>/dev/null || true' INT

set +e
wait "$child"
status=$?
# A trapped signal interrupts `wait`; wait again for CMD's real exit status.
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
exit "$status"
