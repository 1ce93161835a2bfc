#!/usr/bin/env bash
# Train the model only when config, domain, data, components or the spaCy pipeline changed
# (the stamp of launcher/training.py, which the tests check too); --force trains anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m launcher.training "$@"
