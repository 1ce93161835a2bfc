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
   conversation turn (thanks, feedback, greeting...) or several questions;
4. after a content answer, for a message that asks what words of that answer mean
   (`asks_meaning_of`: "wat bedoel je met emotioneel beschikbaar?"): `ask_follow_up`
   of kind explain, under the same exceptions.

Every message that ends as `ask_follow_up` (here or by the classifier) gets the kind of
question it asks in the output key `follow_up` ({"kind": ...}, components/follow_up.py);
the answer action decides what answers that kind on the topic in play.

The conversation comes from Rasa itself: the default recipe gives an NLU component
the tracker when its `process` has a `tracker` parameter, and the processor passes
the tracker of the conversation with each message (an empty tracker for
`/model/parse` and `rasa test nlu`, where rule 2 cannot apply). The output key
`context` names the rule that fired, for staff and tests.
"""
from __future__ import annotations

import re
from typing import List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import (
    AGE_BAND,
    ASK_AGE_RESPONSE,
    CONTEXT_KEY,
    EMERGENCY_INTENT,
    FEEDBACK_NEGATIVE_INTENT,
    FEEDBACK_POSITIVE_INTENT,
    FOLLOW_UP_INTENT,
    FOLLOW_UP_KEY,
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
from components.follow_up import follow_up_kind, follow_up_shaped
from components.rule_component import RuleComponent

ONLY_AN_AGE = "only_an_age"
ANSWER_TO_AGE_QUESTION = "answer_to_age_question"
FOLLOW_UP_ON_TOPIC = "follow_up_on_topic"
EXPLAIN_LAST_ANSWER = "explain_last_answer"
# "Wat bedoel je met emotioneel beschikbaar?": asks what words of the last answer mean.
_ASKS_MEANING = re.compile(r"^\W*(?:(?:en|maar|oke?|ok|oké|sorry|ja)\b[\s,.!]*)?(?:(?:hoe|wat) bedoel\w*|"
                           r"wat betekent|wat wil .{1,40} zeggen|wat (?:wordt|word) (?:er )?(?:mee )?bedoeld|"
                           r"wat houdt .{1,40} in\b|hoe moet ik .{1,40} zien)", re.I)
_WORD = re.compile(r"[^\W\d_]{5,}")
# Words that say nothing about what was quoted.
_NOT_QUOTED = {"bedoel", "bedoelt", "bedoeld", "betekent", "precies", "eigenlijk", "zeggen", "houdt",
               "daarmee", "zoiets", "nou", "dan", "kind", "kinderen", "jouw", "jullie"}
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


def last_bot_text(tracker: Optional[DialogueStateTracker]) -> Text:
    """What the bot said since the parent's last message (all its messages of that turn)."""
    texts: List[Text] = []
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and event.text:
            texts.append(event.text)
    return " ".join(reversed(texts))


def asks_meaning_of(text: Optional[Text], answer: Text) -> bool:
    """The message asks what words of `answer` mean: it opens with "wat bedoel je (met)",
    "hoe bedoel je", "wat betekent", ... and repeats a word of five letters or more from
    the answer (its first five letters: "neutraal" also finds "neutrale")."""
    if not text or not answer or not _ASKS_MEANING.search(text):
        return False
    said = {w[:5] for w in _WORD.findall(answer.lower())}
    return any(w[:5] in said for w in _WORD.findall(text.lower()) if w not in _NOT_QUOTED)


def intent_in_context(text: Optional[Text], intent: Optional[Text], has_age: bool,
                      asked_age: bool, topic: Optional[Text] = None,
                      last_answer: Text = "") -> Optional[Tuple[Text, Text]]:
    """(intent, rule) when the conversation decides the intent, else None."""
    if intent == EMERGENCY_INTENT:
        return None
    if only_tells_age(text):
        return INFORM_AGE_INTENT, ONLY_AN_AGE
    if asked_age and has_age and intent not in _KEEP_AFTER_AGE_QUESTION:
        return INFORM_AGE_INTENT, ANSWER_TO_AGE_QUESTION
    if topic and intent not in _KEEP_AFTER_AN_ANSWER and follow_up_shaped(text):
        return FOLLOW_UP_INTENT, FOLLOW_UP_ON_TOPIC
    if topic and intent not in _KEEP_AFTER_AN_ANSWER and asks_meaning_of(text, last_answer):
        return FOLLOW_UP_INTENT, EXPLAIN_LAST_ANSWER
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ConversationContext(RuleComponent):
    """Sets `inform_age` for age answers and `ask_follow_up` for follow-ups (module docstring)."""

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        asked_age = last_bot_response(tracker) == ASK_AGE_RESPONSE
        topic = tracker.get_slot(LAST_TOPIC_SLOT) if tracker and LAST_TOPIC_SLOT in tracker.slots else None
        last_answer = last_bot_text(tracker) if topic else ""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            has_age = any(e.get("entity") == AGE_BAND for e in message.get(ENTITIES) or [])
            decided = intent_in_context(message.get(TEXT), intent, has_age, asked_age, topic, last_answer)
            if decided:
                message.set(INTENT, {INTENT_NAME_KEY: decided[0], PREDICTED_CONFIDENCE_KEY: 1.0},
                            add_to_output=True)
                message.set(CONTEXT_KEY, decided[1], add_to_output=True)
                intent = decided[0]
            if intent == FOLLOW_UP_INTENT:
                message.set(FOLLOW_UP_KEY, {"kind": follow_up_kind(message.get(TEXT), has_age)}, add_to_output=True)
        return messages
