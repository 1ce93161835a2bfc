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

Erasure in the chat: the parent's "Gesprek wissen" deletes the conversation's events on
the Rasa side (channels/socketio.py), which appends nothing the tool could see. So `sync`
also notices conversations whose events are gone, and removes everything the tool keeps
about them (summary, mark, note, tags, follow-up, corrections), with one access-log line
each (`erased_in_chat`):
- `sweep`: each sync checks the next `SWEEP` senders the tool has rows for (in sender id
  order, round and round) against the events table (one index probe each); a few
  milliseconds, so a library of 100 000 conversations is checked every 50 page views,
  and a small one at every page view; a conversation opened or acted on is checked at once;
- a sender who goes on chatting after erasing has new events under the same id: the
  first event id (`first_event`) of its summary then changes, or its start gets later
  (SQLite may give the erased ids again), which Rasa's appending never does, and the
  old conversation's rows are removed the same way.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from typing import Dict, Iterable, List, Optional

import sqlalchemy as sa

from actions import names
from review import audit
from review.alarms import EMERGENCY, QUESTION, Alarms, shorten
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
from review.schema import (
    CONVERSATIONS,
    MESSAGES,
    PER_CONVERSATION,
    REPEATED_ON_TOPICS,
    STATE,
    TOPICS,
    checkpoint,
    forget_conversation,
)
from tracker_store.database import EVENTS, has_events

LOOKBACK = 1000
BATCH = 500
ANALYZE_AFTER = 1000  # conversations summarised in one sync
SWEEP = 2000  # senders checked for erased events per sync
SEEN_KEY = "events_seen"
SEEN_AT_KEY = "events_seen_at"  # the timestamp of that event: is it still the same one?
VERSION_KEY = "summary_version"
# 2: an alarm is also the safety question, for the flag as for the queue (review/alarms.py).
# 3: `first_event`, to notice a conversation erased in the chat whose sender went on.
# 4: `preview`, `minute` and the parent's messages for the search (review/search.py).
# 5: `alarm_answer`, the parts of the overview's emergency count (review/overview.py).
VERSION = 5.0
PREVIEW = 120  # characters of the first message in the list
_LOCK = threading.Lock()
_TYPES = ("user", "action", "slot")
_swept_after = {}  # engine URL -> the last sender id the sweep checked
# Where the tool keeps rows per sender (review_topics and review_messages only ever next to
# review_conversations).
_SWEPT = tuple(table for table in PER_CONVERSATION if table not in (TOPICS, MESSAGES))


class Summary:
    """Figures of one conversation while its events are read in order."""

    def __init__(self, sender_id: str):
        self.sender_id = sender_id
        self.first_event: Optional[int] = None
        self.started: Optional[float] = None
        self.ended: Optional[float] = None
        self.user_messages = self.fallback_messages = self.feedback_positive = self.feedback_negative = 0
        self.fallback = self.negative_feedback = self.registration = False
        self.alarms = Alarms()
        self.min_confidence: Optional[float] = None
        self.topics: Counter = Counter()
        self.messages: List[tuple] = []  # (event id, stored text) of the typed messages: the search

    def add(self, type_name: str, timestamp: Optional[float], intent: Optional[str], action: Optional[str],
            data: Optional[str], event_id: Optional[int] = None) -> None:
        if event_id is not None and (self.first_event is None or event_id < self.first_event):
            self.first_event = event_id
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
            if message.kind == "typed" and event_id is not None and message.text.strip():
                self.messages.append((event_id, message.text))

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

    @property
    def alarm_answer(self) -> Optional[int]:
        """What the chat did in this conversation's alarms: 2 the emergency answer (at least
        once), 1 only the safety question, 0 neither stored; None without an alarm."""
        if not self.alarms.found:
            return None
        answers = {alarm.answer for alarm in self.alarms.found}
        return 2 if EMERGENCY in answers else 1 if QUESTION in answers else 0

    def row(self) -> dict:
        started = self.started or 0.0
        return {"sender_id": self.sender_id, "started": started, "ended": self.ended or started,
                "day": datetime.fromtimestamp(started).date().isoformat(),
                "user_messages": self.user_messages, "fallback_messages": self.fallback_messages,
                "feedback_positive": self.feedback_positive, "feedback_negative": self.feedback_negative,
                "emergency": int(self.emergency_at is not None), "emergency_at": self.emergency_at,
                "alarm_answer": self.alarm_answer,
                "fallback": int(self.fallback),
                "negative_feedback": int(self.negative_feedback), "registration": int(self.registration),
                "min_confidence": self.min_confidence, "topics": ",".join(sorted(self.topics)),
                "first_event": self.first_event,
                "preview": shorten(self.messages[0][1], PREVIEW) if self.messages else None,
                "minute": _minute(started)}


