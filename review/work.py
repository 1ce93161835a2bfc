"""What staff do with a conversation, each change committed together with its access-log entry."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, List, Optional

import sqlalchemy as sa

from review import audit
from review.conversations import TAG_NAMES
from review.events import parent_message
from review.schema import (
    CONVERSATIONS,
    CORRECTIONS,
    FOLLOWUPS,
    NOTES,
    PER_CONVERSATION,
    REVIEWED,
    TAGS,
    checkpoint,
    forget_conversation,
)
from review.topics import TOPIC_NAMES
from review.transcript import parent_event
from tracker_store.database import EVENTS, has_events
from tracker_store.redact import redact

MAX_NOTE = 2000
MAX_FOLLOWUP_NOTE = 500


@dataclass
class Actor:
    """Who acts, for the access log."""
    account: str
    address: Optional[str] = None


def set_reviewed(engine, sender_id: str, reviewed: bool, who: Actor) -> None:
    with engine.begin() as db:
        db.execute(REVIEWED.delete().where(REVIEWED.c.sender_id == sender_id))
        if reviewed:
            db.execute(REVIEWED.insert().values(sender_id=sender_id, account=who.account, at=time.time()))
        audit.record(db, who.account, "reviewed" if reviewed else "unreviewed", sender_id, who.address)


def save_note(engine, sender_id: str, text: str, who: Actor) -> None:
    """One note per conversation; an empty text removes it. The log keeps its length only."""
    text = text.strip()[:MAX_NOTE]
    with engine.begin() as db:
        db.execute(NOTES.delete().where(NOTES.c.sender_id == sender_id))
        if text:
            db.execute(NOTES.insert().values(sender_id=sender_id, text=text, account=who.account, at=time.time()))
        audit.record(db, who.account, "note", sender_id, who.address, characters=len(text))


def note_of(engine, sender_id: str) -> Optional[dict]:
    with engine.connect() as db:
        row = db.execute(NOTES.select().where(NOTES.c.sender_id == sender_id)).first()
    return {"text": row.text, "account": row.account, "at": datetime.fromtimestamp(row.at)} if row else None


def set_tags(engine, sender_id: str, tags: Iterable[str], who: Actor) -> List[str]:
    chosen = sorted({tag for tag in tags if tag in TAG_NAMES})
    with engine.begin() as db:
        db.execute(TAGS.delete().where(TAGS.c.sender_id == sender_id))
        if chosen:
            db.execute(TAGS.insert(), [{"sender_id": sender_id, "tag": tag, "account": who.account,
                                        "at": time.time()} for tag in chosen])
        audit.record(db, who.account, "tags", sender_id, who.address, tags=chosen)
    return chosen


def follow_up(engine, sender_id: str, note: str, who: Actor) -> bool:
    """Mark the conversation's alarms (review/alarms.py) up to now as followed up; False if it had none."""
    note = note.strip()[:MAX_FOLLOWUP_NOTE]
    with engine.begin() as db:
        last = db.execute(sa.select(CONVERSATIONS.c.emergency_at)
                          .where(CONVERSATIONS.c.sender_id == sender_id)).scalar()
        if last is None:
            return False
        db.execute(FOLLOWUPS.delete().where(FOLLOWUPS.c.sender_id == sender_id))
        db.execute(FOLLOWUPS.insert().values(sender_id=sender_id, covers=last, note=note, account=who.account,
                                             at=time.time()))
        audit.record(db, who.account, "followup", sender_id, who.address, characters=len(note))
    return True


def followup_of(engine, sender_id: str) -> Optional[dict]:
    with engine.connect() as db:
        row = db.execute(FOLLOWUPS.select().where(FOLLOWUPS.c.sender_id == sender_id)).first()
    if not row:
        return None
    return {"note": row.note, "account": row.account, "at": datetime.fromtimestamp(row.at), "covers": row.covers}


def correct(engine, sender_id: str, event_id: int, intent: str, who: Actor) -> bool:
    """Store "this message should have been `intent`", with the redacted text only.

    One correction per message: a second one replaces the first, and is exported again
    only when it names another topic."""
    if intent not in TOPIC_NAMES or intent == "nlu_fallback":
        raise ValueError("unknown topic")
    event = parent_event(engine, sender_id, event_id)
    if event is None:
        return False
    message = parent_message(event)
    if message.kind != "typed":
        raise ValueError("only typed messages are classified by the NLU")
    text = redact(message.text) or ""  # stored text is redacted already; the rules may have grown since
    with engine.begin() as db:
        before = db.execute(CORRECTIONS.select().where(CORRECTIONS.c.event_id == event_id)).first()
        values = {"sender_id": sender_id, "text": text, "predicted": message.intent, "intent": intent,
                  "account": who.account, "at": time.time()}
        if before is None:
            db.execute(CORRECTIONS.insert().values(event_id=event_id, exported_at=None, **values))
        else:
            exported = before.exported_at if before.intent == intent else None
            db.execute(CORRECTIONS.update().where(CORRECTIONS.c.event_id == event_id)
                       .values(exported_at=exported, **values))
        audit.record(db, who.account, "correction", sender_id, who.address, event=event_id,
                     predicted=message.intent, intent=intent)
    return True


def known(engine, sender_id: str) -> bool:
    """Whether there is anything of this conversation to erase: events, or rows of the tool
    (left after the parent erased it in the chat, until `index.sync` notices). Exact id."""
    tables = ([EVENTS] if has_events(engine) else []) + list(PER_CONVERSATION)
    with engine.connect() as db:
        return any(db.execute(sa.select(table.c.sender_id).where(table.c.sender_id == sender_id).limit(1)).first()
                   for table in tables)


def erase(engine, sender_id: str, who: Actor) -> int:
    """A parent's right to erasure: every event of the conversation, everything the tool
    keeps about it (summary, mark, note, tags, follow-up, corrections) and the one
    access-log line (no content: who, when, the id and the number of events), in one
    transaction; the number of events erased. The sender id is matched exactly.

    One transaction, so the sweep of `index.sync` never sees the events gone and the
    tool's rows still there (which would log a second erasure). On SQLite the tool's
    connections overwrite deleted rows with zeros (`secure_delete`, review/db.py), and the
    checkpoint then empties the -wal file, so no readable copy stays in the files."""
    events_table = has_events(engine)
    with engine.begin() as db:
        events = db.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender_id)).rowcount if events_table else 0
        forget_conversation(db, sender_id)
        audit.record(db, who.account, "erase", sender_id, who.address, events=events)
    checkpoint(engine)
    return events
