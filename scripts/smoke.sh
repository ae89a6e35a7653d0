#!/usr/bin/env bash
# Smoke test of the production binary in a real WebKitGTK window: start it under an X display
# with a fresh data folder, screenshot the screen until the page has rendered, and fail when
# the window stays blank or the process dies. Needs a display (scripts/xvfb.sh) and a
# keychain session (scripts/with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin/cwm-webroot}
shots=build/screenshots
mkdir -p "$shots"
data=$(mktemp -d)
log=$(mktemp)
"$bin" --data-dir "$data" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$log"; }
trap cleanup EXIT

colors=0
for _ in $(seq 60); do
  sleep 0.5
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: the app exited early:"; cat "$log"; exit 1
  fi
  import -display "$DISPLAY" -window root "$shots/smoke-production.png" 2>/dev/null || continue
  colors=$(convert "$shots/smoke-production.png" -format '%k' info:)
  # A blank or half-initialised window has a handful of colours; the rendered dashboard has
  # hundreds (text anti-aliasing, icons, cards).
  [ "$colors" -gt 200 ] && break
done
if [ "$colors" -le 200 ]; then
  echo "smoke: the window stayed blank ($colors colours); see $shots/smoke-production.png"; cat "$log"; exit 1
fi
[ -f "$data/cwm-webroot.db" ] || { echo "smoke: no database was created in the data folder"; exit 1; }
echo "smoke: the production window rendered ($colors colours), database created; screenshot $shots/smoke-production.png"