def _minute(timestamp: float) -> int:
    """The local minute of the day (0-1439): the list's time-of-day filter."""
    moment = datetime.fromtimestamp(timestamp)
    return moment.hour * 60 + moment.minute


def summarise(connection, senders: List[str]) -> Dict[str, Summary]:
    """Summaries of `senders` that still have events (the others are left out)."""
    e = EVENTS.c
    query = (sa.select(e.sender_id, e.type_name, e.timestamp, e.intent_name, e.action_name,
                       sa.case((e.type_name.in_(("user", "slot")), e.data), else_=sa.null()), e.id)
             .where(e.sender_id.in_(senders), e.type_name.in_(_TYPES)).order_by(e.sender_id, e.id))
    summaries: Dict[str, Summary] = {}
    for sender, type_name, timestamp, intent, action, data, event_id in connection.execute(query):
        summary = summaries.get(sender)
        if summary is None:
            summary = summaries[sender] = Summary(sender)
        summary.add(type_name, timestamp, intent, action, data, event_id)
    return summaries


def refresh(connection, senders: List[str]) -> List[str]:
    """Replace the summary rows of `senders` (a batch) by ones made from their events now;
    a conversation whose first events are gone (erased in the chat) is forgotten first.
    The senders forgotten."""
    summaries = summarise(connection, senders)
    c = CONVERSATIONS.c
    before = connection.execute(sa.select(c.sender_id, c.first_event, c.started).where(c.sender_id.in_(senders)))
    erased = [sender for sender, first, started in before
              if sender not in summaries or (first is not None and _began_again(summaries[sender], first, started))]
    forget_erased_in(connection, erased)
    for table in (TOPICS, CONVERSATIONS, MESSAGES):
        connection.execute(table.delete().where(table.c.sender_id.in_(senders)))
    if summaries:
        rows = [summary.row() for summary in summaries.values()]
        connection.execute(CONVERSATIONS.insert(), rows)
        topics = [{"sender_id": row["sender_id"], "intent": intent, "messages": count,
                   **{name: row[name] for name in REPEATED_ON_TOPICS}}
                  for summary, row in zip(summaries.values(), rows) for intent, count in summary.topics.items()]
        if topics:
            connection.execute(TOPICS.insert(), topics)
        texts = [{"event_id": event_id, "sender_id": summary.sender_id, "text": text}
                 for summary in summaries.values() for event_id, text in summary.messages]
        if texts:
            connection.execute(MESSAGES.insert(), texts)
    return erased


def _began_again(summary: Summary, first_event: int, started: float) -> bool:
    """Whether the events of the summary made before (its first event id and start) were
    erased and the sender began again: appending never changes a conversation's first
    event, nor makes its earliest time later. (On SQLite the new events may even get the
    erased ones' ids again, so the time tells.)"""
    return summary.first_event != first_event or (summary.started or 0.0) > started


def forget_erased_in(connection, senders: Iterable[str]) -> int:
    """Remove what the tool keeps about conversations erased outside it, in the caller's
    transaction, with one access-log line each (none when there was nothing left: a staff
    erasure at the same moment already removed it and logged it)."""
    forgotten = 0
    for sender in senders:
        if forget_conversation(connection, sender):
            audit.record(connection, audit.PARENT_IN_CHAT, "erased_in_chat", sender)
            forgotten += 1
    return forgotten


def _gone(connection, senders: Optional[List[str]] = None, after: Optional[str] = None,
          upto: Optional[str] = None) -> List[str]:
    """Senders the tool has rows about but the events table has no event of: `senders`,
    or those in the key range (after, upto]."""
    parts = []
    for table in _SWEPT:
        c = table.c.sender_id
        where = [c.in_(senders)] if senders is not None else \
            [c > after] + ([c <= upto] if upto is not None else [])
        parts.append(sa.select(c.label("sender_id")).where(*where))
    known = sa.union(*parts).subquery()
    missing = ~sa.exists().where(EVENTS.c.sender_id == known.c.sender_id)
    return list(connection.execute(sa.select(known.c.sender_id).where(missing)).scalars())


