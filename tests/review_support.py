"""Shared pieces of the staff review tool's tests: the review server on the test stack's
database, staff accounts, logging in over HTTP with the CSRF token, and the commands.

tests/conftest.py loads this module as a plugin, so its fixtures (`review`, `staff`,
`admin`) are there for every test module; each module that uses them gets its own review
server (module scope, about 2 s to start). `own_store` is a review server on a tracker
store of its own, without Rasa, for tests that write the events themselves
(`store_events`); such a module overrides `review` with it (tests/test_review_alarms.py).
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import pytest
import requests
import sqlalchemy as sa

from servers import Stack, free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een lang wachtwoord 42"
ACCOUNTS = {"medewerker": "medewerker", "beheer": "beheerder"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sender(kind: str) -> str:
    return f"review-{kind}-{uuid.uuid4().hex[:8]}"


def python(*args, env=None, stdin=None, timeout=300):
    """`python -m <args>` in the project root; the completed process."""
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          input=stdin, capture_output=True, text=True, timeout=timeout)


def csrf_token(session: requests.Session, url: str) -> str:
    """The CSRF token of the form on the page at `url` (a GET with this session)."""
    page = session.get(url, timeout=30)
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


def login(base: str, name: str, password: str = PASSWORD, address: Optional[str] = None,
          next_page: str = "/") -> requests.Response:
    """One login attempt as a browser makes it (GET the form, POST it with its token), from
    `address` (sent as X-Forwarded-For: the test server trusts the loopback proxy)."""
    session = requests.Session()
    if address:
        session.headers["X-Forwarded-For"] = address
    token = csrf_token(session, f"{base}/login")
    response = session.post(f"{base}/login", data={"csrf_token": token, "name": name, "password": password,
                                                   "next": next_page}, allow_redirects=False, timeout=60)
    response.session = session
    return response


def signed_in(base: str, name: str, address: Optional[str] = None) -> requests.Session:
    response = login(base, name, address=address)
    assert response.status_code == 303, response.text[:500]
    return response.session


def post_form(session: requests.Session, base: str, page: str, to: str, **data) -> requests.Response:
    """Submit a form of `page` (its CSRF token) to the path `to`, without following the redirect."""
    token = csrf_token(session, base + page)
    return session.post(base + to, data={"csrf_token": token, **data}, allow_redirects=False, timeout=60)


def events_of(db: Path, sender_id: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select count(*) from events where sender_id = ?", (sender_id,)).fetchone()[0]


def audit_rows(db: Path, action: Optional[str] = None, target: Optional[str] = None) -> list:
    query, args = "select account, address, action, target, details, at from review_audit where 1=1", []
    if action:
        query, args = query + " and action = ?", args + [action]
    if target:
        query, args = query + " and target = ?", args + [target]
    with sqlite3.connect(db) as connection:
        return connection.execute(query + " order by id", args).fetchall()


def store_events(db: Path, sender_id: str, events: Iterable[dict]) -> None:
    """Append events (as Rasa serialises them) to the tracker store's `events` table, filling
    its columns as Rasa's SQLTrackerStore does."""
    rows = [(sender_id, e["event"], e["timestamp"],
             (e.get("parse_data") or {}).get("intent", {}).get("name") if e["event"] == "user" else None,
             e.get("name") if e["event"] in ("action", "slot") else None, json.dumps(e)) for e in events]
    with sqlite3.connect(db) as connection:
        connection.executemany("insert into events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                               "values (?, ?, ?, ?, ?, ?)", rows)


def start_review(stack: Stack, more_env: Optional[dict] = None) -> str:
    """The review server on a free port, reading `stack`'s tracker store, with a medewerker
    and a beheerder account; it trusts 127.0.0.1 as a reverse proxy, so tests can act from
    different client addresses (X-Forwarded-For). `more_env`: further settings of the
    server (REVIEW_NOTIFY_TO ...). Its URL."""
    env = {"REVIEW_TRUSTED_PROXY": "127.0.0.1", "RASA_ENDPOINTS": str(stack.endpoints), **(more_env or {})}
    for name, role in ACCOUNTS.items():
        created = python("review.users", "add", name, "--role", role, "--replace", env=env, stdin=PASSWORD + "\n")
        assert created.returncode == 0, created.stderr
    url = stack.start_review(free_port(), env)
    stack.wait_http(f"{url}/login", stack.review, timeout=60)
    return url


@pytest.fixture(scope="module")
def review(stack, bot):
    """The review server (`start_review`) on the bot's database."""
    yield start_review(stack)
    stack.end(stack.review, grace=10)


@dataclass
class OwnStore:
    url: str  # the review server
    db: Path  # its SQLite tracker store


@pytest.fixture(scope="module")
def own_store(tmp_path_factory):
    """The review server (`start_review`) on an empty SQLite tracker store of its own (Rasa's
    own `events` table, the redacting store's endpoints file), without a Rasa server: the
    tests write the events (`store_events`). Needs no trained model."""
    from bench.review_data import create_events_table

    stack = Stack(tmp_path_factory.mktemp("own-store"), with_actions=False)
    create_events_table(sa.create_engine(f"sqlite:///{stack.db}"))
    try:
        yield OwnStore(start_review(stack), stack.db)
    finally:
        stack.stop(grace=10)


@pytest.fixture(scope="module")
def staff(review):
    """A medewerker's logged-in session."""
    return signed_in(review, "medewerker")


@pytest.fixture(scope="module")
def admin(review):
    """A beheerder's logged-in session."""
    return signed_in(review, "beheer")


def write_audit_in_parallel(engine, writers: int = 8, each: int = 15) -> None:
    """`writers` threads log `each` access-log rows at the same moment (the chain must not fork)."""
    import threading

    from review import audit

    barrier = threading.Barrier(writers)

    def write_some(n):
        barrier.wait()
        for i in range(each):
            audit.log(engine, f"medewerker{n}", "transcript", f"gesprek-{i}")

    threads = [threading.Thread(target=write_some, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def chat_events(at: float, turns, seed: int = 5) -> list:
    """The events Rasa stores for a conversation the widget opened at `at`, then `turns`:
    (seconds after `at`, text, intent, confidence, extra parse data, the bot's answers)."""
    from bench.review_data import Generator

    g = Generator(seed=seed)
    events = [g._action(at, "action_session_start"), g._event("session_started", at + 0.001),
              g._action(at + 0.002, "action_listen")]
    events += g._turn(at + 1, g._user(at + 1, "/greet", "greet", 1.0), ["utter_greet"])
    for after, text, intent, confidence, parse, answer in turns:
        events += g._turn(at + after, g._user(at + after, text, intent, confidence, **parse), answer)
    return events


def danger_parse(level, probability, kind, rule=None) -> dict:
    """The danger model's key in a message's parse data (components/danger.py)."""
    return {"danger": {"probability": probability, "kind": kind, "rule": rule, "level": level}}
