"""Health of a local run: which spaCy pipeline is active, and do the servers answer?"""
from __future__ import annotations

import time

import requests

from components import spacy_pipeline
from launcher.settings import Settings


def pipeline_line() -> str:
    try:
        pipeline = spacy_pipeline.resolve()
    except spacy_pipeline.PipelineMissing as missing:
        return f"spaCy pipeline: MISSING ({missing})"
    prefix = "WARNING " if pipeline.is_fallback else ""
    return f"{prefix}spaCy pipeline: {pipeline.describe()}"


def _get(url: str, **params):
    try:
        response = requests.get(url, params=params, timeout=3)
        return response.json(), None
    except (requests.RequestException, ValueError) as error:
        return None, str(error)


def servers(settings: Settings, token: str) -> dict:
    rasa_status, rasa_error = _get(f"http://127.0.0.1:{settings.rasa_port}/status", token=token)
    health, action_error = _get(f"http://127.0.0.1:{settings.action_port}/health")
    model = rasa_status.get("model_file") if isinstance(rasa_status, dict) else None
    actions_up = isinstance(health, dict) and health.get("status") == "ok"
    return {
        "rasa": f"up, model {model}" if model else f"down or no model ({rasa_error or rasa_status})",
        "actions": "up" if actions_up else f"down ({action_error or health})",
        "ready": bool(model) and actions_up,
    }


def main(settings: Settings, token: str, wait: float = 0) -> int:
    print(f"[status] {pipeline_line()}", flush=True)
    deadline = time.monotonic() + wait
    state = servers(settings, token)
    while not state["ready"] and time.monotonic() < deadline:
        time.sleep(1)
        state = servers(settings, token)
    print(f"[status] Rasa server:   {state['rasa']}")
    print(f"[status] Action server: {state['actions']}")
    return 0 if state["ready"] else 1
