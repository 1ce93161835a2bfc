#!/usr/bin/env bash
# Website widget: the socket.io client from npm (pinned in web/package-lock.json),
# copied to web/vendor/; and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/../web"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! command -v npm >/dev/null 2>&1; then
  say "Installing Node.js and npm (Debian packages)"
  apt_install nodejs npm
fi

stamp=node_modules/.package-lock.sha
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the widget's npm packages (npm ci in web/)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

mkdir -p vendor
cmp -s node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js \
  || cp node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js

if [ ! -x /usr/bin/chromium ]; then
  say "Installing Chromium (Debian package) for the widget's browser tests"
  apt_install chromium
fi
