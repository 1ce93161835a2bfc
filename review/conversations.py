"""The conversation list as SQL: filters, counting and paging over the summary rows
(review/index.py) and what staff recorded (reviewed, tags, follow-ups)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, List, Mapping, Optional, Tuple

import sqlalchemy as sa

from review import search
from review.schema import CONVERSATIONS, FOLLOWUPS, NOTES, REVIEWED, TAGS, TOPICS
from review.topics import TOPIC_NAMES
from review.workflow import STATUS_NAMES, assignees, status_condition

FLAGS = {  # flag -> Dutch label
    "emergency": "Noodsituatie",
    "fallback": "Niet begrepen",
    "negative_feedback": "Negatieve feedback",
    "registration": "Aanmelden",
}
TAG_NAMES = {"test": "Test", "inhoud": "Inhoud verbeteren", "voorbeeld": "Goed voorbeeld"}
REVIEWED_CHOICES = {"": "Alle", "ja": "Nagekeken", "nee": "Nog niet nagekeken"}
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})|(\d{1,2})")
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


def parse_time(text: str) -> Optional[int]:
    """17:30, 17.30 or 17 as the minute of the day (1050); None if it is no time."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    hour, minute = (int(match.group(1)), int(match.group(2))) if match.group(1) else (int(match.group(3)), 0)
    return hour * 60 + minute if hour < 24 and minute < 60 else None


def clock(minute: Optional[int]) -> str:
    return "" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


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
    search: str = ""  # words of a parent's message (review/search.py)
    time_from: Optional[int] = None  # minute of the day the conversation began, from ...
    time_to: Optional[int] = None  # ... up to and including; over midnight when lower than `time_from`
    status: str = ""  # nieuw | nagekeken | opgevolgd (review/workflow.py)

    @property
    def words(self) -> List[str]:
        return search.terms(self.search)

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
        times = {}
        for key, label in (("time_from", "van"), ("time_to", "tot")):
            text = query.get(key, "").strip()
            times[key] = parse_time(text) if text else None
            if text and times[key] is None:
                errors.append(f"De tijd bij ‘{label}’ klopt niet: ‘{text[:20]}’. "
                              "Schrijf hem als uren:minuten, bijvoorbeeld 17:30.")
        words = query.get("q", "").strip()[:200]
        if words and not search.terms(words):
            errors.append("Zoek op een woord uit het bericht, bijvoorbeeld ‘bijten’.")
        reviewed = query.get("reviewed", "")
        tag, topic = query.get("tag", ""), query.get("topic", "")
        return cls(flags, dates["since"], dates["until"],
                   reviewed if reviewed in REVIEWED_CHOICES else "",
                   tag if tag in TAG_NAMES else "", topic if topic in TOPIC_NAMES else "",
                   query.get("low", "") in ("1", "on", "true"), query.get("note", "") in ("1", "on", "true"),
                   errors, words, times["time_from"], times["time_to"],
                   query.get("status", "") if query.get("status", "") in STATUS_NAMES else "")

    def as_query(self) -> Dict[str, str]:
        query = {flag: "1" for flag in self.flags}
        query.update({key: value.isoformat() for key, value in (("since", self.since), ("until", self.until))
                      if value})
        query.update({key: value for key, value in (("reviewed", self.reviewed), ("tag", self.tag),
                                                    ("topic", self.topic)) if value})
        query.update({key: "1" for key, on in (("low", self.low), ("note", self.note)) if on})
        query.update({key: clock(value) for key, value in (("time_from", self.time_from), ("time_to", self.time_to))
                      if value is not None})
        if self.status:
            query["status"] = self.status
        if self.search:
            query["q"] = self.search
        return query

    def describe(self) -> Dict[str, str]:
        """The filters as the audit log records them: the search by its number of words only,
        never the words (they may quote a parent, and the access log is kept for years and
        cannot be changed)."""
        described = {key: value for key, value in self.as_query().items() if key != "q"}
        if self.search:
            described["search_words"] = str(len(self.words))
        return described

    def conditions(self, threshold: float, table: sa.Table = CONVERSATIONS, by_day: bool = False,
                   dialect: str = "sqlite") -> list:
        """SQL conditions for these filters on review_conversations, or on review_topics (which
        repeats the columns filtered on); `by_day`: the period on the `day` column (the
        overview's covering index) instead of the start time (the list's order); `dialect`:
        the database's, for the full-text search."""
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
        if self.words:
            where.append(search.condition(dialect, self.words, c.sender_id))
        if self.status:
            where.append(status_condition(self.status, table))
        if self.time_from is not None or self.time_to is not None:
            minute = CONVERSATIONS.c.minute
            low, high = self.time_from or 0, 1439 if self.time_to is None else self.time_to
            in_time = minute.between(low, high) if low <= high else sa.or_(minute >= low, minute <= high)
            where.append(in_time if table is CONVERSATIONS else
                         c.sender_id.in_(sa.select(CONVERSATIONS.c.sender_id).where(in_time)))
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
    preview: Optional[str] = None  # the parent's first typed message, shortened
    emergency_at: Optional[float] = None  # time of the last alarm (the queue's order)
    assigned_to: Optional[str] = None  # "toegewezen aan" (review/workflow.py)
    match: Optional[tuple] = None  # (before, word, after) of the message the search found

    @property
    def status(self) -> str:
        """One status (review/workflow.py): an emergency is nieuw until followed up."""
        if "emergency" in self.flags:
            return "nieuw" if self.emergency_open else "opgevolgd"
        return "nagekeken" if self.reviewed_by else "nieuw"

    @property
    def time_of_day(self) -> str:
        return self.started.strftime("%H:%M")


