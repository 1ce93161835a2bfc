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

Unknown names: a failed login with a name that is no account is not stored as a row of
its own (the name may be a password typed in the wrong field, and a flood of made-up
names would add a row each, for good). It is counted in `review_login_unknown`, one row
per address and quarter of an hour (`FAILURE_WINDOW`) with the number failed and
blocked; `flush_unknown` writes each closed quarter to the access log as one entry
(`login_failed_unknown`), at the next login attempt or when the log is read. The
address limit counts these rows for this and the previous quarter (so an address may
stay locked up to 30 minutes, the safe side). The per-name limit of an unknown name is
kept in memory only (hashed), so that an unknown name locks after 5 failures as an
account does and the lockout does not tell which names exist.

Sessions: Flask's signed cookie carries only a random id; the `review_logins` row
says whose it is and whether it still holds, so logout, a removed account and a new
password end it on the server at once. Idle expiry (30 min) is the cookie signature's
age (Flask re-signs it on every request); at most 8 hours after login.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa

from review import audit
from review.schema import ACCOUNTS, ATTEMPTS, LOGINS, UNKNOWN_LOGINS

MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
FAILURE_WINDOW = 15 * 60
IDLE_SECONDS = 30 * 60
MAX_SECONDS = 8 * 60 * 60
_COUNTED = ("pending", "failed")
UNKNOWN_ACCOUNT = "(onbekende naam)"  # the access log's account of those entries: never a valid name
_MAX_NAMES = 10000  # unknown names remembered in memory at most


@dataclass
class Attempt:
    """One login attempt: a row of `review_login_attempts` (a known account), or a count in
    `review_login_unknown` (a name that is no account)."""
    id: Optional[int]
    address: str
    quarter: float = 0.0  # the quarter counted in, for an unknown name

    @property
    def known(self) -> bool:
        return self.id is not None


