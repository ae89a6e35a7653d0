#!/usr/bin/env bash
# Runs a command with an X display: the current one when there is one (and
# CWM_WEBROOT_FORCE_XVFB is not set), otherwise a private Xvfb on a free display number.
set -euo pipefail
if [ -n "${DISPLAY:-}" ] && [ -z "${CWM_WEBROOT_FORCE_XVFB:-}" ]; then exec "$@"; fi
numfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$numfile" 2>/dev/null &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true; rm -f "$numfile"' EXIT
for _ in $(seq 100); do [ -s "$numfile" ] && break; sleep 0.1; done
[ -s "$numfile" ] || { echo "xvfb.sh: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$numfile")"
"$@"
