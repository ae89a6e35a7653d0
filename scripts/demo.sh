#!/usr/bin/env bash
# Starts the demo: the desktop app on simulated services with a throw-away data folder.
# On a machine without a display it uses a private Xvfb and says where the screenshot is;
# without a keychain session it starts a throw-away one.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin/cwm-webroot}
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: running the demo on a private Xvfb for 20 s and saving a screenshot."
  mkdir -p build/screenshots
  exec scripts/with-keyring.sh scripts/xvfb.sh bash -c '
    "$0" demo & pid=$!
    sleep 20
    import -display "$DISPLAY" -window root build/screenshots/demo.png && echo "Screenshot: build/screenshots/demo.png"
    kill $pid; wait $pid 2>/dev/null || true' "$bin"
fi
exec scripts/with-keyring.sh "$bin" demo
