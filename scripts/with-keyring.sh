#!/usr/bin/env bash
# Runs a command with a reachable, unlocked Secret Service (the Linux keychain). Inside a
# desktop session that already has one, the command runs as is; otherwise a private D-Bus
# session is started with a throw-away gnome-keyring whose files live in a temporary folder,
# so the user's own keyrings are neither read nor changed.
set -euo pipefail
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v secret-tool >/dev/null &&
  printf x | timeout 5 secret-tool store --label=cwm-webroot-probe cwm-webroot probe >/dev/null 2>&1; then
  secret-tool clear cwm-webroot probe >/dev/null 2>&1 || true
  exec "$@"
fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home" 2>/dev/null || true' EXIT
dbus-run-session -- bash -c '
  printf "cwm-webroot-tests" | XDG_DATA_HOME="$0" gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' "$keyring_home" "$@"
