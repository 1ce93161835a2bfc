#!/usr/bin/env bash
# The story tests, one command for make test (scripts/test.sh) and make check-content.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/rasa test core --model models/ocrn.tar.gz --stories tests/test_stories.yml \
  --fail-on-prediction-errors --out results/core
