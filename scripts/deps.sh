#!/usr/bin/env bash
# Installs what a make target needs and is missing: Debian packages, the frontend's npm
# packages from the lock file, and the pinned Wails CLI. Safe to run again: it only installs
# what is absent. Usage: scripts/deps.sh build|test|windows|demo ...
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev nodejs npm)
for kind in "$@"; do
  case "$kind" in
    build) ;;
    demo) need_pkgs+=(xvfb xauth dbus dbus-x11 gnome-keyring) ;;
    test) need_pkgs+=(xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools chromium imagemagick x11-apps x11-utils curl) ;;
    windows) need_pkgs+=(gcc-mingw-w64-x86-64 nsis file) ;;
    *) echo "deps.sh: unknown kind $kind" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${need_pkgs[@]}"; do
  # nodejs/npm may come from elsewhere (nvm, NodeSource): a working command is enough.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Frontend packages: reinstall when the lock file changed since the last install.
if [ ! -f frontend/node_modules/.package-lock.json ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
  echo "==> installing frontend packages (npm ci)"
  (cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Wails CLI v2.9.2, built from tools/wails where golang.org/x/tools is raised so it compiles
# on Go 1.26 (see docs/desktop-notes in the shared folder).
if [ ! -x bin/wails ] || [ tools/wails/go.mod -nt bin/wails ]; then
  echo "==> building the Wails CLI (v2.9.2)"
  (cd tools/wails && go build -o ../../bin/wails github.com/wailsapp/wails/v2/cmd/wails)
fi
