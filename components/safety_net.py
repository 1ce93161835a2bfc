"""Deterministic safety net: emergency messages always get `report_emergency`.

The intent classifier can miss an emergency phrased in an unusual way. This
component runs after it and forces `report_emergency` whenever a message matches
one of the patterns of `components.crisis`, so the bot answers with the help lines at once. The
patterns favour recall: a false alarm costs a parent a few lines of text, a miss
can cost much more.

The other way round, the classifier raises false alarms on alarming words used
harmlessly ("ik kan hem wel wurgen lol", "een film met een mes", "als kind geslagen,
heeft dat invloed"). When the patterns saw such a word, found a harmless reading for
every one (figures of speech, play, the past, a toddler who hits), and nothing else in
the message sounds like danger (`_DANGER_WORD`), the net clears the message: the
classifier's next intent is used instead of `report_emergency`. Messages without any
alarming pattern stay the classifier's call.

When only the classifier raised the alarm and no harmless reading clears it, the
message gets `report_possible_emergency`: the bot asks whether there is danger now,
with every help line and a button to the emergency answer (utter_safety_check).

Measured with the trained model (bench/quality.py writes docs/benchmarks.md): the
emergency answer for every planted and held-out emergency; the help lines for 11 of 15
crises of a blind set written last (tests/data/crisis_blind.yml, never tuned on); the
emergency answer for 1 of 474 harmless messages with alarming words.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import EMERGENCY_INTENT, FALLBACK_INTENT, POSSIBLE_EMERGENCY_INTENT
from components.crisis import is_cleared, is_emergency
from components.intent_override import IntentOverride


def _next_intent(ranking: List[Dict[Text, Any]], threshold: float) -> Dict[Text, Any]:
    """The classifier's best intent other than the emergency, as a share of what is left."""
    emergency = next((r["confidence"] for r in ranking if r["name"] == EMERGENCY_INTENT), 0.0)
    others = [r for r in ranking if r["name"] not in (EMERGENCY_INTENT, FALLBACK_INTENT)]
    if not others or emergency >= 1.0:
        return {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    best = max(others, key=lambda r: r["confidence"])
    share = best["confidence"] / (1.0 - emergency)
    if share < threshold:
        return {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: threshold}
    return {INTENT_NAME_KEY: best["name"], PREDICTED_CONFIDENCE_KEY: share}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafetyNet(IntentOverride):
    """Forces `report_emergency` on a pattern match; clears the classifier's false alarms;
    turns the classifier's other alarms into `report_possible_emergency` (a safety question)."""

    marker = "safety_net"
    # Output key set when a classifier's `report_emergency` was cleared.
    cleared_marker = "safety_net_cleared"
    # Output key set when a classifier's `report_emergency` became a safety question.
    check_marker = "safety_check"
    # Below this share the next intent is a guess: answer as the FallbackClassifier would
    # (the same threshold as in config.yml).
    fallback_threshold = 0.3

    def intent_for(self, text: Optional[Text]) -> Optional[Text]:
        return EMERGENCY_INTENT if is_emergency(text) else None

    def process(self, messages: List[Message]) -> List[Message]:
        messages = super().process(messages)
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != EMERGENCY_INTENT or message.get(self.marker):
                continue
            if is_cleared(message.get(TEXT)):
                ranking = message.get("intent_ranking") or []
                message.set(INTENT, _next_intent(ranking, self.fallback_threshold), add_to_output=True)
                message.set(self.cleared_marker, True, add_to_output=True)
            else:
                message.set(INTENT, {**intent, INTENT_NAME_KEY: POSSIBLE_EMERGENCY_INTENT}, add_to_output=True)
                message.set(self.check_marker, True, add_to_output=True)
        return messages
