"""The workflow around a conversation: who took it on ("toegewezen aan"), its one status
(nieuw → nagekeken, or → opgevolgd for an emergency) and marking a filtered list at once.

Why assignments: two staff members opened the same emergency and both called the parent;
the queue now says who took it. An assignment is advice, not a lock: anyone may still
follow a conversation up (an emergency must never wait for one person)."""
from __future__ import annotations

import time
from typing import Dict, List, Optional

import sqlalchemy as sa

from review import audit
from review.schema import ACCOUNTS, ASSIGNMENTS


def assign(engine, sender_id: str, account: Optional[str], by: str, address: Optional[str] = None) -> None:
    """Give the conversation to `account` (an existing account), or to nobody (None)."""
    with engine.begin() as db:
        if account and not db.execute(sa.select(ACCOUNTS.c.name).where(ACCOUNTS.c.name == account)).first():
            raise ValueError(f"Er is geen account ‘{account}’.")
        db.execute(ASSIGNMENTS.delete().where(ASSIGNMENTS.c.sender_id == sender_id))
        if account:
            db.execute(ASSIGNMENTS.insert().values(sender_id=sender_id, account=account, by=by, at=time.time()))
        audit.record(db, by, "assign", sender_id, address, to=account or "")


def assignees(db, senders: List[str]) -> Dict[str, str]:
    """sender -> the account it is assigned to, for a page of rows."""
    if not senders:
        return {}
    query = sa.select(ASSIGNMENTS.c.sender_id, ASSIGNMENTS.c.account).where(ASSIGNMENTS.c.sender_id.in_(senders))
    return dict(db.execute(query).all())


def account_names(engine) -> List[str]:
    with engine.connect() as db:
        return list(db.execute(sa.select(ACCOUNTS.c.name).order_by(ACCOUNTS.c.name)).scalars())


# --- one status per conversation --------------------------------------------------------------
STATUS_NAMES = {"nieuw": "Nieuw", "nagekeken": "Nagekeken", "opgevolgd": "Opgevolgd"}


def calm():
    """SQL: the conversation had no alarm (`calm()` would be NULL, not true, for the
    NULL `emergency_at` of such a conversation)."""
    from review.schema import CONVERSATIONS

    return sa.or_(CONVERSATIONS.c.emergency_at.is_(None), CONVERSATIONS.c.emergency_at <= 0)


def status_condition(status: str, table: sa.Table):
    """SQL: the conversation of `table`'s row has this status. An emergency is `nieuw` until
    it is followed up (again, after a new alarm), then `opgevolgd`; any other conversation
    is `nieuw` until someone marks it `nagekeken`."""
    from review.conversations import alarmed, emergency_open
    from review.schema import CONVERSATIONS, REVIEWED

    reviewed = table.c.sender_id.in_(sa.select(REVIEWED.c.sender_id))
    in_summary = (lambda condition: condition) if table is CONVERSATIONS else \
        (lambda condition: table.c.sender_id.in_(sa.select(CONVERSATIONS.c.sender_id).where(condition)))
    if status == "opgevolgd":
        return in_summary(sa.and_(alarmed(), ~emergency_open()))
    if status == "nagekeken":
        return sa.and_(in_summary(calm()), reviewed)
    return sa.or_(in_summary(emergency_open()), sa.and_(in_summary(calm()), ~reviewed))


def bulk_reviewed(engine, filters, threshold: float, by: str, address: Optional[str] = None) -> int:
    """Mark every conversation of the filtered list that is `nieuw` and had no alarm as
    nagekeken (an emergency is followed up one by one, with a note); the number marked.
    One access-log entry with the filters and the number, in the same transaction."""
    from review.schema import CONVERSATIONS, REVIEWED

    c = CONVERSATIONS.c
    now = time.time()
    chosen = (sa.select(c.sender_id, sa.literal(by), sa.literal(now))
              .where(*filters.conditions(threshold, dialect=engine.dialect.name), calm(),
                     ~c.sender_id.in_(sa.select(REVIEWED.c.sender_id))))
    with engine.begin() as db:
        marked = db.execute(REVIEWED.insert().from_select(["sender_id", "account", "at"], chosen)).rowcount or 0
        audit.record(db, by, "bulk_reviewed", None, address, filters=filters.describe(), marked=marked)
    return marked


def migrate_notes(engine) -> int:
    """One note per conversation: a follow-up's own note (the old "Korte notitie") is moved
    into the conversation's note, below what was there, marked "Opvolging (<who>, <date>)";
    the number moved. Idempotent: a moved follow-up keeps an empty note."""
    from datetime import datetime

    from review.schema import FOLLOWUPS, NOTES

    with engine.begin() as db:
        moved = db.execute(FOLLOWUPS.select().where(FOLLOWUPS.c.note != "")).all()
        for row in moved:
            line = f"Opvolging ({row.account}, {datetime.fromtimestamp(row.at):%d-%m-%Y}): {row.note}"
            before = db.execute(sa.select(NOTES.c.text).where(NOTES.c.sender_id == row.sender_id)).scalar()
            db.execute(NOTES.delete().where(NOTES.c.sender_id == row.sender_id))
            db.execute(NOTES.insert().values(sender_id=row.sender_id, text=f"{before}\n\n{line}" if before else line,
                                             account=row.account, at=row.at))
            db.execute(FOLLOWUPS.update().where(FOLLOWUPS.c.sender_id == row.sender_id).values(note=""))
    return len(moved)
