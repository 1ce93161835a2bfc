#!/usr/bin/env bash
# Website widget: the socket.io client from npm (pinned with integrity hashes in
# web/package-lock.json), copied to web/vendor/.
set -euo pipefail
cd "$(dirname "$0")/../web"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! command -v npm >/dev/null 2>&1; then
  say "Installing Node.js and npm (Debian packages)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi

stamp=node_modules/.package-lock.sha
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the widget's npm packages (npm ci in web/)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

mkdir -p vendor
cmp -s node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js \
  || cp node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js
