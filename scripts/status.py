"""Health and status of the assistant: spaCy pipeline, Rasa server, action server.

    python scripts/status.py                 # one look
    python scripts/status.py --wait 180      # wait until both servers answer
    python scripts/status.py --pipeline-only # only which spaCy pipeline is active
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components import spacy_pipeline  # noqa: E402


def pipeline_line() -> str:
    try:
        pipeline = spacy_pipeline.resolve()
    except spacy_pipeline.PipelineMissing as missing:
        return f"spaCy pipeline: MISSING ({missing})"
    prefix = "WARNING " if pipeline.is_fallback else ""
    return f"{prefix}spaCy pipeline: {pipeline.describe()}"


def get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            body = response.read().decode()
    except (urllib.error.URLError, OSError) as error:
        return None, str(getattr(error, "reason", error))
    try:
        return json.loads(body), None
    except ValueError:
        return body, None


def servers() -> dict:
    rasa = f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
    actions = f"http://localhost:{os.environ.get('ACTION_PORT', '5055')}"
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    status, error = get_json(f"{rasa}/status?token={token}")
    health, action_error = get_json(f"{actions}/health")
    model = status.get("model_file") if isinstance(status, dict) else None
    return {
        "rasa": f"up, model {model}" if model else f"down or no model ({error or status})",
        "actions": "up" if isinstance(health, dict) and health.get("status") == "ok"
        else f"down ({action_error})",
        "ready": bool(model) and isinstance(health, dict),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wait", type=float, default=0)
    parser.add_argument("--pipeline-only", action="store_true")
    args = parser.parse_args()
    print(f"[status] {pipeline_line()}", flush=True)
    if args.pipeline_only:
        return 0
    deadline = time.monotonic() + args.wait
    state = servers()
    while not state["ready"] and time.monotonic() < deadline:
        time.sleep(1)
        state = servers()
    print(f"[status] Rasa server:   {state['rasa']}")
    print(f"[status] Action server: {state['actions']}")
    return 0 if state["ready"] else 1


if __name__ == "__main__":
    sys.exit(main())
