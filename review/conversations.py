"""Conversations (all events of one sender) as the staff see them: list, flags, transcript, summary."""
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import sqlalchemy as sa

from actions import names
from tracker_store.database import EVENTS, has_events

FLAGS = {  # flag -> Dutch label
    "emergency": "Noodsituatie",
    "fallback": "Niet begrepen",
    "negative_feedback": "Negatieve feedback",
    "registration": "Aanmelden",
}
EMERGENCY_INTENTS, EMERGENCY_ACTIONS = (names.EMERGENCY_INTENT,), (names.EMERGENCY_RESPONSE,)
FALLBACK_INTENTS = (names.FALLBACK_INTENT, names.OUT_OF_SCOPE_INTENT)
FALLBACK_ACTIONS = (names.FALLBACK_ACTION,)
REGISTRATION_INTENTS, REGISTRATION_ACTIONS = (names.REGISTRATION_INTENT,), (names.REGISTRATION_ACTION,)
_FEEDBACK = {names.FEEDBACK_POSITIVE_INTENT: "positive", names.FEEDBACK_NEGATIVE_INTENT: "negative"}
NOT_TOPICS = {names.GREET_INTENT, names.GOODBYE_INTENT, names.THANK_INTENT, names.FEEDBACK_POSITIVE_INTENT,
              names.FEEDBACK_NEGATIVE_INTENT, names.FALLBACK_INTENT, names.OUT_OF_SCOPE_INTENT}


@dataclass
class Conversation:
    sender_id: str
    started: datetime
    ended: datetime
    user_messages: int
    fallback_messages: int = 0
    topics: List[str] = field(default_factory=list)
    feedback_positive: int = 0
    feedback_negative: int = 0
    emergency: bool = False
    fallback: bool = False
    negative_feedback: bool = False
    registration: bool = False

    @property
    def flags(self) -> List[str]:
        return [flag for flag in FLAGS if getattr(self, flag)]


@dataclass
class Filters:
    flags: Tuple[str, ...] = ()
    since: Optional[date] = None
    until: Optional[date] = None

    @classmethod
    def from_query(cls, query: Mapping[str, Sequence[str]]) -> "Filters":
        """From URL query values: ?emergency=1&fallback=1&since=2025-01-31&until=..."""
        flags = tuple(flag for flag in FLAGS if (query.get(flag) or [""])[0] in ("1", "on", "true"))
        return cls(flags, _date((query.get("since") or [""])[0]), _date((query.get("until") or [""])[0]))

    def matches(self, conversation: Conversation) -> bool:
        day = conversation.started.date()
        return (all(getattr(conversation, flag) for flag in self.flags)
                and (self.since is None or day >= self.since)
                and (self.until is None or day <= self.until))

    def as_query(self) -> Dict[str, str]:
        query = {flag: "1" for flag in self.flags}
        query.update({key: value.isoformat() for key, value in (("since", self.since), ("until", self.until)) if value})
        return query


def _date(text: str) -> Optional[date]:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _any(column: sa.Column, names: Sequence[str]):
    return sa.func.max(sa.case((column.in_(names), 1), else_=0))


