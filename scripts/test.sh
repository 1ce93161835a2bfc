#!/usr/bin/env bash
# Every test of the project, in order; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

echo "[test] 1/3 Data validation (rasa data validate, no unexplained warnings)"
bash scripts/validate.sh

echo "[test] 2/3 Story tests (rasa test core --fail-on-prediction-errors)"
.venv/bin/rasa test core --model models/ocrn.tar.gz --stories tests/test_stories.yml \
  --fail-on-prediction-errors --out results/core

echo "[test] 3/3 pytest (NLU accuracy, safety net, age extractor, actions, REST conversations, scale-out)"
bash scripts/setup_services.sh  # PostgreSQL, Redis, nginx for tests/test_scale.py, when missing
.venv/bin/python -m pytest tests "$@"
