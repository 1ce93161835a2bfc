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
