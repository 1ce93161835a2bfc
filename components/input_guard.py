"""Deterministic answer for messages the classifier cannot read.

A message with no Latin word in it (only emoji, digits, control characters or a
non-Latin script), or only one endless "word", gives the classifier nothing to
go on, yet it still names some intent. This component sets the intent instead:
`other_language` for a non-Latin script, `nlu_fallback` for the rest. The
feedback emoji stay with the classifier, which was trained on them.
"""
import re
import unicodedata
from typing import Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from actions.names import FALLBACK_INTENT, OTHER_LANGUAGE_INTENT
from components.intent_override import IntentOverride

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
class InputGuard(IntentOverride):
    """Overrides the predicted intent for messages without readable words."""

    def intent_for(self, text: Optional[Text]) -> Optional[Text]:
        return unreadable_intent(text)
