"""Start a Rasa server (plus action server) on loopback, with the flags of scripts/run.sh.

Same flags as `make run`: `--enable-api --auth-token`, an endpoints file whose tracker
store is SQLite in the run's temp dir, and `rasa run actions` when the bot has
custom actions. Also reads the processes' peak memory and CPU time from /proc.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional

import yaml

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")


def server_env() -> dict:
    """The environment of scripts/env.sh, without touching var/rasa_token."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> List[int]:
    """pid and every process below it (the rasa CLI may fork workers)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process tree, in MiB."""
    total = 0
    for p in _descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def post_json(url: str, payload: dict, timeout: float = 30):
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Stack:
    """A Rasa server and, optionally, its action server, on free loopback ports."""

    def __init__(self, name: str, model: Path, work: Path, credentials: Path,
                 tracker_store_type: str, with_actions: bool):
        self.name, self.work = name, work
        work.mkdir(parents=True, exist_ok=True)
        self.token = secrets.token_urlsafe(16)
        rasa_port = free_port()
        self.url = f"http://127.0.0.1:{rasa_port}"
        endpoints = {"tracker_store": {"type": tracker_store_type, "dialect": "sqlite",
                                       "db": str(work / "tracker.db")}}
        self.action_proc: Optional[subprocess.Popen] = None
        self.logs = []
        env = {**server_env(), "OCRN_REGISTRATION_URL": "https://example.org/aanmelden-bench"}
        if with_actions:
            action_port = free_port()
            self.action_health = f"http://127.0.0.1:{action_port}/health"
            endpoints["action_endpoint"] = {"url": f"http://localhost:{action_port}/webhook"}
            self.action_proc = self._spawn(
                [RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                "actions.log", env)
        (work / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
        self.started = time.monotonic()
        self.rasa_proc = self._spawn(
            [RASA, "run", "--model", str(model), "--endpoints", str(work / "endpoints.yml"),
             "--credentials", str(credentials), "--port", str(rasa_port),
             "--interface", "127.0.0.1", "--enable-api", "--auth-token", self.token,
             "--cors", "http://localhost:8080"],
            "rasa.log", env)

    def _spawn(self, cmd: List[str], log_name: str, env: dict) -> subprocess.Popen:
        log = open(self.work / log_name, "w")
        self.logs.append(log)
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def procs(self):
        return [p for p in (self.rasa_proc, self.action_proc) if p]

    def wait_first_answer(self, timeout: float = 300) -> dict:
        """Poll the REST channel until it answers; the cold start is measured from spawn."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.procs()):
                break
            t0 = time.monotonic()
            try:
                reply = post_json(f"{self.url}/webhooks/rest/webhook",
                                  {"sender": "bench-coldstart", "message": "hoi"}, timeout=60)
                if reply:
                    done = time.monotonic()
                    return {"cold_start_s": done - self.started, "first_reply_s": done - t0}
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        log = (self.work / "rasa.log").read_text()[-3000:]
        raise RuntimeError(f"{self.name}: Rasa server gave no answer within {timeout} s:\n{log}")

    def wait_actions(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.action_proc and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.action_health, timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        if self.action_proc:
            self.stop()
            raise RuntimeError(f"{self.name}: action server did not start")

    def parse(self, text: str) -> dict:
        return post_json(f"{self.url}/model/parse?token={self.token}", {"text": text})

    def resources(self) -> dict:
        out = {"rasa_peak_rss_mb": peak_rss_mb(self.rasa_proc.pid)}
        if self.action_proc:
            out["actions_peak_rss_mb"] = peak_rss_mb(self.action_proc.pid)
        return out

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.procs())

    def stop(self) -> None:
        for proc in self.procs():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.logs:
            log.close()
