"""Custom actions of the OCRN attachment assistant."""
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import CONTENT_INTENTS, follow_up_kind, follow_up_target, responses_for
from actions.feedback import ask_once
from actions.names import (
    AGE_BAND,
    ASK_AGE_RESPONSE,
    CAPABILITIES_RESPONSE,
    FOLLOW_UP_ACTION,
    LAST_TOPIC_SLOT,
    NO_DANGER_RESPONSE,
    PENDING_TOPIC_ACTION,
    PENDING_TOPIC_SLOT,
    QUESTIONS_ACTION,
    QUESTIONS_KEY,
    REGISTRATION_ACTION,
    REGISTRATION_RESPONSE,
    SEVERAL_QUESTIONS_RESPONSE,
)

# The one place the registration address lives; override per deployment.
DEFAULT_REGISTRATION_URL = "https://www.ocrn.nl/aanmelden/"


def registration_url() -> Text:
    return os.environ.get("OCRN_REGISTRATION_URL", "").strip() or DEFAULT_REGISTRATION_URL


class ActionShowRegistration(Action):
    """Shows how to register at OCRN, with the configured registration page."""

    def name(self) -> Text:
        return REGISTRATION_ACTION

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=REGISTRATION_RESPONSE, registration_url=registration_url())
        return []


def _send(dispatcher: CollectingDispatcher, tracker: Tracker, responses: List[Text],
          topics: List[Text]) -> List[Dict[Text, Any]]:
    """Send the answer, then the feedback question once per topic, as the rules do
    (actions/feedback.py); not after a question of the bot (the age) or the list of
    topics (nothing was answered yet)."""
    for response in responses:
        if response == REGISTRATION_RESPONSE:
            dispatcher.utter_message(response=response, registration_url=registration_url())
        else:
            dispatcher.utter_message(response=response)
    if responses and responses[-1] not in (ASK_AGE_RESPONSE, CAPABILITIES_RESPONSE):
        return ask_once(dispatcher, tracker, topics)
    return []


def _has_age(tracker: Tracker) -> bool:
    return any(e.get("entity") == AGE_BAND for e in tracker.latest_message.get("entities") or [])


class ActionAnswerFollowUp(Action):
    """Answers a follow-up ("en in de klas?", "waarom is dat?") on the last topic.

    Without a previous topic it lists what the assistant can tell (utter_capabilities).
    """

    def name(self) -> Text:
        return FOLLOW_UP_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kind = follow_up_kind(tracker.latest_message.get("text") or "", _has_age(tracker))
        target = follow_up_target(tracker.get_slot(LAST_TOPIC_SLOT), kind)
        responses = responses_for(target, age_known=bool(tracker.get_slot(AGE_BAND)))
        topic = target if target in CONTENT_INTENTS else tracker.get_slot(LAST_TOPIC_SLOT)
        events = _send(dispatcher, tracker, responses, [topic])
        return ([SlotSet(LAST_TOPIC_SLOT, target)] if target in CONTENT_INTENTS else []) + events


class ActionAnswerQuestions(Action):
    """Answers each question of a message with several (components/questions.py), in order.

    A question about behaviour whose age is not known yet ends with the age question,
    so it goes last: the parent's next message answers it.
    """

    def name(self) -> Text:
        return QUESTIONS_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot(LAST_TOPIC_SLOT)
        age_known = bool(tracker.get_slot(AGE_BAND))
        answered: List[Text] = []
        answers: List[List[Text]] = []
        last: List[List[Text]] = []
        for question in tracker.latest_message.get(QUESTIONS_KEY) or []:
            if question.get("intent") not in CONTENT_INTENTS:
                continue
            topic = question["intent"]
            answered.append(topic)
            responses = responses_for(topic, age_known)
            (last if responses[-1] == ASK_AGE_RESPONSE else answers).append(responses)
        if not answers + last:
            return _send(dispatcher, tracker, responses_for(None, age_known), [])
        dispatcher.utter_message(response=SEVERAL_QUESTIONS_RESPONSE)
        events = _send(dispatcher, tracker, [r for responses in answers + last for r in responses], answered)
        return [SlotSet(LAST_TOPIC_SLOT, topic)] + events



class ActionAnswerPendingTopic(Action):
    """"Geen gevaar" after the safety question: go on with the question that came with it.

    The question's intent is in the slot `pending_topic` (components/safety_net.py); one
    that is not a topic of the page gets the list of topics.
    """

    def name(self) -> Text:
        return PENDING_TOPIC_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        pending = tracker.get_slot(PENDING_TOPIC_SLOT)
        target = pending if pending in CONTENT_INTENTS else None
        dispatcher.utter_message(response=NO_DANGER_RESPONSE)
        responses = responses_for(target, age_known=bool(tracker.get_slot(AGE_BAND)))
        events = _send(dispatcher, tracker, responses, [target] if target else [])
        slots = [SlotSet(PENDING_TOPIC_SLOT, None)] + ([SlotSet(LAST_TOPIC_SLOT, target)] if target else [])
        return slots + events
