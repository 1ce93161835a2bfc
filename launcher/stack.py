"""Start, wait for, kill and stop the OCRN servers: the command lines live here only.

A `Stack` is one Rasa server and (optionally) its action server, plus on request the
widget page and the staff review tool. `make run` uses one with the ports of
`launcher.settings`; the tests and benchmarks use free loopback ports and a work folder
of their own. Children are started with umask 077, so the SQLite tracker database and
its -wal/-shm files are readable by this user only.
"""
from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO, Dict, List, Optional

import requests
import yaml

from launcher.rasa_cli import TOKEN_ENV
from launcher.settings import MODEL, PYTHON, REDACTING_STORE, ROOT, private_dir, server_env

START_TIMEOUT = 240
PRIVATE_UMASK = 0o077


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlite_endpoints(path: Path, db: Path, action_port: Optional[int]) -> Path:
    """Write an endpoints file: the redacting SQLite store at `db`, the action server."""
    config: Dict = {"tracker_store": {"type": REDACTING_STORE, "dialect": "sqlite", "db": str(db)}}
    if action_port:
        config["action_endpoint"] = {"url": f"http://127.0.0.1:{action_port}/webhook"}
    path.write_text(yaml.safe_dump(config))
    return path


# --- command lines -----------------------------------------------------------------

def rasa_command(model: Path, endpoints: Path, port: int,
                 credentials: Path = ROOT / "credentials.yml",
                 cors: Optional[str] = None) -> List[str]:
    """`rasa run` as every server of this project runs: 127.0.0.1, API behind a token.

    The token goes in the environment (`rasa_token_env`), never on the command line.
    """
    cmd = [PYTHON, "-m", "launcher.rasa_cli", "run", "--model", str(model), "--endpoints", str(endpoints),
           "--credentials", str(credentials), "--port", str(port), "--interface", "127.0.0.1",
           "--enable-api"]
    return cmd + (["--cors", cors] if cors else [])


def rasa_token_env(token: str) -> Dict[str, str]:
    """The environment that gives `rasa_command` its API token (launcher/rasa_cli.py)."""
    return {TOKEN_ENV: token}


def actions_command(port: int) -> List[str]:
    """The action server; its address comes from SANIC_HOST (see `actions_env`)."""
    return [PYTHON, "-m", "actions.server", "--actions", "actions", "--port", str(port)]


def actions_env(host: str = "127.0.0.1") -> Dict[str, str]:
    """rasa-sdk 3.6 binds to $SANIC_HOST, else to 0.0.0.0 (every interface)."""
    return {"SANIC_HOST": host}


def widget_command() -> List[str]:
    return [PYTHON, str(ROOT / "web" / "serve.py")]


def review_command(port: int) -> List[str]:
    return [PYTHON, "-m", "review.server", "--port", str(port)]


# --- processes ---------------------------------------------------------------------

