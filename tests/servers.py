"""Real servers for the tests: a Rasa server and an action server on free loopback ports.

Used by the session `bot` fixture (tests/conftest.py) and by tests/test_faults.py, which
kills and restarts its own servers. Rasa is started with the flags of scripts/run.sh
(`--enable-api --auth-token`, 127.0.0.1, credentials.yml) and an endpoints file whose
tracker store is the redacting SQLite store in the given work folder.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "ocrn.tar.gz"
VENV_BIN = Path(sys.executable).parent
TOKEN = "test-token"
REGISTRATION_URL = "https://example.org/aanmelden-test"
START_TIMEOUT = 240


def free_port() -> int:
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


class Servers:
    """Start, stop, kill and restart a Rasa server and its action server.

    Ports and the SQLite tracker db stay the same over restarts, so a restarted
    server reads the same conversations back.
    """

    def __init__(self, work: Path, cors: Optional[str] = None, token: str = TOKEN):
        assert MODEL.is_file(), "Train first: make train"
        self.work, self.cors, self.token = Path(work), cors, token
        self.work.mkdir(parents=True, exist_ok=True)
        self.rasa_port, self.action_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.db = self.work / "tracker.db"
        self.endpoints = self.work / "endpoints.yml"
        self.endpoints.write_text(yaml.safe_dump({
            "action_endpoint": {"url": f"http://localhost:{self.action_port}/webhook"},
            "tracker_store": {"type": "tracker_store.redacting.RedactingSQLTrackerStore",
                              "dialect": "sqlite", "db": str(self.db)},
        }))
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
                    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    "OCRN_REGISTRATION_URL": REGISTRATION_URL}
        self.rasa: Optional[subprocess.Popen] = None
        self.actions: Optional[subprocess.Popen] = None
        self._logs: List = []
        self.bot = Bot(self.url, self.token, self.db)

    # -- processes -----------------------------------------------------------------
    def _spawn(self, cmd: List[str], log_name: str) -> subprocess.Popen:
        log = open(self.work / log_name, "a")
        self._logs.append(log)
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log,
                                stderr=subprocess.STDOUT)

    def start_actions(self) -> None:
        self.actions = self._spawn(
            [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
             "--port", str(self.action_port)], "actions.log")

    def start_rasa(self) -> None:
        cmd = [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL),
               "--endpoints", str(self.endpoints), "--credentials", "credentials.yml",
               "--port", str(self.rasa_port), "--interface", "127.0.0.1",
               "--enable-api", "--auth-token", self.token]
        if self.cors:
            cmd += ["--cors", self.cors]
        self.rasa = self._spawn(cmd, "rasa.log")

    def start(self) -> "Servers":
        self.start_actions()
        self.start_rasa()
        self.wait_ready()
        return self

    def rasa_ready(self) -> bool:
        try:
            status = requests.get(f"{self.url}/status", params={"token": self.token}, timeout=2)
            return bool(status.ok and status.json().get("model_file"))
        except requests.RequestException:
            return False

    def actions_ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.action_port}/health", timeout=2).ok
        except requests.RequestException:
            return False

    def wait_ready(self, rasa: bool = True, actions: bool = True,
                   timeout: float = START_TIMEOUT) -> None:
        procs = [p for p, want in ((self.rasa, rasa), (self.actions, actions)) if want]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and all(p.poll() is None for p in procs):
            if (not rasa or self.rasa_ready()) and (not actions or self.actions_ready()):
                return
            time.sleep(1)
        self.stop()
        raise RuntimeError("Servers did not start:\n" + self.log_tail())

    def log_tail(self, name: str = "rasa.log", chars: int = 3000) -> str:
        path = self.work / name
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    @staticmethod
    def _end(proc: Optional[subprocess.Popen], sig: int = signal.SIGTERM) -> None:
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill_rasa(self) -> None:
        """SIGKILL the Rasa server: no shutdown handlers, no flushing."""
        self._end(self.rasa, signal.SIGKILL)

    def stop_actions(self) -> None:
        self._end(self.actions)

    def stop(self) -> None:
        self._end(self.rasa)
        self._end(self.actions)
        for log in self._logs:
            log.close()
        self._logs = []
