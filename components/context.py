"""The conversation decides the intent where the message alone cannot: age answers
and follow-ups.

After "Hoe oud is je kind?" a parent answers "12", "bijna 7", "tien maanden", "groep 3"
or "hij is 9 en zit sinds kort op een andere school". Alone, "12" has no readable word
(the input guard calls it unreadable) and a longer answer may look like another
question to the classifier. This component sets `inform_age`:

1. for a message that tells an age and nothing else (`only_tells_age`), anywhere;
2. right after the bot asked the age, for any message in which the age extractor
   found an age, unless it holds several questions or an emergency. A parent who
   adds more about the behaviour ("ze is 15, en ze is zo stil") gets the age sentence,
   not the acknowledgement again that came just before the age question.

3. after a content answer (the slot `last_topic` is set), for a short message shaped
   like a follow-up (`follow_up_shaped`: "en op de opvang?", "hoe voorkom ik dat?",
   "waarom niet?"): `ask_follow_up`, unless the classifier chose an emergency, a
   conversation turn (thanks, feedback, greeting...) or several questions.

The conversation comes from Rasa itself: the default recipe gives an NLU component
the tracker when its `process` has a `tracker` parameter, and the processor passes
the tracker of the conversation with each message (an empty tracker for
`/model/parse` and `rasa test nlu`, where rule 2 cannot apply). The output key
`context` names the rule that fired, for staff and tests.
"""
from __future__ import annotations

from typing import List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.answers import follow_up_shaped
from actions.names import (
    AGE_BAND,
    ASK_AGE_RESPONSE,
    CONTEXT_KEY,
    EMERGENCY_INTENT,
    FEEDBACK_NEGATIVE_INTENT,
    FEEDBACK_POSITIVE_INTENT,
    FOLLOW_UP_INTENT,
    GOODBYE_INTENT,
    GREET_INTENT,
    INFORM_AGE_INTENT,
    LAST_TOPIC_SLOT,
    OTHER_LANGUAGE_INTENT,
    OUT_OF_SCOPE_INTENT,
    SEVERAL_QUESTIONS_INTENT,
    THANK_INTENT,
)
from components.age_extractor import only_tells_age
from components.rule_component import RuleComponent

ONLY_AN_AGE = "only_an_age"
ANSWER_TO_AGE_QUESTION = "answer_to_age_question"
FOLLOW_UP_ON_TOPIC = "follow_up_on_topic"
_KEEP_AFTER_AGE_QUESTION = {SEVERAL_QUESTIONS_INTENT, EMERGENCY_INTENT}
# Short answers to the feedback question and conversation turns stay what they are.
_KEEP_AFTER_AN_ANSWER = {EMERGENCY_INTENT, SEVERAL_QUESTIONS_INTENT, FEEDBACK_POSITIVE_INTENT, FEEDBACK_NEGATIVE_INTENT,
                         THANK_INTENT, GOODBYE_INTENT, GREET_INTENT, OTHER_LANGUAGE_INTENT, OUT_OF_SCOPE_INTENT,
                         "bot_challenge", "ask_capabilities"}


def last_bot_response(tracker: Optional[DialogueStateTracker]) -> Optional[Text]:
    """The response the bot sent last, if no user message came after it."""
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, BotUttered):
            return (event.metadata or {}).get("utter_action")
    return None


def intent_in_context(text: Optional[Text], intent: Optional[Text], has_age: bool,
                      asked_age: bool, topic: Optional[Text] = None) -> Optional[Tuple[Text, Text]]:
    """(intent, rule) when the conversation decides the intent, else None."""
    if intent == EMERGENCY_INTENT:
        return None
    if only_tells_age(text):
        return INFORM_AGE_INTENT, ONLY_AN_AGE
    if asked_age and has_age and intent not in _KEEP_AFTER_AGE_QUESTION:
        return INFORM_AGE_INTENT, ANSWER_TO_AGE_QUESTION
    if topic and intent not in _KEEP_AFTER_AN_ANSWER and follow_up_shaped(text):
        return FOLLOW_UP_INTENT, FOLLOW_UP_ON_TOPIC
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ConversationContext(RuleComponent):
    """Sets `inform_age` for age answers and `ask_follow_up` for follow-ups (module docstring)."""

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        asked_age = last_bot_response(tracker) == ASK_AGE_RESPONSE
        topic = tracker.get_slot(LAST_TOPIC_SLOT) if tracker and LAST_TOPIC_SLOT in tracker.slots else None
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            has_age = any(e.get("entity") == AGE_BAND for e in message.get(ENTITIES) or [])
            decided = intent_in_context(message.get(TEXT), intent, has_age, asked_age, topic)
            if decided:
                message.set(INTENT, {INTENT_NAME_KEY: decided[0], PREDICTED_CONFIDENCE_KEY: 1.0},
                            add_to_output=True)
                message.set(CONTEXT_KEY, decided[1], add_to_output=True)
        return messages
