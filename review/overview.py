"""The overview's figures, each one SQL query over the summary rows.

Conversations tagged "test" are left out: staff try the bot themselves, and those
conversations would skew the figures the practice reports.

The period (`Period`): this week by default, with the shortcuts "deze week", "vorige week",
"deze maand", "vorige maand" and "alles" (`?periode=`), or the dates of the filter form.
Each period but "alles" is compared with the one before it of the same length: this week
so far (Monday up to today) with the same days of last week, this month so far with the
same days of last month, a whole week or month with the one before, a chosen range with
as many days right before it. Why the same days, not the whole week: on a Wednesday,
three days against seven would look like a drop every week.

Why one emergency count and one "niet begrepen" rate: the overview showed three emergency
figures and two rates, and staff could not say which to report (issue 21). The count is
the conversations with an alarm (review/alarms.py), split by what the chat did
(`alarm_answer`, review/index.py); the rate is per message of a parent, the measure of
how well the chat understands (the share of conversations mixes in how long they were).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Dict, List, Mapping, Optional, Tuple

import sqlalchemy as sa

from review.conversations import FLAGS, Filters, alarmed, emergency_open
from review.schema import CONVERSATIONS, CORRECTIONS, REVIEWED, TAGS, TOPICS
from review.words import day_words

MAX_DAYS = 366
# `alarm_answer` of a conversation with an alarm (review/index.py): what the chat did.
ANSWERED, QUESTION_ONLY, NEITHER = 2, 1, 0
PERIODS = {"deze-week": "Deze week", "vorige-week": "Vorige week", "deze-maand": "Deze maand",
           "vorige-maand": "Vorige maand", "alles": "Alles"}
DEFAULT_PERIOD = "deze-week"
OWN = "eigen"  # dates chosen in the filter form


@dataclass
class Period:
    key: str  # a key of PERIODS, or OWN
    since: Optional[date]
    until: Optional[date]
    previous: Optional[Tuple[date, date]] = None  # the period compared with
    previous_name: str = ""  # "vorige week": how the comparison reads

    @property
    def name(self) -> str:
        return PERIODS.get(self.key, "Eigen periode")

    @property
    def dates(self) -> str:
        """"maandag 30 november t/m maandag 7 december 2026", or "" for all time."""
        return _range_words(self.since, self.until)

    @property
    def previous_dates(self) -> str:
        return _range_words(*self.previous) if self.previous else ""


def _range_words(since: Optional[date], until: Optional[date]) -> str:
    if since and until:
        if since == until:
            return day_words(since, weekday=True)
        return f"{day_words(since, year=since.year != until.year, weekday=True)} t/m {day_words(until, weekday=True)}"
    if since:
        return f"vanaf {day_words(since, weekday=True)}"
    if until:
        return f"tot en met {day_words(until, weekday=True)}"
    return ""


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, -1) - timedelta(days=1)


def shortcut(key: str, today: date) -> Period:
    """One of PERIODS as dates, with the period it is compared with."""
    monday = today - timedelta(days=today.weekday())
    week = timedelta(days=7)
    if key == "deze-week":
        return Period(key, monday, today, (monday - week, today - week), "vorige week")
    if key == "vorige-week":
        return Period(key, monday - week, monday - timedelta(days=1),
                      (monday - 2 * week, monday - week - timedelta(days=1)), "de week ervoor")
    if key == "deze-maand":
        first, before = _month_start(today), _month_start(today, 1)
        return Period(key, first, today, (before, _same_day(before, today.day)), "vorige maand")
    if key == "vorige-maand":
        first, before = _month_start(today, 1), _month_start(today, 2)
        return Period(key, first, _month_end(first), (before, _month_end(before)), "de maand ervoor")
    return Period("alles", None, None)


def _same_day(first: date, day: int) -> date:
    """Day `day` of the month that begins at `first`, or its last day when it is shorter."""
    return min(first + timedelta(days=day - 1), _month_end(first))


def period_of(query: Mapping[str, str], filters: Filters, today: Optional[date] = None) -> Period:
    """The overview's period: `?periode=` (a shortcut), else the filter form's dates (the
    shortcut whose dates they are, if any), else this week."""
    today = today or date.today()
    key = query.get("periode", "")
    if key in PERIODS:
        return shortcut(key, today)
    if not (filters.since or filters.until):
        return shortcut(DEFAULT_PERIOD, today)
    for name in PERIODS:
        found = shortcut(name, today)
        if (found.since, found.until) == (filters.since, filters.until):
            return found
    since, until = filters.since, filters.until
    if since is None:  # up to a date, from the first conversation on: nothing before it to compare
        return Period(OWN, None, until)
    end = until or today
    days = (end - since).days + 1
    if days <= 0:
        return Period(OWN, since, until)
    previous = (since - timedelta(days=days), since - timedelta(days=1))
    return Period(OWN, since, until, previous, "de dag ervoor" if days == 1 else f"de {days} dagen ervoor")


def in_period(filters: Filters, since: Optional[date], until: Optional[date]) -> Filters:
    """`filters` with the period `since`-`until` instead of their own dates."""
    return replace(filters, since=since, until=until, errors=list(filters.errors))


@dataclass
class Headline:
    """The figures compared with the period before: conversations, emergencies, "niet begrepen"."""
    conversations: int
    emergencies: int
    user_messages: int
    fallback_messages: int

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.fallback_messages / self.user_messages if self.user_messages else None


def headline(engine: sa.engine.Engine, filters: Filters, threshold: float) -> Headline:
    """The compared figures alone, for the period before (one query over the overview's index)."""
    c = CONVERSATIONS.c
    where = [*filters.conditions(threshold, by_day=True, dialect=engine.dialect.name), not_test()]
    query = sa.select(sa.func.count(), sa.func.sum(c.emergency), sa.func.sum(c.user_messages),
                      sa.func.sum(c.fallback_messages)).where(*where)
    with engine.connect() as db:
        found = db.execute(query).first()
    return Headline(*(int(value or 0) for value in found))


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
    emergency_parts: Dict[int, int]  # alarm_answer -> conversations (ANSWERED, QUESTION_ONLY, NEITHER)
    fallback_conversations: int  # conversations with a message the chat did not understand

    @property
    def emergencies(self) -> int:
        return self.flagged["emergency"]

    @property
    def emergency_answered(self) -> int:
        return self.emergency_parts.get(ANSWERED, 0)

    @property
    def safety_question_only(self) -> int:
        return self.emergency_parts.get(QUESTION_ONLY, 0)

    @property
    def emergency_neither(self) -> int:
        """Alarms without the emergency answer or the safety question stored (older versions
        of the bot): whatever the parts do not explain, so the parts always add up."""
        return self.emergencies - self.emergency_answered - self.safety_question_only

    @property
    def headline(self) -> Headline:
        return Headline(self.conversations, self.emergencies, self.user_messages, self.fallback_messages)

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.headline.fallback_rate

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
    # Few rows (those with an alarm), found by the queue's index on `emergency_at`.
    parts = sa.select(c.alarm_answer, sa.func.count()).where(alarmed(), *where).group_by(c.alarm_answer)
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
            corrections=db.execute(corrections).scalar() or 0, test_left_out=db.execute(tested).scalar() or 0,
            emergency_parts={answer: n for answer, n in db.execute(parts) if answer is not None},
            fallback_conversations=flags[list(FLAGS).index("fallback")])
    return figures
