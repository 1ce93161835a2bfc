"""One conversation as staff read it: the parent's messages and the bot's answers, in order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from actions import names
from review.alarms import Alarm, Alarms, feed
from review.events import FALLBACK_ACTIONS, FEEDBACK, REGISTRATION_ACTIONS, load, parent_message
from review.schema import CORRECTIONS
from review.topics import topic_name
from tracker_store.database import EVENTS, has_events

_MARKERS = {
    names.EMERGENCY_RESPONSE: "Noodsituatie: hulplijnen getoond",
    names.SAFETY_CHECK_RESPONSE: "Veiligheidsvraag gesteld (is er nu gevaar?), met de hulplijnen",
    **{action: "Terugvalantwoord (niet begrepen)" for action in FALLBACK_ACTIONS},
    **{action: "Aanmeldinformatie getoond" for action in REGISTRATION_ACTIONS},
}


@dataclass
class Message:
    """One line of a transcript: from the parent ("user"), the bot, or a marker for staff."""
    kind: str  # user | bot | marker | session
    time: datetime
    text: str = ""
    event_id: Optional[int] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    buttons: List[str] = field(default_factory=list)
    button: Optional[str] = None  # title of the button the parent pressed
    feedback: Optional[str] = None  # positive | negative
    alarm: Optional[Alarm] = None  # the alarm this parent's message raised (review/alarms.py)
    truncated_from: Optional[int] = None
    low: bool = False  # typed, and the classifier was unsure
    corrected: Optional[str] = None  # the intent staff chose instead
    corrected_by: Optional[str] = None

    @property
    def topic(self) -> str:
        return topic_name(self.intent)


def load_transcript(engine: sa.engine.Engine, sender_id: str, threshold: float = 0.6) -> List[Message]:
    """The conversation of `sender_id` in order; empty when there is none."""
    if not has_events(engine):
        return []
    query = sa.select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.data).where(
        EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)
    with engine.connect() as db:
        rows = db.execute(query).all()
        corrected = corrections(db, [sender_id])
    return build(rows, corrected, threshold)


def corrections(db, senders: List[str]) -> Dict[int, Tuple[str, str]]:
    """event id -> (intent chosen by staff, by whom), for the messages of `senders`."""
    query = sa.select(CORRECTIONS.c.event_id, CORRECTIONS.c.intent, CORRECTIONS.c.account).where(
        CORRECTIONS.c.sender_id.in_(senders))
    return {event_id: (intent, account) for event_id, intent, account in db.execute(query)}


def build(rows: Iterable[tuple], corrected: Dict[int, Tuple[str, str]], threshold: float) -> List[Message]:
    """Messages from one conversation's (id, type_name, data) event rows, in order."""
    messages: List[Message] = []
    payloads: Dict[str, str] = {}  # button payload -> title, from the bot's last buttons
    alarms = Alarms()
    for event_id, type_name, data in rows:
        event = load(data)
        feed(alarms, event_id, type_name, event)
        time = datetime.fromtimestamp(event.get("timestamp") or 0)
        if type_name == "user":
            parent = parent_message(event)
            if parent.kind == "auto":
                continue
            button = None
            if parent.kind == "button":
                button = payloads.get(parent.text) or topic_name(parent.intent)
            intent, by = corrected.get(event_id, (None, None))
            messages.append(Message(
                "user", time, parent.text, event_id, parent.intent, parent.confidence, button=button,
                feedback=FEEDBACK.get(parent.intent),
                truncated_from=parent.truncated_from,
                low=parent.kind == "typed" and parent.confidence is not None and parent.confidence < threshold,
                corrected=intent, corrected_by=by))
        elif type_name == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            payloads = {b.get("payload"): b.get("title") for b in buttons if b.get("payload")}
            messages.append(Message("bot", time, event.get("text") or "", event_id,
                                    buttons=[b.get("title", "") for b in buttons]))
        elif type_name == "action" and event.get("name") in _MARKERS:
            messages.append(Message("marker", time, _MARKERS[event["name"]], event_id))
        elif type_name == "session_started":
            messages.append(Message("session", time, "Nieuwe sessie", event_id))
    raised = {alarm.event_id: alarm for alarm in alarms.found if alarm.event_id is not None}
    for message in messages:
        if message.kind == "user":
            message.alarm = raised.get(message.event_id)
    return messages


def parent_event(engine: sa.engine.Engine, sender_id: str, event_id: int) -> Optional[dict]:
    """The stored `user` event `event_id` of this conversation (a correction's message), else None."""
    query = sa.select(EVENTS.c.data).where(EVENTS.c.id == event_id, EVENTS.c.sender_id == sender_id,
                                           EVENTS.c.type_name == "user")
    with engine.connect() as db:
        data = db.execute(query).scalar()
    return load(data) if data is not None else None