class Stack:
    """A Rasa server and its action server (and widget page, review tool) on loopback.

    Args:
        work: folder for logs and, without `endpoints`, the SQLite tracker database;
            created readable by this user only.
        endpoints: an endpoints file to use as it is; default: one written into `work`
            with the redacting SQLite store `work/tracker.db`.
        rasa_port, action_port: default free ports; the same over restarts.
        with_actions: start an action server (False: a bot without custom actions, or
            one that shares another stack's action server via `action_port`).
        logs: write each server's output to `work/<name>.log` (False: to this terminal).
    """

    def __init__(self, work: Path, *, model: Path = MODEL, endpoints: Optional[Path] = None,
                 credentials: Path = ROOT / "credentials.yml", token: str = "test-token",
                 cors: Optional[str] = None, rasa_port: Optional[int] = None,
                 action_port: Optional[int] = None, action_host: str = "127.0.0.1",
                 with_actions: bool = True, env: Optional[Dict[str, str]] = None,
                 logs: bool = True):
        self.work = private_dir(Path(work))
        self.model, self.credentials, self.token, self.cors = Path(model), credentials, token, cors
        self.rasa_port = rasa_port or free_port()
        self.action_port = action_port or (free_port() if with_actions else None)
        self.action_host, self.with_actions, self.logs = action_host, with_actions, logs
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.db: Optional[Path] = None
        if endpoints is None:
            self.db = self.work / "tracker.db"
            endpoints = sqlite_endpoints(self.work / "endpoints.yml", self.db, self.action_port)
        self.endpoints = Path(endpoints)
        self.env = server_env(env)
        self.rasa: Optional[subprocess.Popen] = None
        self.actions: Optional[subprocess.Popen] = None
        self.widget: Optional[subprocess.Popen] = None
        self.review: Optional[subprocess.Popen] = None
        self.started = time.monotonic()
        self._logs: List[IO] = []

    def spawn(self, cmd: List[str], name: str, env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
        out = None
        if self.logs:
            out = open(self.work / f"{name}.log", "a")
            self._logs.append(out)
        return subprocess.Popen(cmd, cwd=ROOT, env={**self.env, **(env or {})}, stdout=out,
                                stderr=subprocess.STDOUT if out else None, umask=PRIVATE_UMASK)

    def start_actions(self) -> None:
        self.actions = self.spawn(actions_command(self.action_port), "actions",
                                  actions_env(self.action_host))

    def start_rasa(self) -> None:
        if not self.model.is_file():
            raise RuntimeError(f"No trained model at {self.model}: run `make train` first")
        self.started = time.monotonic()
        # The socket.io channel checks the handshake's Origin against WIDGET_ORIGIN.
        env = {**rasa_token_env(self.token), **({"WIDGET_ORIGIN": self.cors} if self.cors else {})}
        self.rasa = self.spawn(rasa_command(self.model, self.endpoints, self.rasa_port,
                                            self.credentials, self.cors), "rasa", env)

    def start_widget(self, port: int, public_url: Optional[str] = None) -> str:
        """The widget page on 127.0.0.1:`port`, for a Rasa server at `public_url`; its URL."""
        self.widget = self.spawn(widget_command(), "widget", {
            "WIDGET_HOST": "127.0.0.1", "WIDGET_PORT": str(port),
            "RASA_PUBLIC_URL": public_url or self.url})
        return f"http://127.0.0.1:{port}"

    def start_review(self, port: int, env: Optional[Dict[str, str]] = None) -> str:
        """The staff review tool on 127.0.0.1:`port`, reading this stack's tracker store."""
        self.review = self.spawn(review_command(port), "review",
                                 {"RASA_ENDPOINTS": str(self.endpoints), **(env or {})})
        return f"http://127.0.0.1:{port}"

    def start(self, timeout: float = START_TIMEOUT) -> "Stack":
        """Start the action server and the Rasa server; return once both answer."""
        if self.with_actions:
            self.start_actions()
        self.start_rasa()
        self.wait_ready(timeout=timeout)
        return self

    # -- readiness ------------------------------------------------------------------
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

    def wait_http(self, url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
        """Wait until `url` answers any HTTP status while `proc` runs; raise otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                requests.get(url, timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer (exit code {proc.poll()})")

    def wait_ready(self, rasa: bool = True, actions: Optional[bool] = None,
                   timeout: float = START_TIMEOUT) -> None:
        """Wait until the chosen servers answer; stop everything and raise otherwise.

        `actions` defaults to whether this stack has an action server of its own.
        """
        actions = self.with_actions if actions is None else actions
        procs = [p for p, want in ((self.rasa, rasa), (self.actions, actions)) if want]
        if None in procs:
            raise RuntimeError("wait_ready: a server to wait for was never started")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and all(p.poll() is None for p in procs):
            if (not rasa or self.rasa_ready()) and (not actions or self.actions_ready()):
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("Servers did not start:\n" + self.log_tail())

    def log_tail(self, name: str = "rasa", chars: int = 3000) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    # -- stopping -------------------------------------------------------------------
    def procs(self) -> List[subprocess.Popen]:
        return [p for p in (self.rasa, self.actions, self.widget, self.review) if p]

    @staticmethod
    def end(proc: Optional[subprocess.Popen], sig: int = signal.SIGTERM, grace: float = 20) -> None:
        """Send `sig`; SIGKILL after `grace` seconds."""
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill_rasa(self) -> None:
        """SIGKILL the Rasa server: no shutdown handlers, no flushing."""
        self.end(self.rasa, signal.SIGKILL)

    def stop_actions(self) -> None:
        self.end(self.actions)

    def stop(self, grace: float = 20) -> None:
        """Stop every server of this stack (SIGTERM at once, SIGKILL after `grace`)."""
        for proc in self.procs():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + grace
        for proc in self.procs():
            self.end(proc, grace=max(0.1, deadline - time.monotonic()))
        for log in self._logs:
            log.close()
        self._logs = []
