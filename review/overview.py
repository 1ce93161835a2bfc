"""The overview's figures, each one SQL query over the summary rows.

Conversations tagged "test" are left out: staff try the bot themselves, and those
conversations would skew the figures the practice reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa

from review.conversations import FLAGS, Filters, emergency_open
from review.schema import CONVERSATIONS, CORRECTIONS, REVIEWED, TAGS, TOPICS

MAX_DAYS = 366


@dataclass
class Overview:
    conversations: int
    per_day: List[Tuple[date, int]]
    top_topics: List[Tuple[str, int]]
    user_messages: int
    fallback_messages: int
    flagged: Dict[str, int]
    feedback_positive: int
    feedback_negative: int
    low_confidence: int
    emergencies_open: int
    reviewed: int
    corrections: int
    test_left_out: int

    def share(self, flag: str) -> float:
        return self.flagged[flag] / self.conversations if self.conversations else 0.0

    @property
    def fallback_message_rate(self) -> float:
        return self.fallback_messages / self.user_messages if self.user_messages else 0.0

    @property
    def positive_feedback_ratio(self) -> Optional[float]:
        given = self.feedback_positive + self.feedback_negative
        return self.feedback_positive / given if given else None


def test_senders():
    return sa.select(TAGS.c.sender_id).where(TAGS.c.tag == "test")


def not_test():
    return ~CONVERSATIONS.c.sender_id.in_(test_senders())


def _days(per_day: Dict[str, int], filters: Filters) -> List[Tuple[date, int]]:
    known = [date.fromisoformat(day) for day in per_day]
    first, last = filters.since or min(known, default=None), filters.until or max(known, default=None)
    if not (first and last):
        return []
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [(first + timedelta(n), per_day.get((first + timedelta(n)).isoformat(), 0))
            for n in range((last - first).days + 1)]


def _top_topics(db, filters: Filters, threshold: float) -> List[Tuple[str, int]]:
    """The 10 topics asked in most conversations, from the topic rows alone (they repeat
    the columns the filters need), read from their covering index."""
    t = TOPICS.c
    where = [*filters.conditions(threshold, TOPICS, dialect=db.dialect.name), ~t.sender_id.in_(test_senders())]
    query = (sa.select(t.intent, sa.func.count().label("n")).where(*where).group_by(t.intent)
             .order_by(sa.desc("n"), t.intent).limit(10))
    return [(intent, count) for intent, count in db.execute(query)]


def overview(engine: sa.engine.Engine, filters: Filters, threshold: float) -> Overview:
    """The figures; one scan of the covering index for every sum per day, small queries for the rest."""
    c = CONVERSATIONS.c
    where = [*filters.conditions(threshold, by_day=True, dialect=engine.dialect.name), not_test()]
    per_day = sa.select(
        c.day, sa.func.count(), sa.func.sum(c.user_messages), sa.func.sum(c.fallback_messages),
        sa.func.sum(c.feedback_positive), sa.func.sum(c.feedback_negative),
        sa.func.sum(sa.case((c.min_confidence < threshold, 1), else_=0)),
        *(sa.func.sum(c[flag]) for flag in FLAGS)).where(*where).group_by(c.day)
    still_open = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(emergency_open(), *where)
    # Counted from the staff's (small) tables, each row checked against the filters.
    reviewed = sa.select(sa.func.count()).select_from(REVIEWED).where(
        sa.exists().where(c.sender_id == REVIEWED.c.sender_id, *where).correlate(REVIEWED))
    corrections = sa.select(sa.func.count()).select_from(CORRECTIONS).where(
        sa.exists().where(c.sender_id == CORRECTIONS.c.sender_id, *where).correlate(CORRECTIONS))
    tested = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(
        *filters.conditions(threshold, by_day=True, dialect=engine.dialect.name),
                                                                          c.sender_id.in_(test_senders()))
    with engine.connect() as db:
        days, totals = {}, [0] * (6 + len(FLAGS))
        for day, *sums in db.execute(per_day):
            days[day] = sums[0]
            totals = [total + int(value or 0) for total, value in zip(totals, sums)]
        n, users, fallbacks, positive, negative, low, *flags = totals
        figures = Overview(
            conversations=n, per_day=_days(days, filters), top_topics=_top_topics(db, filters, threshold),
            user_messages=users, fallback_messages=fallbacks, flagged=dict(zip(FLAGS, flags)),
            feedback_positive=positive, feedback_negative=negative, low_confidence=low,
            emergencies_open=db.execute(still_open).scalar() or 0, reviewed=db.execute(reviewed).scalar() or 0,
            corrections=db.execute(corrections).scalar() or 0, test_left_out=db.execute(tested).scalar() or 0)
    return figures
