"""The conversation list as SQL: filters, counting and paging over the summary rows
(review/index.py) and what staff recorded (reviewed, tags, follow-ups)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, List, Mapping, Optional, Tuple

import sqlalchemy as sa

from review.schema import CONVERSATIONS, FOLLOWUPS, NOTES, REVIEWED, TAGS, TOPICS
from review.topics import TOPIC_NAMES

FLAGS = {  # flag -> Dutch label
    "emergency": "Noodsituatie",
    "fallback": "Niet begrepen",
    "negative_feedback": "Negatieve feedback",
    "registration": "Aanmelden",
}
TAG_NAMES = {"test": "Test", "inhoud": "Inhoud verbeteren", "voorbeeld": "Goed voorbeeld"}
REVIEWED_CHOICES = {"": "Alle", "ja": "Nagekeken", "nee": "Nog niet nagekeken"}
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
LOW_CONFIDENCE = 0.6


def low_confidence_threshold() -> float:
    """REVIEW_LOW_CONFIDENCE (default 0.6): a typed message whose intent the classifier gave a
    lower confidence counts as "lage zekerheid". The bot's own fallback threshold is 0.3
    (config.yml): between the two the bot answered, but was unsure."""
    value = float(os.environ.get("REVIEW_LOW_CONFIDENCE", LOW_CONFIDENCE))
    if not 0 < value <= 1:
        raise SystemExit("REVIEW_LOW_CONFIDENCE must be between 0 and 1")
    return value


def _midnight(day: date) -> float:
    """The start of `day` in the server's time zone (as the summary's `day` is)."""
    return datetime(day.year, day.month, day.day).timestamp()


def parse_date(text: str) -> Optional[date]:
    """2025-01-31 (what a date field sends) or 31-01-2025 (what staff type); None if neither."""
    text = text.strip()
    match = _DUTCH_DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class Filters:
    flags: Tuple[str, ...] = ()
    since: Optional[date] = None
    until: Optional[date] = None
    reviewed: str = ""
    tag: str = ""
    topic: str = ""
    low: bool = False
    note: bool = False
    errors: List[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Filters":
        """From URL query values (?emergency=1&since=2025-01-31&reviewed=nee&tag=test...).

        A wrong or reversed date range is not ignored: it is kept in `errors`, in Dutch."""
        flags = tuple(flag for flag in FLAGS if query.get(flag, "") in ("1", "on", "true"))
        errors: List[str] = []
        dates = {}
        for key, label in (("since", "van"), ("until", "tot en met")):
            text = query.get(key, "").strip()
            dates[key] = parse_date(text) if text else None
            if text and dates[key] is None:
                errors.append(f"De datum bij ‘{label}’ klopt niet: ‘{text[:20]}’. "
                              "Schrijf hem als dag-maand-jaar, bijvoorbeeld 31-01-2025.")
        if dates["since"] and dates["until"] and dates["since"] > dates["until"]:
            errors.append(f"De datum ‘van’ ({dates['since']:%d-%m-%Y}) ligt na ‘tot en met’ "
                          f"({dates['until']:%d-%m-%Y}). Draai de datums om.")
        reviewed = query.get("reviewed", "")
        tag, topic = query.get("tag", ""), query.get("topic", "")
        return cls(flags, dates["since"], dates["until"],
                   reviewed if reviewed in REVIEWED_CHOICES else "",
                   tag if tag in TAG_NAMES else "", topic if topic in TOPIC_NAMES else "",
                   query.get("low", "") in ("1", "on", "true"), query.get("note", "") in ("1", "on", "true"),
                   errors)

    def as_query(self) -> Dict[str, str]:
        query = {flag: "1" for flag in self.flags}
        query.update({key: value.isoformat() for key, value in (("since", self.since), ("until", self.until))
                      if value})
        query.update({key: value for key, value in (("reviewed", self.reviewed), ("tag", self.tag),
                                                    ("topic", self.topic)) if value})
        query.update({key: "1" for key, on in (("low", self.low), ("note", self.note)) if on})
        return query

    def describe(self) -> Dict[str, str]:
        """The filters as the audit log records them."""
        return self.as_query()

    def conditions(self, threshold: float, table: sa.Table = CONVERSATIONS, by_day: bool = False) -> list:
        """SQL conditions for these filters on review_conversations, or on review_topics (which
        repeats the columns filtered on); `by_day`: the period on the `day` column (the
        overview's covering index) instead of the start time (the list's order)."""
        c = table.c
        where = [c[flag] == 1 for flag in self.flags]
        if table is CONVERSATIONS and not by_day:
            # The start time, not the day: one index then gives both the period and the
            # newest-first order (a period's page took 90 ms via the day, 10 ms this way).
            if self.since:
                where.append(c.started >= _midnight(self.since))
            if self.until:
                where.append(c.started < _midnight(self.until + timedelta(days=1)))
        else:
            if self.since:
                where.append(c.day >= self.since.isoformat())
            if self.until:
                where.append(c.day <= self.until.isoformat())
        # IN (subquery), not EXISTS: the list joins review_reviewed itself (auto-correlation),
        # and SQLite builds each small set once instead of probing it per row.
        reviewed = c.sender_id.in_(sa.select(REVIEWED.c.sender_id))
        if self.reviewed == "ja":
            where.append(reviewed)
        elif self.reviewed == "nee":
            where.append(~reviewed)
        if self.tag:
            where.append(c.sender_id.in_(sa.select(TAGS.c.sender_id).where(TAGS.c.tag == self.tag)))
        if self.topic:
            where.append(c.sender_id.in_(sa.select(TOPICS.c.sender_id).where(TOPICS.c.intent == self.topic)))
        if self.low:
            where.append(c.min_confidence < threshold)
        if self.note:
            where.append(c.sender_id.in_(sa.select(NOTES.c.sender_id)))
        return where


def alarmed():
    """SQL: the conversation had an alarm (review/alarms.py); the same rows as the flag
    `emergency` (review/index.py sets `emergency_at` > 0 exactly then)."""
    return CONVERSATIONS.c.emergency_at > 0  # "> 0", not "IS NOT NULL": a range on its index


def emergency_open():
    """SQL: the conversation had an alarm and no follow-up covers the last one."""
    c = CONVERSATIONS.c
    covered = (sa.exists().where(FOLLOWUPS.c.sender_id == c.sender_id, FOLLOWUPS.c.covers >= c.emergency_at)
               .correlate(CONVERSATIONS))
    return sa.and_(alarmed(), ~covered)


def by_last_alarm():
    """Newest alarm first (the queue's order, read from its index)."""
    c = CONVERSATIONS.c
    return (c.emergency_at.desc(), c.sender_id.desc())


@dataclass
class Row:
    sender_id: str
    started: datetime
    ended: datetime
    user_messages: int
    topics: List[str]
    flags: List[str]
    low_confidence: bool
    emergency_open: bool
    reviewed_by: Optional[str] = None
    reviewed_at: Optional[datetime] = None
    has_note: bool = False
    tags: List[str] = field(default_factory=list)


def _columns():
    c = CONVERSATIONS.c
    return [c.sender_id, c.started, c.ended, c.user_messages, c.topics, c.min_confidence,
            *(c[flag] for flag in FLAGS), emergency_open().label("open"),
            REVIEWED.c.account, REVIEWED.c.at, NOTES.c.at.label("note_at")]


def _rows(db, query, threshold: float) -> List[Row]:
    rows = []
    for record in db.execute(query):
        m = record._mapping
        rows.append(Row(m["sender_id"], datetime.fromtimestamp(m["started"]), datetime.fromtimestamp(m["ended"]),
                        m["user_messages"], [t for t in m["topics"].split(",") if t],
                        [flag for flag in FLAGS if m[flag]],
                        m["min_confidence"] is not None and m["min_confidence"] < threshold, bool(m["open"]),
                        m["account"], datetime.fromtimestamp(m["at"]) if m["at"] else None,
                        m["note_at"] is not None))
    if rows:
        tags = db.execute(sa.select(TAGS.c.sender_id, TAGS.c.tag)
                          .where(TAGS.c.sender_id.in_([r.sender_id for r in rows])).order_by(TAGS.c.tag))
        by_sender = {r.sender_id: r for r in rows}
        for sender, tag in tags:
            by_sender[sender].tags.append(tag)
    return rows


def _joined(query):
    c = CONVERSATIONS.c
    return (query.select_from(CONVERSATIONS.outerjoin(REVIEWED, REVIEWED.c.sender_id == c.sender_id)
                              .outerjoin(NOTES, NOTES.c.sender_id == c.sender_id)))


def count(engine, filters: Filters, threshold: float, extra=()) -> int:
    query = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(*filters.conditions(threshold), *extra)
    with engine.connect() as db:
        return db.execute(query).scalar() or 0


def page(engine, filters: Filters, threshold: float, number: int, size: int, extra=(), order=None) -> List[Row]:
    """Page `number` (from 1) of the matching conversations, newest first (or in `order`:
    SQL order terms with `sender_id` last, e.g. `by_last_alarm()`).

    First the page's keys alone (the index on (started, sender_id) covers them, so skipping
    to page 4 000 reads no table rows), then only those rows with what staff recorded."""
    c = CONVERSATIONS.c
    order = order or (c.started.desc(), c.sender_id.desc())
    keys = (sa.select(c.sender_id).where(*filters.conditions(threshold), *extra)
            .order_by(*order).limit(size).offset((number - 1) * size))
    with engine.connect() as db:
        senders = list(db.execute(keys).scalars())
        if not senders:
            return []
        place = {sender: n for n, sender in enumerate(senders)}
        return sorted(by_senders(db, senders, threshold), key=lambda row: place[row.sender_id])


def one(engine, sender_id: str, threshold: float) -> Optional[Row]:
    query = _joined(sa.select(*_columns())).where(CONVERSATIONS.c.sender_id == sender_id)
    with engine.connect() as db:
        rows = _rows(db, query, threshold)
    return rows[0] if rows else None


def senders(engine, filters: Filters, threshold: float, after: Optional[Tuple[float, str]], size: int) -> list:
    """(started, sender_id) of the next `size` matching conversations after `after`, newest
    first: keyset paging, so an export of everything reads each row once."""
    c = CONVERSATIONS.c
    where = filters.conditions(threshold)
    if after:
        where.append(sa.or_(c.started < after[0], sa.and_(c.started == after[0], c.sender_id < after[1])))
    query = sa.select(c.started, c.sender_id).where(*where).order_by(c.started.desc(), c.sender_id.desc()).limit(size)
    with engine.connect() as db:
        return [tuple(row) for row in db.execute(query)]


def by_senders(db, senders: List[str], threshold: float) -> List[Row]:
    """The rows of `senders`, newest first (one batch of an export)."""
    c = CONVERSATIONS.c
    query = _joined(sa.select(*_columns())).where(c.sender_id.in_(senders)).order_by(c.started.desc(),
                                                                                    c.sender_id.desc())
    return _rows(db, query, threshold)
