"""What counts as an alarm, and why it was raised: the one definition behind the list's
flag *Noodsituatie*, the queue *Noodsituaties*, the overview's counts (all three read the
summary row that review/index.py fills from `Alarms`) and the reason next to a message in
a conversation (review/transcript.py).

An alarm is a turn of the conversation in which the bot gave the emergency answer
(`utter_emergency`) or asked the safety question (`utter_safety_check`), or in which the
parent's message got `report_emergency` or `report_possible_emergency`, whatever decided
it: a danger rule, the danger model, the button "Er is nu gevaar" after the safety
question, or an older version of the bot (events without the `danger` key).

Why one definition: the list flagged a conversation when a parent's message had an
emergency intent, but the queue took only conversations with `utter_emergency`, so the
conversations that got the safety question were flagged and never followed up (staff
found 4 of 39 in the queue).

Why it was raised, for staff, comes from the parse data of the message that raised it
(the danger model's `{"probability", "kind", "rule", "level"}`, components/danger.py):
the kind in Dutch (review/topics.py) and "vaste regel: <id>", "model: zeker 93 %" /
"model: twijfelt 45 %", "knop 'Er is nu gevaar'" or "eerdere versie". The message is
shown as stored (redacted by the store), cut to `SHOWN_CHARACTERS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from actions import names
from review.events import ParentMessage, load, parent_message
from review.topics import danger_kind_name, topic_name
from tracker_store.database import EVENTS

EMERGENCY, QUESTION = "emergency", "question"  # the danger model's levels, and what the bot did
ALARM_ACTIONS = {names.EMERGENCY_RESPONSE: EMERGENCY, names.SAFETY_CHECK_RESPONSE: QUESTION}
ALARM_INTENTS = {names.EMERGENCY_INTENT: EMERGENCY, names.POSSIBLE_EMERGENCY_INTENT: QUESTION}
ANSWER_NAMES = {EMERGENCY: "Noodantwoord gegeven", QUESTION: "Veiligheidsvraag gesteld"}
NO_ANSWER = "Alarm herkend, maar geen noodantwoord of veiligheidsvraag opgeslagen"
CERTAINTY = {EMERGENCY: "zeker", QUESTION: "twijfelt"}
OLDER_VERSION = "eerdere versie"
NOT_RECORDED = "reden niet vastgelegd"
SHOWN_CHARACTERS = 200  # of the parent's message in the queue
MAX_RULE_ID = 64  # a rule id is short; more would be text, not an id


def is_alarm(type_name: str, name: Optional[str]) -> bool:
    """Whether one event raises an alarm: `name` is a user event's intent or an action's name."""
    return (type_name == "user" and name in ALARM_INTENTS) or (type_name == "action" and name in ALARM_ACTIONS)


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """At most `limit` characters of `text` (at a space if one is near), "…" when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 3 // 4 else cut).rstrip() + "…"


def basis_of(danger: Optional[dict]) -> str:
    """Why the danger model alarmed, in Dutch: the rule that fired, or its probability in
    words and figures; `OLDER_VERSION` for events from before the danger model."""
    if danger is None:
        return OLDER_VERSION
    level, rule = danger.get("level"), danger.get("rule")
    if rule:
        return f"vaste regel: {str(rule)[:MAX_RULE_ID]}"
    probability = danger.get("probability")
    figure = f" {round(probability * 100)} %" if isinstance(probability, (int, float)) else ""
    if level in CERTAINTY:
        return f"model: {CERTAINTY[level]}{figure}"
    return NOT_RECORDED + (f" (model:{figure})" if figure else "")


@dataclass
class Alarm:
    """One alarm: the turn's first alarm event, the parent's message before it, what the bot did."""
    at: float
    event_id: Optional[int]  # the parent's message that raised it; None if there was none
    message: str  # that message as stored (redacted), or "Knop: <title>" for a button
    basis: str  # Dutch: rule, model, button or older version
    kind: Optional[str] = None  # the danger model's kind (English id)
    answer: Optional[str] = None  # EMERGENCY | QUESTION: what the bot sent in that turn
    pressed: bool = False  # the message is a button the parent pressed (no text of their own)

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.at)

    @property
    def answer_name(self) -> str:
        return ANSWER_NAMES.get(self.answer, NO_ANSWER)

    @property
    def kind_name(self) -> Optional[str]:
        return danger_kind_name(self.kind)

    @property
    def reason(self) -> str:
        """The kind in Dutch and the basis: "Medisch noodgeval · vaste regel: ambulance_called"."""
        return " · ".join(part for part in (self.kind_name, self.basis) if part)

    @property
    def shown_message(self) -> str:
        return shorten(self.message)


