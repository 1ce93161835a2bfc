#!/usr/bin/env bash
# Train the model only when data, config, domain, components or the spaCy pipeline changed.
set -euo pipefail
cd "$(dirname "$0")/.."

model=models/ocrn.tar.gz
stamp=models/ocrn.stamp
pipeline="$(.venv/bin/python -c 'from components.spacy_pipeline import resolve; print(resolve().name)')"
want="$( { cat config.yml domain.yml data/*.yml components/*.py; echo "$pipeline"; } | sha256sum | cut -d' ' -f1)"

if [ "${1:-}" != "--force" ] && [ -f "$model" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "[train] Nothing changed since the last training: using $model"
  exit 0
fi
echo "[train] Training the model (spaCy pipeline: $pipeline). This takes a few minutes."
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name ocrn --out models --force
echo "$want" > "$stamp"
echo "[train] Done in $(( $(date +%s) - start )) s: $model"