def _count(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


def load_conversations(engine: sa.engine.Engine, filters: Filters = Filters(),
                       sender_id: Optional[str] = None) -> List[Conversation]:
    """Every conversation that matches `filters` (or only `sender_id`'s), newest first."""
    if not has_events(engine):
        return []
    e = EVENTS.c
    only = [e.sender_id == sender_id] if sender_id is not None else []
    summary = sa.select(
        e.sender_id, sa.func.min(e.timestamp), sa.func.max(e.timestamp),
        _count(e.type_name == "user"), _count(e.intent_name.in_(FALLBACK_INTENTS)),
        _any(e.intent_name, EMERGENCY_INTENTS), _any(e.action_name, EMERGENCY_ACTIONS),
        _any(e.intent_name, FALLBACK_INTENTS), _any(e.action_name, FALLBACK_ACTIONS),
        _any(e.intent_name, REGISTRATION_INTENTS), _any(e.action_name, REGISTRATION_ACTIONS),
    ).where(*only).group_by(e.sender_id)
    topics = sa.select(e.sender_id, e.intent_name, sa.func.count()).where(
        e.type_name == "user", e.intent_name.isnot(None), *only).group_by(e.sender_id, e.intent_name)
    feedback = sa.select(e.sender_id, e.data).where(e.type_name == "slot", e.action_name == names.FEEDBACK_SLOT, *only)
    with engine.connect() as db:
        conversations = {}
        for sender, first, last, users, fallbacks, *flags in db.execute(summary):
            conversations[sender] = Conversation(
                sender, datetime.fromtimestamp(first or 0), datetime.fromtimestamp(last or 0),
                int(users or 0), int(fallbacks or 0),
                emergency=bool(flags[0] or flags[1]), fallback=bool(flags[2] or flags[3]),
                registration=bool(flags[4] or flags[5]))
        for sender, intent, count in db.execute(topics):
            conversation = conversations[sender]
            if intent == names.FEEDBACK_POSITIVE_INTENT:
                conversation.feedback_positive += count
            elif intent == names.FEEDBACK_NEGATIVE_INTENT:
                conversation.feedback_negative += count
                conversation.negative_feedback = True
            elif intent not in NOT_TOPICS:
                conversation.topics.append(intent)
        for sender, data in db.execute(feedback):
            if json.loads(data).get("value") == "negative":
                conversations[sender].negative_feedback = True
    selected = [c for c in conversations.values() if filters.matches(c)]
    for conversation in selected:
        conversation.topics.sort()
    return sorted(selected, key=lambda c: c.started, reverse=True)


@dataclass
class Message:
    """One line of a transcript: from the parent ("user"), the bot, or a marker for staff."""
    kind: str  # user | bot | marker | session
    time: datetime
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    buttons: List[str] = field(default_factory=list)
    button: Optional[str] = None  # title of the button the parent pressed
    feedback: Optional[str] = None  # positive | negative
    safety_net: bool = False


_MARKERS = {
    **{action: "Noodsituatie: hulplijnen getoond" for action in EMERGENCY_ACTIONS},
    **{action: "Terugvalantwoord (niet begrepen)" for action in FALLBACK_ACTIONS},
    **{action: "Aanmeldinformatie getoond" for action in REGISTRATION_ACTIONS},
}


def load_transcript(engine: sa.engine.Engine, sender_id: str) -> List[Message]:
    """The conversation of `sender_id` in order; empty when there is none."""
    if not has_events(engine):
        return []
    query = sa.select(EVENTS.c.type_name, EVENTS.c.data).where(
        EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)
    with engine.connect() as db:
        rows = db.execute(query).all()
    messages: List[Message] = []
    payloads: Dict[str, str] = {}  # button payload -> title, from the bot's last buttons
    for type_name, data in rows:
        event = json.loads(data)
        time = datetime.fromtimestamp(event.get("timestamp") or 0)
        if type_name == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            text = event.get("text") or ""
            feedback = _FEEDBACK.get(intent.get("name"))
            messages.append(Message("user", time, text, intent.get("name"), intent.get("confidence"),
                                    button=payloads.get(text), feedback=feedback,
                                    safety_net=bool(parse.get("safety_net"))))
        elif type_name == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            payloads = {b.get("payload"): b.get("title") for b in buttons if b.get("payload")}
            titles = [b.get("title", "") for b in buttons]
            messages.append(Message("bot", time, event.get("text") or "", buttons=titles))
        elif type_name == "action" and event.get("name") in _MARKERS:
            messages.append(Message("marker", time, _MARKERS[event["name"]]))
        elif type_name == "session_started":
            messages.append(Message("session", time, "Nieuwe sessie"))
    return messages


@dataclass
class Summary:
    conversations: int
    per_day: List[Tuple[date, int]]
    top_topics: List[Tuple[str, int]]
    user_messages: int
    fallback_messages: int
    flagged: Dict[str, int]
    feedback_positive: int
    feedback_negative: int

    def share(self, flag: str) -> float:
        return self.flagged[flag] / self.conversations if self.conversations else 0.0

    @property
    def fallback_message_rate(self) -> float:
        return self.fallback_messages / self.user_messages if self.user_messages else 0.0

    @property
    def positive_feedback_ratio(self) -> Optional[float]:
        given = self.feedback_positive + self.feedback_negative
        return self.feedback_positive / given if given else None


def summarise(conversations: List[Conversation], filters: Filters = Filters(), max_days: int = 366) -> Summary:
    """Figures for the summary page; days without conversations count as 0."""
    per_day = Counter(c.started.date() for c in conversations)
    first = filters.since or min(per_day, default=None)
    last = filters.until or max(per_day, default=None)
    days: List[Tuple[date, int]] = []
    if first and last:
        first = max(first, last - timedelta(days=max_days - 1))
        days = [(first + timedelta(n), per_day.get(first + timedelta(n), 0)) for n in range((last - first).days + 1)]
    return Summary(
        conversations=len(conversations),
        per_day=days,
        top_topics=Counter(t for c in conversations for t in c.topics).most_common(10),
        user_messages=sum(c.user_messages for c in conversations),
        fallback_messages=sum(c.fallback_messages for c in conversations),
        flagged={flag: sum(getattr(c, flag) for c in conversations) for flag in FLAGS},
        feedback_positive=sum(c.feedback_positive for c in conversations),
        feedback_negative=sum(c.feedback_negative for c in conversations),
    )