def _columns():
    c = CONVERSATIONS.c
    return [c.sender_id, c.started, c.ended, c.user_messages, c.topics, c.min_confidence, c.preview, c.emergency_at,
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
                        m["note_at"] is not None, preview=m["preview"], emergency_at=m["emergency_at"]))
    if rows:
        tags = db.execute(sa.select(TAGS.c.sender_id, TAGS.c.tag)
                          .where(TAGS.c.sender_id.in_([r.sender_id for r in rows])).order_by(TAGS.c.tag))
        by_sender = {r.sender_id: r for r in rows}
        for sender, tag in tags:
            by_sender[sender].tags.append(tag)
        for sender, account in assignees(db, list(by_sender)).items():
            by_sender[sender].assigned_to = account
    return rows


def _joined(query):
    c = CONVERSATIONS.c
    return (query.select_from(CONVERSATIONS.outerjoin(REVIEWED, REVIEWED.c.sender_id == c.sender_id)
                              .outerjoin(NOTES, NOTES.c.sender_id == c.sender_id)))


def count(engine, filters: Filters, threshold: float, extra=()) -> int:
    query = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(
        *filters.conditions(threshold, dialect=engine.dialect.name), *extra)
    with engine.connect() as db:
        return db.execute(query).scalar() or 0


def page(engine, filters: Filters, threshold: float, number: int, size: int, extra=(), order=None) -> List[Row]:
    """Page `number` (from 1) of the matching conversations, newest first (or in `order`:
    SQL order terms with `sender_id` last, e.g. `by_last_alarm()`).

    First the page's keys alone (the index on (started, sender_id) covers them, so skipping
    to page 4 000 reads no table rows), then only those rows with what staff recorded."""
    c = CONVERSATIONS.c
    order = order or (c.started.desc(), c.sender_id.desc())
    keys = (sa.select(c.sender_id).where(*filters.conditions(threshold, dialect=engine.dialect.name), *extra)
            .order_by(*order).limit(size).offset((number - 1) * size))
    with engine.connect() as db:
        senders = list(db.execute(keys).scalars())
        if not senders:
            return []
        place = {sender: n for n, sender in enumerate(senders)}
        rows = sorted(by_senders(db, senders, threshold), key=lambda row: place[row.sender_id])
    if filters.words:
        found = search.hits(engine, senders, filters.words)
        for row in rows:
            if row.sender_id in found:
                row.match = search.excerpt(found[row.sender_id][1], filters.words)
    return rows


def one(engine, sender_id: str, threshold: float) -> Optional[Row]:
    query = _joined(sa.select(*_columns())).where(CONVERSATIONS.c.sender_id == sender_id)
    with engine.connect() as db:
        rows = _rows(db, query, threshold)
    return rows[0] if rows else None


def senders(engine, filters: Filters, threshold: float, after: Optional[Tuple[float, str]], size: int) -> list:
    """(started, sender_id) of the next `size` matching conversations after `after`, newest
    first: keyset paging, so an export of everything reads each row once."""
    c = CONVERSATIONS.c
    where = filters.conditions(threshold, dialect=engine.dialect.name)
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
