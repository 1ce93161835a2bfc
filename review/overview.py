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


def not_test():
    return ~CONVERSATIONS.c.sender_id.in_(sa.select(TAGS.c.sender_id).where(TAGS.c.tag == "test"))


def _days(per_day: Dict[str, int], filters: Filters) -> List[Tuple[date, int]]:
    known = [date.fromisoformat(day) for day in per_day]
    first, last = filters.since or min(known, default=None), filters.until or max(known, default=None)
    if not (first and last):
        return []
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [(first + timedelta(n), per_day.get((first + timedelta(n)).isoformat(), 0))
            for n in range((last - first).days + 1)]


def overview(engine: sa.engine.Engine, filters: Filters, threshold: float) -> Overview:
    c = CONVERSATIONS.c
    where = [*filters.conditions(threshold), not_test()]
    reviewed = c.sender_id.in_(sa.select(REVIEWED.c.sender_id))
    totals = sa.select(
        sa.func.count(), sa.func.sum(c.user_messages), sa.func.sum(c.fallback_messages),
        sa.func.sum(c.feedback_positive), sa.func.sum(c.feedback_negative),
        sa.func.sum(sa.case((c.min_confidence < threshold, 1), else_=0)),
        sa.func.sum(sa.case((emergency_open(), 1), else_=0)),
        sa.func.sum(sa.case((reviewed, 1), else_=0)),
        *(sa.func.sum(c[flag]) for flag in FLAGS)).where(*where)
    per_day = sa.select(c.day, sa.func.count()).where(*where).group_by(c.day)
    topics = (sa.select(TOPICS.c.intent, sa.func.count().label("n"))
              .select_from(TOPICS.join(CONVERSATIONS, CONVERSATIONS.c.sender_id == TOPICS.c.sender_id))
              .where(*where).group_by(TOPICS.c.intent).order_by(sa.desc("n"), TOPICS.c.intent).limit(10))
    corrections = (sa.select(sa.func.count()).select_from(
        CORRECTIONS.join(CONVERSATIONS, CONVERSATIONS.c.sender_id == CORRECTIONS.c.sender_id)).where(*where))
    tested = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(*filters.conditions(threshold), ~not_test())
    with engine.connect() as db:
        n, users, fallbacks, positive, negative, low, open_, done, *flags = db.execute(totals).one()
        days = {day: count for day, count in db.execute(per_day)}
        top = [(intent, count) for intent, count in db.execute(topics)]
        fixed = db.execute(corrections).scalar() or 0
        left_out = db.execute(tested).scalar() or 0
    return Overview(
        conversations=n or 0, per_day=_days(days, filters), top_topics=top, user_messages=int(users or 0),
        fallback_messages=int(fallbacks or 0), flagged={flag: int(v or 0) for flag, v in zip(FLAGS, flags)},
        feedback_positive=int(positive or 0), feedback_negative=int(negative or 0), low_confidence=int(low or 0),
        emergencies_open=int(open_ or 0), reviewed=int(done or 0), corrections=fixed, test_left_out=left_out)