class _UnknownNames:
    """Recent failures per unknown name, in this process's memory (hashed names only)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._failures: Dict[str, List[float]] = {}

    def add(self, name: str, now: float) -> int:
        """Count one failure of `name`; the failures of the last window, this one included."""
        key = hashlib.sha256(name.encode("utf-8")).hexdigest()
        with self._lock:
            if len(self._failures) >= _MAX_NAMES:
                self._failures = {k: t for k, t in self._failures.items() if t[-1] >= now - FAILURE_WINDOW}
                if len(self._failures) >= _MAX_NAMES:  # a flood of names: forget the oldest half
                    keep = sorted(self._failures.items(), key=lambda item: item[1][-1])[_MAX_NAMES // 2:]
                    self._failures = dict(keep)
            recent = [t for t in self._failures.get(key, []) if t >= now - FAILURE_WINDOW] + [now]
            self._failures[key] = recent
            return len(recent)

    def drop(self, name: str, at: float) -> None:
        """Forget one failure counted at `at` (the attempt was blocked, or succeeded after all)."""
        key = hashlib.sha256(name.encode("utf-8")).hexdigest()
        with self._lock:
            if at in self._failures.get(key, []):
                self._failures[key].remove(at)


_UNKNOWN: Dict[str, _UnknownNames] = {}
_UNKNOWN_LOCK = threading.Lock()


def _unknown_names(engine: sa.engine.Engine) -> _UnknownNames:
    with _UNKNOWN_LOCK:
        return _UNKNOWN.setdefault(str(engine.url), _UnknownNames())


def quarter_of(now: float) -> float:
    """The start of the quarter of an hour (`FAILURE_WINDOW`) that `now` is in."""
    return now - now % FAILURE_WINDOW


def _count_unknown(engine: sa.engine.Engine, address: str, quarter: float, column: str, step: int) -> None:
    """Add `step` to the failed or blocked count of (address, quarter); the row is made on first use."""
    u = UNKNOWN_LOGINS.c
    where = [u.address == address, u.started == quarter]
    for _ in range(3):
        with engine.begin() as db:
            if db.execute(UNKNOWN_LOGINS.update().where(*where).values({column: u[column] + step})).rowcount:
                return
        try:
            with engine.begin() as db:
                db.execute(UNKNOWN_LOGINS.insert().values({"address": address, "started": quarter, "failed": 0,
                                                           "blocked": 0, "logged": 0, column: max(step, 0)}))
            return
        except sa.exc.IntegrityError:  # made by a parallel attempt just now: add to it
            continue


def reserve_attempt(engine: sa.engine.Engine, account: str, address: str) -> Tuple[Attempt, bool]:
    """Record a login attempt before checking the password: (attempt, allowed).

    An unknown name's attempt is counted as failed at once (its password check cannot
    succeed); a blocked one is counted as blocked instead."""
    now, address = time.time(), address[:64]
    flush_unknown(engine, now)
    with engine.begin() as db:
        db.execute(ATTEMPTS.delete().where(ATTEMPTS.c.at < now - 24 * 3600))
        db.execute(UNKNOWN_LOGINS.delete().where(UNKNOWN_LOGINS.c.started < now - 24 * 3600,
                                                 UNKNOWN_LOGINS.c.logged == 1))
        exists = db.execute(sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.name == account[:64])).first()
        if exists:
            attempt = Attempt(db.execute(ATTEMPTS.insert().values(
                at=now, account=account[:64], address=address, outcome="pending")).inserted_primary_key[0], address)
    if exists:
        per_account = _count_attempts(engine, ATTEMPTS.c.account == account[:64], now)
    else:
        attempt = Attempt(None, address, quarter_of(now))
        _count_unknown(engine, address, attempt.quarter, "failed", 1)
        per_account = _unknown_names(engine).add(account, now)
    per_address = _count_attempts(engine, ATTEMPTS.c.address == address, now) + _unknown_failures(engine, address, now)
    allowed = per_account <= MAX_ACCOUNT_FAILURES and per_address <= MAX_ADDRESS_FAILURES
    if not allowed:
        if exists:
            finish_attempt(engine, attempt, "blocked")
        else:
            _count_unknown(engine, address, attempt.quarter, "failed", -1)
            _count_unknown(engine, address, attempt.quarter, "blocked", 1)
            _unknown_names(engine).drop(account, now)
    return attempt, allowed


def _count_attempts(engine: sa.engine.Engine, which, now: float) -> int:
    with engine.connect() as db:
        return db.execute(sa.select(sa.func.count()).select_from(ATTEMPTS).where(
            which, ATTEMPTS.c.at >= now - FAILURE_WINDOW, ATTEMPTS.c.outcome.in_(_COUNTED))).scalar() or 0


def _unknown_failures(engine: sa.engine.Engine, address: str, now: float) -> int:
    """Failures with unknown names from `address` in this quarter and the one before."""
    u = UNKNOWN_LOGINS.c
    with engine.connect() as db:
        return db.execute(sa.select(sa.func.coalesce(sa.func.sum(u.failed), 0)).where(
            u.address == address, u.started >= quarter_of(now) - FAILURE_WINDOW)).scalar() or 0


def finish_attempt(engine: sa.engine.Engine, attempt: Attempt, outcome: str) -> None:
    if attempt.known:
        with engine.begin() as db:
            db.execute(ATTEMPTS.update().where(ATTEMPTS.c.id == attempt.id).values(outcome=outcome))
    elif outcome == "ok":  # the account was made while its name was tried: not a failure after all
        _count_unknown(engine, attempt.address, attempt.quarter, "failed", -1)


def flush_unknown(engine: sa.engine.Engine, now: Optional[float] = None) -> int:
    """Write each closed quarter's count of failed logins with unknown names to the access
    log, one entry per address and quarter (once: `logged`); the number written."""
    now = now or time.time()
    u = UNKNOWN_LOGINS.c
    with engine.connect() as db:
        closed = db.execute(UNKNOWN_LOGINS.select().where(u.logged == 0, u.started <= now - FAILURE_WINDOW)).all()
    written = 0
    for row in closed:
        with engine.begin() as db:
            if not db.execute(UNKNOWN_LOGINS.update().where(u.address == row.address, u.started == row.started,
                                                            u.logged == 0).values(logged=1)).rowcount:
                continue  # another process wrote it
            fresh = db.execute(UNKNOWN_LOGINS.select().where(u.address == row.address,
                                                             u.started == row.started)).first()
            audit.record(db, UNKNOWN_ACCOUNT, "login_failed_unknown", address=row.address, failed=fresh.failed,
                         blocked=fresh.blocked, since=_clock(row.started),
                         until=_clock(row.started + FAILURE_WINDOW))
            written += 1
    return written


def open_unknown(engine: sa.engine.Engine) -> list:
    """Counts of the quarters not yet in the access log: (address, since, failed, blocked)."""
    u = UNKNOWN_LOGINS.c
    with engine.connect() as db:
        rows = db.execute(sa.select(u.address, u.started, u.failed, u.blocked).where(u.logged == 0)
                          .order_by(u.started, u.address)).all()
    return [(address, datetime.fromtimestamp(started), failed, blocked) for address, started, failed, blocked in rows]


def _clock(at: float) -> str:
    return datetime.fromtimestamp(at).isoformat(timespec="minutes")


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
