#!/usr/bin/env bash
# Set up what is missing, from locked versions (docs/dependencies.md).
#   setup.sh             what running needs: Python 3.10 venv, requirements.lock, the Dutch
#                        spaCy pipeline, the widget's npm packages (make run, make train)
#   setup.sh --test      that plus the test tools: requirements-dev.lock, Chromium,
#                        PostgreSQL, Redis, nginx (make test, make test-fast, make bench)
#   setup.sh --venv-only the venv and its installer uv only (make lock)
#   setup.sh --retry-download   try the download of nl_core_news_sm again
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
sha() { sha256sum "$@" | cut -d' ' -f1; }
mode="${1:-run}"

if [ ! -x .venv/bin/python ]; then
  py="${PYTHON:-}"
  wanted="$(cat .python-version)"
  if [ -z "$py" ] && command -v pyenv >/dev/null 2>&1; then
    py="$(pyenv which python 2>/dev/null || true)"   # honours .python-version
  fi
  [ -n "$py" ] || [ ! -x "${PYENV_ROOT:-$HOME/.pyenv}/versions/$wanted/bin/python" ] \
    || py="${PYENV_ROOT:-$HOME/.pyenv}/versions/$wanted/bin/python"
  [ -n "$py" ] || py="$(command -v python3.10 || true)"
  if [ -z "$py" ] || ! "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
    echo "Python 3.10 is needed (Rasa 3.6 runs on 3.8-3.10). Install it with pyenv: pyenv install 3.10.13" >&2
    exit 1
  fi
  say "Creating the virtual environment .venv with $("$py" --version)"
  "$py" -m venv .venv
fi

# The installer: uv, pinned with hashes (installs the locks in seconds, in parallel).
if [ "$(cat .venv/.uv.sha 2>/dev/null)" != "$(sha scripts/uv-requirements.txt)" ]; then
  say "Installing the package installer uv (pinned, hash-checked)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    --no-deps -r scripts/uv-requirements.txt
  sha scripts/uv-requirements.txt > .venv/.uv.sha
fi
[ "$mode" = "--venv-only" ] && exit 0

# Every package at its locked version, each file checked against its hash.
install_lock() {
  local lock="$1" stamp=".venv/.$1.sha"
  [ "$(cat "$stamp" 2>/dev/null)" = "$(sha "$lock")" ] && return 0
  say "Installing the packages of $lock (hash-checked)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 .venv/bin/uv pip install --quiet --python .venv/bin/python \
    --require-hashes -r "$lock"
  sha "$lock" > "$stamp"
}
if [ "$mode" = "--test" ]; then
  install_lock requirements-dev.lock
  # The dev lock pins the run-time packages at the run lock's versions.
  sha requirements.lock > .venv/.requirements.lock.sha
else
  install_lock requirements.lock
fi

.venv/bin/python -m scripts.setup_spacy "$@"
bash scripts/setup_web.sh
if [ "$mode" = "--test" ]; then
  bash scripts/setup_test_services.sh
fi
