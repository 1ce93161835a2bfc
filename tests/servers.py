"""The tests' view of running servers: `Bot`, a REST client for a `launcher.stack.Stack`.

Servers are started by `launcher.stack` only (the same command lines as `make run`);
`test_stack` gives a stack with the tests' token and registration URL.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pytest
import requests

from launcher.settings import MODEL
from launcher.stack import Stack, free_port  # noqa: F401 - free_port is used by the tests
from launcher.training import stale_model_reason

TOKEN = "test-token"
REGISTRATION_URL = "https://example.org/aanmelden-test"


def current_model() -> Path:
    """models/ocrn.tar.gz, or fail with the reason it must not be tested (stale or missing)."""
    reason = stale_model_reason()
    if reason:
        pytest.fail(reason, pytrace=False)
    return MODEL


def test_stack(work: Path, cors: Optional[str] = None, **kwargs) -> Stack:
    """A stack on free loopback ports with its SQLite tracker database in `work`."""
    current_model()
    env = {"OCRN_REGISTRATION_URL": REGISTRATION_URL, **kwargs.pop("env", {})}
    return Stack(work, cors=cors, token=TOKEN, env=env, **kwargs)


test_stack.__test__ = False  # a factory, not a test


class _FromAddress(requests.adapters.HTTPAdapter):
    """Connections from one local address (urllib3's `source_address`)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


@lru_cache(maxsize=None)
def client_for(key: str) -> requests.Session:
    """A session whose connections come from a loopback address of `key`'s own (a sender
    id): each parent comes from their own address, and the channels limit per address, as
    the load benchmark's parents do (bench/load.py)."""
    digest = hashlib.sha256(key.encode()).digest()
    session = requests.Session()
    session.mount("http://127.0.0.1", _FromAddress(f"127.3.{digest[0]}.{digest[1] or 1}"))
    return session


class Bot:
    """A running Rasa server, talked to over real HTTP."""

    def __init__(self, url: str, token: str, db: Optional[Path] = None):
        self.url, self.token, self.db = url, token, db

    @classmethod
    def of(cls, stack: Stack) -> "Bot":
        return cls(stack.url, stack.token, stack.db)

    def send(self, sender, message, timeout=30):
        response = client_for(sender).post(
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
