"""Deterministic answer for messages the classifier cannot read.

A message with no Latin word in it (only emoji, digits, control characters or a
non-Latin script), or only one endless "word", gives the classifier nothing to
go on, yet it still names some intent. This component sets the intent instead:
`other_language` for a non-Latin script, `nlu_fallback` for the rest. The
feedback emoji stay with the classifier, which was trained on them.
"""
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FALLBACK_INTENT = "nlu_fallback"
OTHER_LANGUAGE_INTENT = "other_language"

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_KNOWN_EMOJI = set("👍👎🙏👋👌😊🙂❤\ufe0f")


def _is_readable_word(word: Text) -> bool:
    """2 to 40 letters, all Latin (accents allowed)."""
    return 2 <= len(word) <= 40 and all(unicodedata.name(c, "").startswith("LATIN") for c in word)


def _is_other_script(char: Text) -> bool:
    if not char.isalpha():
        return False
    return not unicodedata.name(char, "").startswith("LATIN")


def unreadable_intent(text: Optional[Text]) -> Optional[Text]:
    """The intent for a message the classifier cannot read, or None if it can."""
    text = text or ""
    if any(_is_readable_word(w) for w in _LETTER_RUN.findall(text)):
        return None
    if any(_is_other_script(c) for c in text):
        return OTHER_LANGUAGE_INTENT
    visible = {c for c in text if not c.isspace()}
    if visible and visible <= _KNOWN_EMOJI:
        return None
    return FALLBACK_INTENT


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class InputGuard(GraphComponent):
    """Overrides the predicted intent for messages without readable words."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputGuard":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = unreadable_intent(message.get(TEXT))
            if intent:
                forced = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, forced, add_to_output=True)
        return messages
