"""Deterministic answer for messages the classifier cannot read.

A message with no Latin word in it (only emoji, digits, control characters or a
non-Latin script), or only one endless "word", gives the classifier nothing to
go on, yet it still names some intent. This component sets the intent instead:
`other_language` for a non-Latin script, `nlu_fallback` for the rest. The
feedback emoji stay with the classifier, which was trained on them.

The other way round, a Dutch message is never "another language": when the classifier
says `other_language` for a message full of Dutch function words ("mijn zoon heeft de
bombardementen meegemaakt, is dat ..."; `looks_dutch`), its next intent is taken (or
the fallback), and the output key `dutch_not_other_language` says so.
"""
import re
import unicodedata
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import FALLBACK_INTENT, OTHER_LANGUAGE_INTENT
from components.intent_override import IntentOverride

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_KNOWN_EMOJI = set("👍👎🙏👋👌😊🙂❤\ufe0f")
# Short Dutch words that English, German or French messages hardly use.
DUTCH_FUNCTION_WORDS = set("""
ik jij je u hij zij ze wij we jullie mijn onze ons zijn haar hem de het een en maar dat die dit
is heeft hebben heb niet geen van voor met op naar bij om te ook wel nog al er hoe wat waarom
kan kun moet wil als dan zo veel heel erg nu toen wordt worden werd
""".split())
DUTCH_MARKER = "dutch_not_other_language"


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


def looks_dutch(text: Optional[Text]) -> bool:
    """At least four words, of which three different Dutch function words that make up a
    quarter or more of the message."""
    words = [w.lower() for w in _LETTER_RUN.findall(text or "")]
    dutch = [w for w in words if w in DUTCH_FUNCTION_WORDS]
    return len(words) >= 4 and len(set(dutch)) >= 3 and len(dutch) >= 0.25 * len(words)


def _best_other(ranking: List[dict], threshold: float = 0.3) -> dict:
    others = [r for r in ranking if r.get("name") not in (OTHER_LANGUAGE_INTENT, FALLBACK_INTENT)]
    best = max(others, key=lambda r: r["confidence"], default=None)
    if best is None or best["confidence"] < threshold:
        return {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: threshold}
    return {INTENT_NAME_KEY: best["name"], PREDICTED_CONFIDENCE_KEY: best["confidence"]}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class InputGuard(IntentOverride):
    """Overrides the predicted intent for messages without readable words, and for Dutch
    messages the classifier took for another language."""

    def intent_for(self, text: Optional[Text]) -> Optional[Text]:
        return unreadable_intent(text)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent == OTHER_LANGUAGE_INTENT and looks_dutch(message.get(TEXT)):
                message.set(INTENT, _best_other(message.get("intent_ranking") or []), add_to_output=True)
                message.set(DUTCH_MARKER, True, add_to_output=True)
        return super().process(messages)
