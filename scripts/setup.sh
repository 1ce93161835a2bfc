#!/usr/bin/env bash
# Set up what is missing: Python 3.10 venv, pinned packages, the Dutch spaCy pipeline,
# the website widget's npm packages and Chromium (scripts/setup_web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if [ ! -x .venv/bin/python ]; then
  py="${PYTHON:-}"
  if [ -z "$py" ] && command -v pyenv >/dev/null 2>&1; then
    py="$(pyenv which python 2>/dev/null || true)"   # honours .python-version
  fi
  wanted="$(cat .python-version)"
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

stamp=.venv/.requirements.sha
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing pinned packages (Rasa 3.6.21, spaCy 3.4; takes a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.0
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 .venv/bin/python -m pip install --disable-pip-version-check --progress-bar on \
    -r requirements.txt -r requirements-dev.txt
  echo "$want" > "$stamp"
fi

.venv/bin/python scripts/setup_spacy.py "$@"
bash scripts/setup_web.sh
