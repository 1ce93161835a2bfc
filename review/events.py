"""How the staff tool reads Rasa's stored events: one place for the transcript, the
conversation summaries, the story export and the corrections.

A parent's message is one of three kinds:
- `auto`: the widget's own `/greet` when the chat opens (web/widget.js); the parent
  typed nothing, so it is neither shown nor counted;
- `button`: a payload (`/ask_help_at_home`, `/inform_age{"age_band": "baby"}`), shown
  as the button's title;
- `typed`: text the parent wrote (possibly cut to the first 2 000 characters by
  channels/messages.py, which then stores the original length in the metadata).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional

from actions import names

AUTO_GREETING = "/greet"
# channels/messages.py's TRUNCATED_KEY (that module imports Rasa, this one must not);
# tests/test_review_units.py checks both are equal.
TRUNCATED_KEY = "ocrn_truncated_from"

FALLBACK_INTENTS = (names.FALLBACK_INTENT, names.OUT_OF_SCOPE_INTENT)
FALLBACK_ACTIONS = (names.FALLBACK_ACTION,)
REGISTRATION_INTENTS = (names.REGISTRATION_INTENT,)
# The registration answer: its response, and the action older versions of the bot sent it
# with (still in stored conversations; actions/names.py may no longer name it).
REGISTRATION_ACTIONS = (names.REGISTRATION_RESPONSE, getattr(names, "REGISTRATION_ACTION", "action_show_registration"))
FEEDBACK = {names.FEEDBACK_POSITIVE_INTENT: "positive", names.FEEDBACK_NEGATIVE_INTENT: "negative"}
NOT_TOPICS = {names.GREET_INTENT, names.GOODBYE_INTENT, names.THANK_INTENT, names.FEEDBACK_POSITIVE_INTENT,
              names.FEEDBACK_NEGATIVE_INTENT, names.FALLBACK_INTENT, names.OUT_OF_SCOPE_INTENT}


@dataclass
class ParentMessage:
    text: str
    kind: str  # auto | button | typed
    intent: Optional[str]
    confidence: Optional[float]  # the classifier's: for nlu_fallback its best real guess
    truncated_from: Optional[int]  # original length when the NLU read only a part
    entities: list
    danger: Optional[Dict[str, Any]] = None  # the danger model's verdict; None in older events


def load(data: Optional[str]) -> Dict[str, Any]:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def message_kind(text: str) -> str:
    if text.strip() == AUTO_GREETING:
        return "auto"
    return "button" if text.startswith("/") else "typed"


def classifier_confidence(parse: Dict[str, Any]) -> Optional[float]:
    """The confidence of the intent acted on; for `nlu_fallback` (whose confidence is only
    the threshold) that of the classifier's best real intent."""
    intent = parse.get("intent") or {}
    if intent.get("name") != names.FALLBACK_INTENT:
        return _float(intent.get("confidence"))
    for ranked in parse.get("intent_ranking") or []:
        if ranked.get("name") != names.FALLBACK_INTENT:
            return _float(ranked.get("confidence"))
    return _float(intent.get("confidence"))


def parent_message(event: Dict[str, Any]) -> ParentMessage:
    """A stored `user` event as staff see it."""
    parse = event.get("parse_data") or {}
    text = event.get("text") or ""
    truncated = (event.get("metadata") or {}).get(TRUNCATED_KEY)
    return ParentMessage(text=text, kind=message_kind(text), intent=(parse.get("intent") or {}).get("name"),
                         confidence=classifier_confidence(parse),
                         truncated_from=int(truncated) if isinstance(truncated, (int, float)) else None,
                         entities=list(parse.get("entities") or []),
                         danger=parse[names.DANGER_KEY] if isinstance(parse.get(names.DANGER_KEY), dict) else None)


def _float(value) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) else None
