"""The access log (NEN 7513): who did what, when, from where, with which conversation.

Append-only: this module can add an entry and read entries; the only deletion is
`delete_older`, the log's own retention (`make retention`), run from the command line,
never over HTTP. Entries hold no conversation text: a note or a correction is logged
as its length or its chosen topic, never its words.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Dict, Iterator, List, Optional

import sqlalchemy as sa

from review.schema import AUDIT

DEFAULT_DAYS = 5 * 365 + 1  # conversations: 90 days (review/retention.py)

ACTIONS = {  # action -> Dutch label for the log page
    "login": "Ingelogd",
    "login_failed": "Inloggen mislukt",
    "login_blocked": "Inloggen geblokkeerd (te veel pogingen)",
    "logout": "Uitgelogd",
    "list": "Lijst bekeken",
    "emergencies": "Noodsituaties bekeken",
    "overview": "Overzicht bekeken",
    "transcript": "Gesprek bekeken",
    "export": "Gesprekken geëxporteerd",
    "story_export": "Testverhaal gedownload",
    "reviewed": "Gemarkeerd als nagekeken",
    "unreviewed": "Markering nagekeken weggehaald",
    "note": "Notitie opgeslagen",
    "tags": "Labels gewijzigd",
    "followup": "Noodsituatie opgevolgd",
    "correction": "Onderwerp verbeterd",
    "erase": "Gesprek gewist",
    "account_add": "Account aangemaakt",
    "account_role": "Rol gewijzigd",
    "account_password": "Wachtwoord gewijzigd",
    "account_remove": "Account verwijderd",
    "audit_view": "Toegangslog bekeken",
    "audit_export": "Toegangslog geëxporteerd",
    "training_export": "Verbeteringen geëxporteerd als trainingsdata",
    "retention": "Bewaartermijn toegepast",
}


def retention_days() -> float:
    return float(os.environ.get("REVIEW_AUDIT_RETENTION_DAYS", DEFAULT_DAYS))


def record(db: sa.engine.Connection, account: str, action: str, target: Optional[str] = None,
           address: Optional[str] = None, **details: Any) -> None:
    """Add one entry, inside the caller's transaction (so an action and its entry commit together)."""
    db.execute(AUDIT.insert().values(
        at=time.time(), account=account[:64], address=(address or "")[:64] or None, action=action,
        target=(target or "")[:255] or None,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True, default=str) if details else None))


def log(engine: sa.engine.Engine, account: str, action: str, target: Optional[str] = None,
        address: Optional[str] = None, **details: Any) -> None:
    with engine.begin() as db:
        record(db, account, action, target, address, **details)


@dataclass
class Entry:
    id: int
    at: datetime
    account: str
    address: Optional[str]
    action: str
    target: Optional[str]
    details: Dict[str, Any]

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


@dataclass
class AuditFilters:
    account: str = ""
    action: str = ""
    target: str = ""
    since: Optional[date] = None
    until: Optional[date] = None

    def conditions(self) -> list:
        where = []
        if self.account:
            where.append(AUDIT.c.account == self.account)
        if self.action:
            where.append(AUDIT.c.action == self.action)
        if self.target:
            where.append(AUDIT.c.target == self.target)
        if self.since:
            where.append(AUDIT.c.at >= _timestamp(self.since))
        if self.until:
            where.append(AUDIT.c.at < _timestamp(self.until + timedelta(days=1)))
        return where

    def as_query(self) -> Dict[str, str]:
        query = {k: v for k, v in (("account", self.account), ("action", self.action), ("target", self.target)) if v}
        query.update({k: v.isoformat() for k, v in (("since", self.since), ("until", self.until)) if v})
        return query


def _timestamp(day: date) -> float:
    return datetime(day.year, day.month, day.day).timestamp()


def _entry(row) -> Entry:
    return Entry(row.id, datetime.fromtimestamp(row.at), row.account, row.address, row.action, row.target,
                 json.loads(row.details) if row.details else {})


def count(engine: sa.engine.Engine, filters: AuditFilters) -> int:
    with engine.connect() as db:
        return db.execute(sa.select(sa.func.count()).select_from(AUDIT).where(*filters.conditions())).scalar() or 0


def entries(engine: sa.engine.Engine, filters: AuditFilters, limit: int, offset: int = 0) -> List[Entry]:
    query = AUDIT.select().where(*filters.conditions()).order_by(AUDIT.c.id.desc()).limit(limit).offset(offset)
    with engine.connect() as db:
        return [_entry(row) for row in db.execute(query)]


def stream(engine: sa.engine.Engine, filters: AuditFilters, batch: int = 1000) -> Iterator[Entry]:
    """Every matching entry, newest first, read in batches by id (constant memory)."""
    before = None
    while True:
        where = filters.conditions() + ([AUDIT.c.id < before] if before else [])
        rows = entries_where(engine, where, batch)
        if not rows:
            return
        yield from rows
        before = rows[-1].id


def entries_where(engine: sa.engine.Engine, where: list, limit: int) -> List[Entry]:
    with engine.connect() as db:
        return [_entry(row) for row in db.execute(AUDIT.select().where(*where).order_by(AUDIT.c.id.desc())
                                                  .limit(limit))]


def delete_older(engine: sa.engine.Engine, days: float, now: Optional[float] = None) -> int:
    """The log's retention: delete entries older than `days`; the number deleted."""
    cutoff = (now or time.time()) - days * 86400
    with engine.begin() as db:
        return db.execute(AUDIT.delete().where(AUDIT.c.at < cutoff)).rowcount