class Alarms:
    """The alarms of one conversation, from its events fed in order (`user`, `bot`, `action`).

    A turn is a parent's message and what the bot did until the next one: it is one alarm
    when its message has an alarm intent or the bot sent an alarm action in it."""

    def __init__(self) -> None:
        self.found: List[Alarm] = []
        self.last_at: float = 0.0  # the latest alarm event (a follow-up covers up to it)
        self._parent: Optional[Tuple[Optional[int], ParentMessage, Optional[str]]] = None
        self._current: Optional[Alarm] = None  # the alarm of the current turn
        self._titles: Dict[str, str] = {}  # button payload -> title, from the bot's last buttons

    def bot(self, event: dict) -> None:
        buttons = (event.get("data") or {}).get("buttons") or []
        self._titles = {b["payload"]: str(b.get("title") or "") for b in buttons
                        if isinstance(b, dict) and isinstance(b.get("payload"), str)}

    def user(self, event_id: Optional[int], timestamp: Optional[float], message: ParentMessage,
             intent: Optional[str] = None) -> None:
        """A parent's message; `intent`: the events table's column, when the parse data has none."""
        if message.kind == "auto":
            return
        title = self._titles.get(message.text) if message.kind == "button" else None
        self._parent, self._current = (event_id, message, title), None
        if is_alarm("user", message.intent or intent):
            self._raise(timestamp)

    def action(self, timestamp: Optional[float], name: Optional[str]) -> None:
        if not is_alarm("action", name):
            return
        if self._current is None:
            self._raise(timestamp)
        else:
            self._seen(timestamp)
        if self._current.answer != EMERGENCY:  # both in one turn: the emergency answer counts
            self._current.answer = ALARM_ACTIONS[name]

    def _seen(self, timestamp: Optional[float]) -> None:
        self.last_at = max(self.last_at, timestamp or 0.0)

    def _raise(self, timestamp: Optional[float]) -> None:
        self._seen(timestamp)
        at = timestamp or 0.0
        if self._parent is None:
            alarm = Alarm(at, None, "", NOT_RECORDED)
        else:
            event_id, message, title = self._parent
            if message.kind == "button":
                title = title or topic_name(message.intent)
                # The kind is the one the safety question before it heard, if any.
                kind = self.found[-1].kind if self.found else None
                alarm = Alarm(at, event_id, f"Knop: {title}", f"knop '{title}'", kind, pressed=True)
            else:
                danger = message.danger
                alarm = Alarm(at, event_id, message.text, basis_of(danger),
                              danger.get("kind") if danger and isinstance(danger.get("kind"), str) else None)
        self.found.append(alarm)
        self._current = alarm


def headline(alarms: List[Alarm], covers: float = 0.0) -> Tuple[Optional[Alarm], List[Alarm]]:
    """The alarm a row of the queue leads with, and the others in order: the first alarm no
    follow-up covers (`covers`: the time the last follow-up covers up to), so a conversation
    that opened again leads with what is new; the first of all when each one is covered."""
    if not alarms:
        return None, []
    first = next((alarm for alarm in alarms if alarm.at > covers), alarms[0])
    return first, [alarm for alarm in alarms if alarm is not first]


def find(rows: Iterable[Tuple[int, str, Optional[str]]]) -> List[Alarm]:
    """The alarms of one conversation from its (id, type_name, data) event rows, in order."""
    alarms = Alarms()
    for event_id, type_name, data in rows:
        feed(alarms, event_id, type_name, load(data))
    return alarms.found


def feed(alarms: Alarms, event_id: Optional[int], type_name: str, event: dict) -> None:
    """Give one stored event (its JSON, loaded) to `alarms`."""
    if type_name == "user":
        alarms.user(event_id, event.get("timestamp"), parent_message(event))
    elif type_name == "bot":
        alarms.bot(event)
    elif type_name == "action":
        alarms.action(event.get("timestamp"), event.get("name"))


def of_senders(engine: sa.engine.Engine, senders: List[str]) -> Dict[str, List[Alarm]]:
    """The alarms of each of `senders` (one page of the queue), read from their events."""
    if not senders:
        return {}
    e = EVENTS.c
    query = (sa.select(e.sender_id, e.id, e.type_name, e.data)
             .where(e.sender_id.in_(senders), e.type_name.in_(("user", "bot", "action")))
             .order_by(e.sender_id, e.id))
    rows: Dict[str, list] = {}
    with engine.connect() as db:
        for sender, event_id, type_name, data in db.execute(query):
            rows.setdefault(sender, []).append((event_id, type_name, data))
    return {sender: find(events) for sender, events in rows.items()}
