"""Ask "Had je iets aan dit antwoord?" at most once per topic of a conversation.

After every answer the question wore parents out (tried as a new user: five answers,
five times the same question). The rules now end a content answer with
`action_ask_feedback`, which asks only when this conversation has not been asked about
the topic yet, and remembers the topic in the slot `feedback_topics`.

A topic is one of the subjects the welcome offers as buttons; the answers that belong
to it share one question. An intent that is not listed here (a new one) is a topic of
its own, so it is still asked about once.

When the action server cannot be reached the question is simply left out
(channels/action_server.py, OPTIONAL_ACTIONS): no apology for a question nobody asked.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.names import ASK_FEEDBACK_ACTION, ASK_FEEDBACK_RESPONSE, FEEDBACK_TOPICS_SLOT

TOPICS: Dict[str, List[str]] = {
    "hechting": ["ask_what_is_attachment", "ask_attachment_problems"],
    "herkennen": ["ask_signs_home", "ask_signs_school"],
    "leerkrachten": ["ask_teacher_tips"],
    "gedrag": ["ask_behaviour_normal", "inform_age"],
    "oorzaken": ["ask_causes", "ask_cause_parent_history", "ask_cause_rejection",
                 "ask_cause_neglect", "ask_cause_many_caregivers", "ask_cause_adoption_foster",
                 "ask_cause_violence", "ask_cause_trauma", "ask_is_it_my_fault"],
    "thuis": ["ask_help_at_home"],
    "hulp": ["ask_seek_help", "ask_treatment", "ask_diagnosis"],
    "aanmelden": ["ask_registration", "ask_practical_info"],
}
_TOPIC_OF = {intent: topic for topic, intents in TOPICS.items() for intent in intents}


def topic_of(intent: Optional[Text]) -> Optional[Text]:
    return _TOPIC_OF.get(intent, intent) if intent else None


def ask_once(dispatcher: CollectingDispatcher, tracker: Tracker,
             intents: List[Optional[Text]]) -> List[Dict[Text, Any]]:
    """Ask the feedback question when one of the answered `intents` is of a topic not
    asked about yet in this conversation; returns the events that remember the topics.
    Also used by the answers custom actions give (follow-ups, several questions)."""
    asked = list(tracker.get_slot(FEEDBACK_TOPICS_SLOT) or [])
    new = [t for t in dict.fromkeys(topic_of(i) for i in intents) if t and t not in asked]
    if not new:
        return []
    dispatcher.utter_message(response=ASK_FEEDBACK_RESPONSE)
    return [SlotSet(FEEDBACK_TOPICS_SLOT, asked + new)]


class ActionAskFeedback(Action):
    """Sends `utter_ask_feedback` once per topic; the answer's intent names the topic."""

    def name(self) -> Text:
        return ASK_FEEDBACK_ACTION

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return ask_once(dispatcher, tracker, [(tracker.latest_message.get("intent") or {}).get("name")])
