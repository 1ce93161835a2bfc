"""The tests' view of running servers: `Bot`, a REST client for a `launcher.stack.Stack`.

Servers are started by `launcher.stack` only (the same command lines as `make run`);
`test_stack` gives a stack with the tests' token and registration URL.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest

from launcher.client import Bot, client_for  # noqa: F401 - used by the tests
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
