#!/usr/bin/env bash
# Start the action server, the Rasa server and the widget page on localhost; Ctrl-C stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mkdir -p var/log

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "[run] Stopping ..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[run] Stopped."
}
trap stop INT TERM EXIT

.venv/bin/python scripts/status.py --pipeline-only
.venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
.venv/bin/rasa run --model models/ocrn.tar.gz --endpoints "$RASA_ENDPOINTS" \
  --credentials credentials.yml --port "$RASA_PORT" --interface 127.0.0.1 \
  --enable-api --auth-token "$RASA_AUTH_TOKEN" --cors "$WIDGET_ORIGIN" &
pids+=($!)
.venv/bin/python web/serve.py &
pids+=($!)
# Staff review tool, once a staff account exists (REVIEW_AUTOSTART=1 always, =0 never).
if .venv/bin/python -m review.users autostart; then
  .venv/bin/python -m review.server &
  pids+=($!)
fi

.venv/bin/python scripts/status.py --wait 180
cat <<MSG

  De OCRN-chatassistent draait. / The OCRN assistant is running.
  Open http://localhost:$WIDGET_PORT in je browser (de chat op de website / the website widget).
  REST:  curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook \\
           -H 'Content-Type: application/json' -d '{"sender":"test","message":"Wat is hechting?"}'
  Chat in de terminal / in a terminal: make shell
  Stoppen / stop: Ctrl-C

MSG
wait -n "${pids[@]}"
