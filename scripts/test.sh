#!/usr/bin/env bash
# Every test of the project, in order; stops at the first failure (make test).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[test] 1/4 Lint (ruff)"
.venv/bin/ruff check .

echo "[test] 2/4 Data validation (rasa data validate, no unexplained warnings)"
bash scripts/validate.sh

echo "[test] 3/4 Story tests (rasa test core --fail-on-prediction-errors)"
bash scripts/story_tests.sh

echo "[test] 4/4 pytest (unit, integration with real servers, browser, scale-out)"
.venv/bin/python -m pytest "$@"
