"""The benchmarks' servers: a `launcher.stack.Stack` (the same command lines as `make run`)
with a random token and its SQLite store in the run's folder, plus what the benchmarks
read from it: the cold start, /model/parse, and memory and CPU from /proc."""
from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path

from launcher import procs
from launcher.settings import ROOT
from launcher.stack import Stack

REGISTRATION_URL = "https://example.org/aanmelden-bench"


def post_json(url: str, payload: dict, timeout: float = 30):
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def start(model: Path, work: Path, credentials: Path = ROOT / "credentials.yml",
          with_actions: bool = True) -> Stack:
    """Start the action server (when the bot has custom actions) and the Rasa server;
    return at once, so `wait_first_answer` measures the cold start."""
    stack = Stack(work, model=model, credentials=credentials, token=secrets.token_urlsafe(16),
                  with_actions=with_actions, env={"OCRN_REGISTRATION_URL": REGISTRATION_URL})
    if with_actions:
        stack.start_actions()
    stack.start_rasa()
    return stack


def wait_first_answer(stack: Stack, timeout: float = 300) -> dict:
    """Poll the REST channel until it answers; the cold start is measured from spawn."""
    deadline = stack.started + timeout
    while time.monotonic() < deadline and all(p.poll() is None for p in stack.procs()):
        t0 = time.monotonic()
        try:
            reply = post_json(f"{stack.url}/webhooks/rest/webhook",
                              {"sender": "bench-coldstart", "message": "hoi"}, timeout=60)
            if reply:
                done = time.monotonic()
                return {"cold_start_s": done - stack.started, "first_reply_s": done - t0}
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    stack.stop()
    raise RuntimeError(f"Rasa server gave no answer within {timeout} s:\n{stack.log_tail()}")


def parse(stack: Stack, text: str) -> dict:
    return post_json(f"{stack.url}/model/parse?token={stack.token}", {"text": text})


def resources(stack: Stack) -> dict:
    out = {"rasa_peak_rss_mb": procs.peak_rss_mb(stack.rasa.pid)}
    if stack.actions:
        out["actions_peak_rss_mb"] = procs.peak_rss_mb(stack.actions.pid)
    return out


def cpu(stack: Stack) -> float:
    """CPU seconds of the stack's servers so far."""
    return sum(procs.cpu_seconds(p.pid) for p in stack.procs())
