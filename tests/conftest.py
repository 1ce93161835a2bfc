"""Shared fixtures: the trained model, and real servers started for the tests."""
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "ocrn.tar.gz"
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def nlu_examples(path: Path):
    """(text, intent) pairs of a Rasa NLU YAML file."""
    pairs = []
    for block in load_yaml(path)["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()
            if text.startswith("- "):
                pairs.append((text[2:].strip(), block["intent"]))
    return pairs


@pytest.fixture(scope="session")
def agent():
    """The trained model, loaded in-process."""
    from rasa.core.agent import Agent

    assert MODEL.is_file(), "Train first: make train"
    return Agent.load(str(MODEL))


@pytest.fixture(scope="session")
def parse(agent):
    loop = asyncio.new_event_loop()

    def _parse(text):
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bot:
    """A running Rasa server plus action server, talked to over real HTTP."""

    def __init__(self, url, token, db):
        self.url, self.token, self.db = url, token, db

    def send(self, sender, message, timeout=30):
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def say(self, sender, message):
        """The bot's reply texts joined, and the button payloads, for one message."""
        replies = self.send(sender, message)
        text = "\n".join(r.get("text", "") for r in replies)
        payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
        return text, payloads

    def tracker(self, sender):
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.token}, timeout=10,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def widget_origin():
    """Where tests/test_widget.py serves the widget page; the Rasa server allows it (CORS)."""
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture(scope="session")
def bot(tmp_path_factory, widget_origin):
    """Start the real action server and Rasa server (REST + socketio, SQLite tracker store)."""
    assert MODEL.is_file(), "Train first: make train"
    work = tmp_path_factory.mktemp("servers")
    rasa_port, action_port = _free_port(), _free_port()
    db = work / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({
        "action_endpoint": {"url": f"http://localhost:{action_port}/webhook"},
        "tracker_store": {"type": "tracker_store.redacting.RedactingSQLTrackerStore", "dialect": "sqlite", "db": str(db)},
    }))
    token = "test-token"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "OCRN_REGISTRATION_URL": "https://example.org/aanmelden-test"}
    logs = [open(work / "actions.log", "w"), open(work / "rasa.log", "w")]
    procs = [
        subprocess.Popen([str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
                          "--port", str(action_port)], cwd=ROOT, env=env,
                         stdout=logs[0], stderr=subprocess.STDOUT),
        subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--model", str(MODEL),
                          "--endpoints", str(endpoints), "--credentials", "credentials.yml",
                          "--port", str(rasa_port), "--interface", "127.0.0.1",
                          "--enable-api", "--auth-token", token, "--cors", widget_origin],
                         cwd=ROOT, env=env,
                         stdout=logs[1], stderr=subprocess.STDOUT),
    ]
    url = f"http://127.0.0.1:{rasa_port}"
    deadline = time.monotonic() + 240
    ready = False
    while time.monotonic() < deadline and all(p.poll() is None for p in procs):
        try:
            status = requests.get(f"{url}/status", params={"token": token}, timeout=2)
            health = requests.get(f"http://127.0.0.1:{action_port}/health", timeout=2)
            ready = status.ok and status.json().get("model_file") and health.ok
        except requests.RequestException:
            ready = False
        if ready:
            break
        time.sleep(1)
    if not ready:
        for proc in procs:
            proc.kill()
        raise RuntimeError("Servers did not start:\n" + (work / "rasa.log").read_text()[-3000:])
    yield Bot(url, token, db)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    for log in logs:
        log.close()
