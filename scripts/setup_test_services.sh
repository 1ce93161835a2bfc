#!/usr/bin/env bash
# Install the Debian packages that only the tests need, the missing ones: Chromium
# (widget tests), PostgreSQL, Redis and nginx (scale-out tests). Starts no system-wide
# service: the tests start their own instances on loopback in temporary directories
# (tests/services.py). `make run` never installs these.
set -euo pipefail

missing=()
# Chromium with its recommended fonts, the rest without recommends.
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
# PostgreSQL server binaries live in /usr/lib/postgresql/<version>/bin, any version.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)

[ ${#missing[@]} -eq 0 ] && exit 0

echo "[setup] Installing ${missing[*]} (Debian packages, for the tests) ..."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# Packages' postinst scripts must not start system-wide services here.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  made_policy=1
fi
cleanup() { [ "$made_policy" -eq 1 ] && $sudo rm -f "$policy"; true; }
trap cleanup EXIT

log="$(mktemp)"
if ! { $sudo apt-get update -qq && \
       $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "[setup] apt-get install ${missing[*]} failed (output above)." >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