def forget_erased(engine: sa.engine.Engine, senders: List[str]) -> int:
    """Of `senders`, forget those whose events are gone (review/views: a conversation
    opened or acted on); the number forgotten."""
    if not has_events(engine):
        return 0
    with engine.begin() as db:
        forgotten = forget_erased_in(db, _gone(db, senders=senders))
    if forgotten:
        checkpoint(engine)
    return forgotten


def sweep(engine: sa.engine.Engine, size: Optional[int] = None) -> int:
    """Check the next `size` (`SWEEP`) summarised senders (and whatever staff recorded in the
    same key range) for events; forget those without. The number forgotten."""
    size = size or SWEEP
    key = str(engine.url)
    after = _swept_after.get(key, "")
    with engine.begin() as db:
        keys = list(db.execute(sa.select(CONVERSATIONS.c.sender_id).where(CONVERSATIONS.c.sender_id > after)
                               .order_by(CONVERSATIONS.c.sender_id).limit(size)).scalars())
        upto = keys[-1] if len(keys) == size else None  # None: up to the end, then round again
        forgotten = forget_erased_in(db, _gone(db, after=after, upto=upto))
    _swept_after[key] = upto or ""
    if forgotten:
        checkpoint(engine)
    return forgotten


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
        sweep(engine)
        with engine.connect() as db:
            newest, newest_at = db.execute(sa.select(EVENTS.c.id, EVENTS.c.timestamp)
                                           .order_by(EVENTS.c.id.desc()).limit(1)).first() or (0, None)
            state = dict(db.execute(sa.select(STATE.c.key, STATE.c.value)
                                    .where(STATE.c.key.in_((SEEN_KEY, SEEN_AT_KEY, VERSION_KEY)))).all())
            # Summaries made by other rules (an older VERSION): summarise every conversation again.
            seen = state.get(SEEN_KEY) if state.get(VERSION_KEY) == VERSION else None
            if seen is not None and newest <= seen and _same_event(db, seen, state.get(SEEN_AT_KEY)):
                return 0
            if seen is None:
                senders: Iterable[str] = _all_senders(engine)
            else:
                # SQLite gives the ids of erased newest events again (Rasa's table has no
                # AUTOINCREMENT): then the event last seen is another one, or gone, and the
                # ids from below the lower of the two are read again.
                senders = list(db.execute(sa.select(EVENTS.c.sender_id).distinct()
                                          .where(EVENTS.c.id > min(seen, newest) - LOOKBACK)).scalars())
        done = erased = 0
        for batch in _batches(senders):
            with engine.begin() as db:
                erased += len(refresh(db, batch))
            done += len(batch)
        with engine.begin() as db:
            db.execute(STATE.delete().where(STATE.c.key.in_((SEEN_KEY, SEEN_AT_KEY, VERSION_KEY))))
            db.execute(STATE.insert(), [{"key": SEEN_KEY, "value": float(newest)},
                                        {"key": SEEN_AT_KEY, "value": _stamp(newest_at)},
                                        {"key": VERSION_KEY, "value": VERSION}])
        if erased:
            checkpoint(engine)
        if done >= ANALYZE_AFTER:
            analyze(engine)
        return done


def _stamp(timestamp: Optional[float]) -> float:
    return float(timestamp) if timestamp is not None else -1.0


def _same_event(db, event_id: float, stamp: Optional[float]) -> bool:
    """Whether the event `event_id` is still the one seen last (same timestamp)."""
    if stamp is None:
        return False
    found = db.execute(sa.select(EVENTS.c.timestamp).where(EVENTS.c.id == int(event_id))).first()
    return found is not None and _stamp(found[0]) == stamp


def analyze(engine: sa.engine.Engine) -> None:
    """Fresh planner statistics after many rows changed: without them SQLite chose a full
    table scan for a period's figures (about 10 times slower at 100 000 conversations)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        for table in (CONVERSATIONS, TOPICS):
            db.exec_driver_sql(f"ANALYZE {table.name}")
