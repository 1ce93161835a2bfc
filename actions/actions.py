"""Custom actions of the OCRN attachment assistant: the one answer action.

`action_answer` answers every content question, follow-up, message with several
questions, age and "geen gevaar": it reads the conversation into a `State`, lets
`actions.answers.choose` decide, and sends the plan. The links in the answers come
from the configuration (`links`).
"""
import os
from typing import Any, Dict, List, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import State, choose, sent_key
from actions.names import (
    AGE_BAND,
    ANSWER_ACTION,
    COUNTRY_SLOT,
    DENY_DANGER_INTENT,
    FEEDBACK_TOPICS_SLOT,
    FOLLOW_UP_KEY,
    LAST_TOPIC_SLOT,
    PENDING_TOPIC_SLOT,
    QUESTIONS_KEY,
    ROLE,
)

# The one place the practice's addresses live; override per deployment.
DEFAULT_REGISTRATION_URL = "https://www.ocrn.nl/aanmelden/"
DEFAULT_CONTACT_URL = "https://www.ocrn.nl/contact/"


def registration_url() -> Text:
    return os.environ.get("OCRN_REGISTRATION_URL", "").strip() or DEFAULT_REGISTRATION_URL


def contact_url() -> Text:
    return os.environ.get("OCRN_CONTACT_URL", "").strip() or DEFAULT_CONTACT_URL


def links() -> Dict[Text, Text]:
    """The fields every answer may use: {registration_url}, {contact_url}."""
    return {"registration_url": registration_url(), "contact_url": contact_url()}


def sent_before(events: List[Dict[Text, Any]]) -> Set[Text]:
    """The responses sent in this conversation (age notes with the age band they had)."""
    sent, band = set(), None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == AGE_BAND:
            band = event.get("value")
        elif event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            if name:
                sent.add(sent_key(name, band))
    return sent


def last_response(events: List[Dict[Text, Any]]) -> Any:
    """The response the bot sent last before the parent's latest message."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return (event.get("metadata") or {}).get("utter_action")
    return None


def state_of(tracker: Tracker, domain: Dict[Text, Any]) -> State:
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return State(
        intent=intent,
        follow_up_kind=(message.get(FOLLOW_UP_KEY) or {}).get("kind"),
        questions=list(message.get(QUESTIONS_KEY) or []),
        last_topic=tracker.get_slot(LAST_TOPIC_SLOT),
        age_band=tracker.get_slot(AGE_BAND),
        role=tracker.get_slot(ROLE),
        country=tracker.get_slot(COUNTRY_SLOT),
        pending_topic=tracker.get_slot(PENDING_TOPIC_SLOT),
        sent=sent_before(tracker.events),
        feedback_asked=list(tracker.get_slot(FEEDBACK_TOPICS_SLOT) or []),
        available=set((domain or {}).get("responses") or {}),
        last_response=last_response(tracker.events),
    )


class ActionAnswer(Action):
    """Sends the answer `actions.answers.choose` makes for this message and conversation."""

    def name(self) -> Text:
        return ANSWER_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = state_of(tracker, domain)
        plan = choose(state)
        fields = links()
        for response, extra in plan.responses:
            dispatcher.utter_message(response=response, **fields, **extra)
        events: List[Dict[Text, Any]] = []
        if plan.topic:
            events.append(SlotSet(LAST_TOPIC_SLOT, plan.topic))
        if plan.feedback_asked is not None:
            events.append(SlotSet(FEEDBACK_TOPICS_SLOT, plan.feedback_asked))
        if state.intent == DENY_DANGER_INTENT:
            events.append(SlotSet(PENDING_TOPIC_SLOT, None))
        return events

