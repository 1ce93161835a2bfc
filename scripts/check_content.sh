#!/usr/bin/env bash
# Everything a content change must pass, in the order that fails fastest (make check-content).
# `make check-content` has trained the model already when the data changed.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "[check-content] 1/5 Data validation"
bash scripts/validate.sh
echo "[check-content] 2/5 Story tests"
bash scripts/story_tests.sh
echo "[check-content] 3/5 Fast tests (topic table, answers, content, names)"
.venv/bin/python -m pytest -m unit -q
echo "[check-content] 4/5 Held-out messages (tests/nlu_heldout.yml)"
.venv/bin/python -m pytest tests/test_nlu.py -q
echo "[check-content] 5/5 Held-out conversations (tests/data/conversations_heldout/)"
.venv/bin/python -m pytest tests/test_conversation_quality.py tests/test_conversations.py -q
