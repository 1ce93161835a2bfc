"""Settings of a local run, read once from the environment (docs/configuration.md).

Every value has a default for one machine on localhost; every server listens on
127.0.0.1 unless a *_HOST variable says otherwise.
"""
from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
MODEL = ROOT / "models" / "ocrn.tar.gz"
VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
PYTHON = sys.executable
REDACTING_STORE = "tracker_store.redacting.RedactingSQLTrackerStore"

# Quiet, private servers: no telemetry, no TensorFlow chatter, no SQLAlchemy 2.0 banner.
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
             "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def server_env(extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """This process's environment with the quiet settings and `extra` on top."""
    return {**os.environ, **QUIET_ENV, **(extra or {})}


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by this user only: it holds conversations."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def auth_token(var: Path = VAR) -> str:
    """RASA_AUTH_TOKEN, else the token kept in var/rasa_token (made on first use, 0600).

    Rasa's HTTP API is never open without a token."""
    token = os.environ.get("RASA_AUTH_TOKEN", "").strip()
    if token:
        return token
    path = private_dir(var) / "rasa_token"
    if not path.is_file() or not path.read_text().strip():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


@dataclass(frozen=True)
class Settings:
    rasa_port: int
    action_port: int
    action_host: str
    widget_port: int
    widget_origin: str
    rasa_public_url: str
    review_port: int
    endpoints: str

    @classmethod
    def from_env(cls) -> "Settings":
        rasa_port = int(_env("RASA_PORT", "5005"))
        widget_port = int(_env("WIDGET_PORT", "8080"))
        return cls(
            rasa_port=rasa_port,
            action_port=int(_env("ACTION_PORT", "5055")),
            action_host=_env("ACTION_HOST", "127.0.0.1"),
            widget_port=widget_port,
            widget_origin=_env("WIDGET_ORIGIN", f"http://localhost:{widget_port}"),
            rasa_public_url=_env("RASA_PUBLIC_URL", f"http://localhost:{rasa_port}"),
            review_port=int(_env("REVIEW_PORT", "8081")),
            endpoints=_env("RASA_ENDPOINTS", "endpoints.yml"),
        )
