#!/usr/bin/env bash
# Website widget: the socket.io client from npm (pinned with integrity hashes in
# web/package-lock.json), copied to web/vendor/; and rasa-webchat for a test (below).
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

# rasa-webchat, the usual Rasa web client, for tests/test_webchat_client.py (standard
# clients must keep working with our socket.io channel). Only its self-contained UMD
# bundle (lib/index.js, React and socket.io-client included) is used, so only the
# package's own tarball is fetched (`npm pack`) and checked against the integrity
# pinned here (npm's dist.integrity), not its ~600 build and run-time dependencies.
# Unpacked into node_modules/rasa-webchat/ (git-ignored, never served by serve.py).
webchat_version=1.0.1
webchat_integrity="sha512-Ld1zVJvTAaTrs6A5p8t70agNNrKYRyXlvqXZRgBoDvKKUXbA0jhJKECi5bdPGlaR6jsmqWtVylHS+YqIqo0x8w=="
webchat_dir=node_modules/rasa-webchat
if [ "$(cat "$webchat_dir/.integrity" 2>/dev/null)" != "$webchat_integrity" ] \
   || [ ! -s "$webchat_dir/lib/index.js" ]; then
  say "Fetching rasa-webchat $webchat_version for the tests (npm pack, integrity pinned)"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --no-fund "rasa-webchat@$webchat_version" >/dev/null)
  tarball="$tmp/rasa-webchat-$webchat_version.tgz"
  got="$(node -e 'const c = require("crypto"), f = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"));' "$tarball")"
  if [ "$got" != "$webchat_integrity" ]; then
    echo "rasa-webchat $webchat_version: integrity $got, expected $webchat_integrity" >&2
    exit 1
  fi
  rm -rf "$webchat_dir"
  mkdir -p "$webchat_dir"
  tar -xzf "$tarball" -C "$webchat_dir" --strip-components=1 \
    package/package.json package/LICENSE package/lib/index.js
  echo "$webchat_integrity" > "$webchat_dir/.integrity"
fi
