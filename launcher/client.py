"""A REST client for a running Rasa server (`Bot`), used by the tests and the benchmarks.

Each sender talks from a loopback address of its own (`client_for`), as the parents of
the load benchmark do, because the channels limit messages per address.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

import requests

from launcher.stack import Stack


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
