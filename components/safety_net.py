"""Turns the danger model's level into the intent: the one place an alarm is decided.

Runs last, after `components.danger.DangerClassifier` has scored the message:
- level "emergency" (a danger rule fired, or P(danger) >= upper): `report_emergency`;
- level "question" (lower <= P < upper): `report_possible_emergency`, the bot asks
  whether there is danger now, with every help line (utter_safety_check); the
  classifier's own reading goes into the entity `pending_topic`, so that "geen gevaar"
  goes on with the parent's question;
- no level, but the intent classifier said `report_emergency`: its alarm is cleared
  and the classifier's next intent is used. The danger model, trained on a corpus of
  independent writers with look-alikes on purpose, decides; the intent classifier
  learned emergencies only from the team's examples.
The kind of danger chooses the emergency answer: its family (`ANSWER_FOR_KIND`) goes
into the entity and slot `danger_answer`, a condition of the variants of
utter_emergency in domain.yml.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.names import (
    DANGER_ANSWER_ENTITY,
    DANGER_KEY,
    EMERGENCY_INTENT,
    FALLBACK_INTENT,
    PENDING_TOPIC_ENTITY,
    POSSIBLE_EMERGENCY_INTENT,
)
from components.danger_model import ANSWER_FOR_KIND
from components.rule_component import RuleComponent


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
class SafetyNet(RuleComponent):
    """Sets `report_emergency` or `report_possible_emergency` from the danger level;
    clears the intent classifier's alarm when the danger model hears none."""

    # Output key set when the emergency answer was chosen here.
    marker = "safety_net"
    # Output key set when a classifier's `report_emergency` was cleared.
    cleared_marker = "safety_net_cleared"
    # Output key set when the message gets the safety question.
    check_marker = "safety_check"
    # Below this share the next intent is a guess: answer as the FallbackClassifier would
    # (the same threshold as in config.yml).
    fallback_threshold = 0.3

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            danger = message.get(DANGER_KEY) or {}
            intent = message.get(INTENT) or {}
            if danger.get("level") == "emergency":
                message.set(INTENT, {INTENT_NAME_KEY: EMERGENCY_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0},
                            add_to_output=True)
                message.set(self.marker, True, add_to_output=True)
            elif danger.get("level") == "question":
                message.set(INTENT, {INTENT_NAME_KEY: POSSIBLE_EMERGENCY_INTENT,
                                     PREDICTED_CONFIDENCE_KEY: danger.get("probability", 0.0)},
                            add_to_output=True)
                message.set(self.check_marker, True, add_to_output=True)
                pending = _next_intent(message.get("intent_ranking") or [intent], self.fallback_threshold)
                self._add_entity(message, PENDING_TOPIC_ENTITY, pending[INTENT_NAME_KEY])
            elif intent.get(INTENT_NAME_KEY) == EMERGENCY_INTENT:
                ranking = message.get("intent_ranking") or []
                message.set(INTENT, _next_intent(ranking, self.fallback_threshold), add_to_output=True)
                message.set(self.cleared_marker, True, add_to_output=True)
                continue
            else:
                continue
            if danger.get("kind") in ANSWER_FOR_KIND:
                self._add_entity(message, DANGER_ANSWER_ENTITY, ANSWER_FOR_KIND[danger["kind"]])
        return messages

    def _add_entity(self, message: Message, entity: Text, value: Text) -> None:
        found = {"entity": entity, "value": value, "start": 0, "end": 0, "extractor": type(self).__name__}
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), found], add_to_output=True)
