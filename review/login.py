"""Login lockout and server-side login sessions.

Lockout: an attempt is first *reserved* (a `pending` row, committed), then the pending
and failed attempts of the last 15 minutes are counted, per account and per address.
Because every attempt is counted after its own row is visible, N guesses sent in
parallel see 1, 2, ... N rows: at most `MAX_ACCOUNT_FAILURES` of them reach the
password check (the old in-memory check-then-count let all of them through). Only
then is the (slow, scrypt) password checked and the row set to `ok` or `failed`.
Per account: guessing one account's password from many addresses stops after 5.
Per address: trying many accounts from one address stops after 20; behind a reverse
proxy set REVIEW_TRUSTED_PROXIES so the address is the client's, not the proxy's
(else one attacker would lock out every staff member).

Sessions: Flask's signed cookie carries only a random id; the `review_logins` row
says whose it is and whether it still holds, so logout, a removed account and a new
password end it on the server at once. Idle expiry (30 min) is the cookie signature's
age (Flask re-signs it on every request); at most 8 hours after login.
"""
from __future__ import annotations

import secrets
import time
from typing import Optional, Tuple

import sqlalchemy as sa

from review.schema import ACCOUNTS, ATTEMPTS, LOGINS

MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
FAILURE_WINDOW = 15 * 60
IDLE_SECONDS = 30 * 60
MAX_SECONDS = 8 * 60 * 60
_COUNTED = ("pending", "failed")


def reserve_attempt(engine: sa.engine.Engine, account: str, address: str) -> Tuple[int, bool]:
    """Record a login attempt before checking the password: (attempt id, allowed)."""
    now = time.time()
    with engine.begin() as db:
        db.execute(ATTEMPTS.delete().where(ATTEMPTS.c.at < now - 24 * 3600))
        attempt = db.execute(ATTEMPTS.insert().values(at=now, account=account[:64], address=address[:64],
                                                      outcome="pending")).inserted_primary_key[0]
    recent = [ATTEMPTS.c.at >= now - FAILURE_WINDOW, ATTEMPTS.c.outcome.in_(_COUNTED)]
    with engine.connect() as db:
        per_account = db.execute(sa.select(sa.func.count()).select_from(ATTEMPTS).where(
            ATTEMPTS.c.account == account[:64], *recent)).scalar()
        per_address = db.execute(sa.select(sa.func.count()).select_from(ATTEMPTS).where(
            ATTEMPTS.c.address == address[:64], *recent)).scalar()
    allowed = per_account <= MAX_ACCOUNT_FAILURES and per_address <= MAX_ADDRESS_FAILURES
    if not allowed:
        finish_attempt(engine, attempt, "blocked")
    return attempt, allowed


def finish_attempt(engine: sa.engine.Engine, attempt: int, outcome: str) -> None:
    with engine.begin() as db:
        db.execute(ATTEMPTS.update().where(ATTEMPTS.c.id == attempt).values(outcome=outcome))


def start_session(db: sa.engine.Connection, account: str, address: str) -> str:
    sid = secrets.token_urlsafe(32)
    db.execute(LOGINS.insert().values(sid=sid, account=account, address=address[:64], started=time.time()))
    return sid


def session_user(engine: sa.engine.Engine, sid: Optional[str]) -> Optional[Tuple[str, str]]:
    """(account, role) of a live session, else None."""
    if not sid:
        return None
    query = (sa.select(ACCOUNTS.c.name, ACCOUNTS.c.role)
             .select_from(LOGINS.join(ACCOUNTS, ACCOUNTS.c.name == LOGINS.c.account))
             .where(LOGINS.c.sid == sid, LOGINS.c.ended.is_(None), LOGINS.c.started > time.time() - MAX_SECONDS))
    with engine.connect() as db:
        row = db.execute(query).first()
    return tuple(row) if row else None


def end_session(db: sa.engine.Connection, sid: Optional[str]) -> None:
    if sid:
        db.execute(LOGINS.update().where(LOGINS.c.sid == sid, LOGINS.c.ended.is_(None)).values(ended=time.time()))
