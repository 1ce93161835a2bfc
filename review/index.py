"""One summary row per conversation, kept up to date from Rasa's events.

Why: the list, its filters, counting, paging and the overview must answer within 300 ms
with 100 000 conversations (2 million events). Grouping 2 million events per request
took seconds; a summary row per conversation makes each of them one SQL query over
100 000 small rows (docs/benchmarks.md). The summaries are derived data: erasing them
loses nothing, `sync` rebuilds them.

How: Rasa only appends events, with an increasing `id`. `sync` compares the newest id
with the one it saw last (`review_state`); the conversations with newer events are
summarised again from all their events (found by Rasa's index on `sender_id`). It also
re-reads the last `LOOKBACK` ids, because on PostgreSQL a transaction may commit an id
lower than one already seen. The first `sync` on an existing database summarises every
conversation, in batches of `BATCH` senders, before the tool answers: for 100 000
conversations (2.3 million events) about 40 s, on SQLite as on PostgreSQL
(docs/benchmarks.md). So does the first `sync` after the way a summary is made changed
(`VERSION`, kept in `review_state`): the summaries then hold figures of the old rules.

The flag `emergency` and `emergency_at`, which the list, the queue and the overview read,
both come from review/alarms.py's one definition of an alarm.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from typing import Dict, Iterable, List, Optional

import sqlalchemy as sa

from actions import names
from review.alarms import Alarms
from review.events import (
    FALLBACK_ACTIONS,
    FALLBACK_INTENTS,
    FEEDBACK,
    NOT_TOPICS,
    REGISTRATION_ACTIONS,
    REGISTRATION_INTENTS,
    load,
    parent_message,
)
from review.schema import CONVERSATIONS, REPEATED_ON_TOPICS, STATE, TOPICS
from tracker_store.database import EVENTS, has_events

LOOKBACK = 1000
BATCH = 500
ANALYZE_AFTER = 1000  # conversations summarised in one sync
SEEN_KEY = "events_seen"
VERSION_KEY = "summary_version"
# 2: an alarm is also the safety question, for the flag as for the queue (review/alarms.py).
VERSION = 2.0
_LOCK = threading.Lock()
_TYPES = ("user", "action", "slot")


class Summary:
    """Figures of one conversation while its events are read in order."""

    def __init__(self, sender_id: str):
        self.sender_id = sender_id
        self.started: Optional[float] = None
        self.ended: Optional[float] = None
        self.user_messages = self.fallback_messages = self.feedback_positive = self.feedback_negative = 0
        self.fallback = self.negative_feedback = self.registration = False
        self.alarms = Alarms()
        self.min_confidence: Optional[float] = None
        self.topics: Counter = Counter()

    def add(self, type_name: str, timestamp: Optional[float], intent: Optional[str], action: Optional[str],
            data: Optional[str]) -> None:
        if timestamp is not None:
            self.started = timestamp if self.started is None else min(self.started, timestamp)
            self.ended = timestamp if self.ended is None else max(self.ended, timestamp)
        if type_name == "action":
            self.alarms.action(timestamp, action)
            self.fallback |= action in FALLBACK_ACTIONS
            self.registration |= action in REGISTRATION_ACTIONS
        elif type_name == "slot" and action == names.FEEDBACK_SLOT:
            self.negative_feedback |= load(data).get("value") == "negative"
        elif type_name == "user":
            message = parent_message(load(data))
            self.alarms.user(None, timestamp, message, intent)
            self._user(message, intent)

    def _user(self, message, intent: Optional[str]) -> None:
        if message.kind == "auto":
            return
        intent = message.intent or intent
        self.user_messages += 1
        self.registration |= intent in REGISTRATION_INTENTS
        if intent in FALLBACK_INTENTS:
            self.fallback = True
            self.fallback_messages += 1
        if FEEDBACK.get(intent) == "positive":
            self.feedback_positive += 1
        elif FEEDBACK.get(intent) == "negative":
            self.feedback_negative += 1
            self.negative_feedback = True
        if intent and intent not in NOT_TOPICS:
            self.topics[intent] += 1
        if message.kind == "typed" and message.confidence is not None:
            self.min_confidence = min(self.min_confidence, message.confidence) \
                if self.min_confidence is not None else message.confidence

    @property
    def emergency_at(self) -> Optional[float]:
        """The time of the last alarm, None without one. Never 0 with an alarm (Rasa stamps
        every event; an alarm without a stamp counts at the latest time seen), so the flag
        (`emergency`) and the queue (`emergency_at > 0`) cannot disagree."""
        if not self.alarms.found:
            return None
        return self.alarms.last_at or self.ended or 1.0

    def row(self) -> dict:
        started = self.started or 0.0
        return {"sender_id": self.sender_id, "started": started, "ended": self.ended or started,
                "day": datetime.fromtimestamp(started).date().isoformat(),
                "user_messages": self.user_messages, "fallback_messages": self.fallback_messages,
                "feedback_positive": self.feedback_positive, "feedback_negative": self.feedback_negative,
                "emergency": int(self.emergency_at is not None), "emergency_at": self.emergency_at,
                "fallback": int(self.fallback),
                "negative_feedback": int(self.negative_feedback), "registration": int(self.registration),
                "min_confidence": self.min_confidence, "topics": ",".join(sorted(self.topics))}


def summarise(connection, senders: List[str]) -> Dict[str, Summary]:
    """Summaries of `senders` that still have events (the others are left out)."""
    e = EVENTS.c
    query = (sa.select(e.sender_id, e.type_name, e.timestamp, e.intent_name, e.action_name,
                       sa.case((e.type_name.in_(("user", "slot")), e.data), else_=sa.null()))
             .where(e.sender_id.in_(senders), e.type_name.in_(_TYPES)).order_by(e.sender_id, e.id))
    summaries: Dict[str, Summary] = {}
    for sender, type_name, timestamp, intent, action, data in connection.execute(query):
        summary = summaries.get(sender)
        if summary is None:
            summary = summaries[sender] = Summary(sender)
        summary.add(type_name, timestamp, intent, action, data)
    return summaries


def refresh(connection, senders: List[str]) -> None:
    """Replace the summary rows of `senders` (a batch) by ones made from their events now."""
    summaries = summarise(connection, senders)
    for table in (TOPICS, CONVERSATIONS):
        connection.execute(table.delete().where(table.c.sender_id.in_(senders)))
    if summaries:
        rows = [summary.row() for summary in summaries.values()]
        connection.execute(CONVERSATIONS.insert(), rows)
        topics = [{"sender_id": row["sender_id"], "intent": intent, "messages": count,
                   **{name: row[name] for name in REPEATED_ON_TOPICS}}
                  for summary, row in zip(summaries.values(), rows) for intent, count in summary.topics.items()]
        if topics:
            connection.execute(TOPICS.insert(), topics)


def _batches(items: Iterable[str], size: int = BATCH) -> Iterable[List[str]]:
    batch: List[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _all_senders(engine) -> Iterable[str]:
    """Every sender, in batches by key (no long-running read while we write)."""
    last = ""
    while True:
        with engine.connect() as db:
            chunk = list(db.execute(sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id > last).distinct()
                                    .order_by(EVENTS.c.sender_id).limit(BATCH)).scalars())
        if not chunk:
            return
        yield from chunk
        last = chunk[-1]


def sync(engine: sa.engine.Engine) -> int:
    """Bring the summaries up to date; the number of conversations summarised again."""
    if not has_events(engine):
        return 0
    with _LOCK:
        with engine.connect() as db:
            newest = db.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0
            state = dict(db.execute(sa.select(STATE.c.key, STATE.c.value)
                                    .where(STATE.c.key.in_((SEEN_KEY, VERSION_KEY)))).all())
            # Summaries made by other rules (an older VERSION): summarise every conversation again.
            seen = state.get(SEEN_KEY) if state.get(VERSION_KEY) == VERSION else None
            if seen is not None and newest <= seen:
                return 0
            if seen is None:
                senders: Iterable[str] = _all_senders(engine)
            else:
                senders = list(db.execute(sa.select(EVENTS.c.sender_id).distinct()
                                          .where(EVENTS.c.id > seen - LOOKBACK)).scalars())
        done = 0
        for batch in _batches(senders):
            with engine.begin() as db:
                refresh(db, batch)
            done += len(batch)
        with engine.begin() as db:
            db.execute(STATE.delete().where(STATE.c.key.in_((SEEN_KEY, VERSION_KEY))))
            db.execute(STATE.insert(), [{"key": SEEN_KEY, "value": float(newest)},
                                        {"key": VERSION_KEY, "value": VERSION}])
        if done >= ANALYZE_AFTER:
            analyze(engine)
        return done


def analyze(engine: sa.engine.Engine) -> None:
    """Fresh planner statistics after many rows changed: without them SQLite chose a full
    table scan for a period's figures (about 10 times slower at 100 000 conversations)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        for table in (CONVERSATIONS, TOPICS):
            db.exec_driver_sql(f"ANALYZE {table.name}")
