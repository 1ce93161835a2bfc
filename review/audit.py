"""The access log (NEN 7513): who did what, when, from where, with which conversation.

Append-only: this module can add an entry and read entries; the only deletion is
`delete_older`, the log's own retention (`make retention`), run from the command line,
never over HTTP. Entries hold no conversation text: a note or a correction is logged
as its length or its chosen topic, never its words.

Tamper-evident: the database itself refuses UPDATE and DELETE on the table (triggers,
review/schema.py `ensure_audit_guard`), SQLite never gives an id twice (AUTOINCREMENT),
and every row stores `hash` = SHA-256(previous row's hash + its own content), so a row
changed or removed behind the triggers' back breaks the chain from there on:

    python -m review.audit verify        # make audit-verify; exit 1 when the chain is broken

Retention deletes the oldest rows; it records, in the same transaction, the hash the
first kept row continues from (`audit_retention`), so the shortened chain still checks.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Dict, Iterator, List, Optional

import sqlalchemy as sa

from review.schema import AUDIT, GENESIS, PURGE_KEY, STATE, audit_content, chain

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
    "assign": "Gesprek toegewezen",
    "bulk_reviewed": "Gesprekken in één keer als nagekeken gemarkeerd",
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
    "erased_in_chat": "Gesprek gewist in de chat; wat de tool erover had is verwijderd",
    "login_failed_unknown": "Inloggen mislukt met onbekende naam (per adres en kwartier geteld)",
    "audit_retention": "Oude regels van het toegangslog opgeruimd",
    "audit_chain_start": "Hashketen van het toegangslog begonnen",
    "audit_verify": "Toegangslog gecontroleerd",
    "notify": "E-mail over een nieuwe noodsituatie verstuurd",
}
# Who erased a conversation that the tool finds gone from the tracker store: the parent,
# with the chat's button (channels/socketio.py). Not a valid account name, so never a staff member.
PARENT_IN_CHAT = "ouder (chat)"
_LOCK_KEY = 7513  # PostgreSQL advisory lock: one writer at a time extends the chain


def retention_days() -> float:
    return float(os.environ.get("REVIEW_AUDIT_RETENTION_DAYS", DEFAULT_DAYS))


def record(db: sa.engine.Connection, account: str, action: str, target: Optional[str] = None,
           address: Optional[str] = None, **details: Any) -> None:
    """Add one entry, inside the caller's transaction (so an action and its entry commit together).

    Its hash continues the chain from the newest row, read while this transaction holds
    the write lock, so two writers never continue from the same row: on SQLite in the
    INSERT statement itself (a Python function of this connection computes the hash), on
    PostgreSQL after a transaction-level advisory lock."""
    values = {"at": time.time(), "account": account[:64], "address": (address or "")[:64] or None,
              "action": action, "target": target[:255] if target else None,
              "details": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str) if details else None}
    content = audit_content(values)
    newest = sa.select(AUDIT.c.hash).order_by(AUDIT.c.id.desc()).limit(1)
    if db.dialect.name == "sqlite":
        db.connection.dbapi_connection.create_function("review_audit_chain", 2, chain, deterministic=True)
        db.execute(AUDIT.insert().values(**values, hash=sa.func.review_audit_chain(newest.scalar_subquery(),
                                                                                   content)))
        return
    if db.dialect.name == "postgresql":
        db.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
    db.execute(AUDIT.insert().values(**values, hash=chain(db.execute(newest).scalar(), content)))


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


def delete_older(engine: sa.engine.Engine, days: float, now: Optional[float] = None,
                 account: str = "retention") -> int:
    """The log's retention: delete entries older than `days`; the number deleted.

    The database allows it only for rows older than the cutoff that this transaction
    writes to review_state (and removes again). An entry `audit_retention`, in the same
    transaction, records for each kept row right after deleted ones the hash it continues
    from (`bridges`; normally one: the oldest rows go), so the chain still checks."""
    cutoff = (now or time.time()) - days * 86400
    with engine.begin() as db:
        last_doomed = db.execute(sa.select(sa.func.max(AUDIT.c.id)).where(AUDIT.c.at < cutoff)).scalar()
        if last_doomed is None:
            return 0
        bridges, before = {}, None  # kept row id -> hash of the deleted row before it
        rows = db.execute(sa.select(AUDIT.c.id, AUDIT.c.at, AUDIT.c.hash).where(AUDIT.c.id <= last_doomed)
                          .order_by(AUDIT.c.id))
        following = db.execute(sa.select(AUDIT.c.id).where(AUDIT.c.id > last_doomed).order_by(AUDIT.c.id)
                               .limit(1)).scalar()
        for row_id, at, digest in list(rows) + ([(following, cutoff, None)] if following is not None else []):
            if at >= cutoff and before is not None and before[1] < cutoff:
                bridges[str(row_id)] = before[2] or GENESIS
            before = (row_id, at, digest)
        db.execute(STATE.delete().where(STATE.c.key == PURGE_KEY))
        db.execute(STATE.insert().values(key=PURGE_KEY, value=cutoff))
        deleted = db.execute(AUDIT.delete().where(AUDIT.c.at < cutoff)).rowcount
        db.execute(STATE.delete().where(STATE.c.key == PURGE_KEY))
        # Nothing kept: this entry continues from no row, a new chain from GENESIS.
        record(db, account, "audit_retention", deleted=deleted, bridges=bridges)
    return deleted


# --- checking the chain ------------------------------------------------------------------------------
@dataclass
class Verdict:
    entries: int = 0
    last_hash: str = GENESIS
    problems: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(engine: sa.engine.Engine, batch: int = 5000) -> Verdict:
    """Check the chain over every row, oldest first: each stored hash must be the hash of
    the row before and the row's own content. A row changed, inserted or removed in the
    middle breaks it; so does removing the oldest rows other than by retention (the
    first row must continue from the start, or from what `audit_retention` recorded);
    on SQLite, removing the newest rows shows as ids given but missing (AUTOINCREMENT)."""
    verdict = Verdict()
    with engine.connect() as db:
        bridges = {}  # row id -> the hash it continues from, its row(s) before deleted by retention
        for (details,) in db.execute(sa.select(AUDIT.c.details).where(AUDIT.c.action == "audit_retention")):
            bridges.update({int(key): value for key, value in json.loads(details or "{}").get("bridges", {}).items()})
        previous, after, newest = GENESIS, None, 0
        while True:
            query = AUDIT.select().order_by(AUDIT.c.id).limit(batch)
            rows = db.execute(query.where(AUDIT.c.id > after) if after is not None else query).all()
            if not rows:
                break
            for row in rows:
                if row.id in bridges:  # the rows before it went by retention
                    previous = bridges[row.id]
                if row.hash != chain(previous, audit_content(row._mapping)):
                    verdict.problems.append(
                        f"regel/row {row.id}: " + ("geen hash / no hash" if row.hash is None else
                                                   "hash klopt niet / hash mismatch (changed, inserted, or "
                                                   "a row before it removed)"))
                previous = row.hash or GENESIS  # as `record` continues after it
                verdict.entries += 1
                newest = row.id
            after = rows[-1].id
        verdict.last_hash = previous
        if engine.dialect.name == "sqlite":
            given = db.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (AUDIT.name,)).scalar()
            if given and given > newest:
                verdict.problems.append(f"regels/rows {newest + 1}-{given} ontbreken / are missing "
                                        "(the newest rows were removed)")
    return verdict


def main(argv=None) -> int:
    from review.db import review_engine
    from review.users import shell_account
    from tracker_store.database import add_database_arguments

    parser = argparse.ArgumentParser(description="Check the access log's hash chain (NEN 7513).")
    parser.add_argument("command", choices=["verify"])
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    engine = review_engine(args.endpoints, args.db_url)
    verdict = verify(engine)
    log(engine, shell_account(), "audit_verify", ok=verdict.ok, entries=verdict.entries,
        problems=len(verdict.problems))
    if verdict.ok:
        print(f"Toegangslog in orde / access log intact: {verdict.entries} regels/rows, hashketen klopt / "
              f"hash chain holds (laatste hash / last hash {verdict.last_hash}).")
        return 0
    print(f"Toegangslog GEWIJZIGD / access log TAMPERED: {len(verdict.problems)} fout(en)/problem(s) in "
          f"{verdict.entries} regels/rows.", file=sys.stderr)
    for problem in verdict.problems[:20]:
        print(f"  {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
