"""Deterministic extraction of the child's age group (`age_band`) from a message.

Only the band is kept (baby, peuter_kleuter, schoolkind, puber), never the exact
age: it is all the bot needs to tailor its answer.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.names import AGE_BAND

ENTITY = AGE_BAND

NUMBER_WORDS = {
    "een": 1, "één": 1, "anderhalf": 1.5, "twee": 2, "drie": 3, "vier": 4,
    "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
    "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18,
}


def _number_pattern(words) -> Text:
    return r"(\d{1,2}(?:[.,]5)?|" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# "een" counts as a number only before a unit ("een jaar"), not in "ze is een schat".
_NUM = _number_pattern(NUMBER_WORDS)
_NUM_BARE = _number_pattern(w for w in NUMBER_WORDS if w not in ("een", "één"))
_KID = r"(?:kind(?:je)?|zoon(?:tje)?|dochter(?:tje)?|jongen|meisje|kleine|baby|ventje|mannetje|meid)"

# (pattern, unit) in order of precedence; the first match wins.
_AGE_PATTERNS = [
    (re.compile(_NUM + r"\s*-?\s*(?:maanden|maand|mnd)\b"), "months"),
    (re.compile(_NUM + r"\s*-?\s*(?:jaar|jr|jarige|jarig)\b"), "years"),
    (re.compile(_NUM + r"(?:jarige|jarig)\b"), "years"),
    (re.compile(_KID + r"\s*\(\s*" + _NUM_BARE + r"\s*\)"), "years"),
    (re.compile(_KID + r"\s+van\s+(?:net\s+|bijna\s+|pas\s+)?" + _NUM_BARE + r"\b"), "years"),
    (re.compile(r"\b(?:is|wordt|werd|ben)\s+(?:net\s+|bijna\s+|pas\s+|nu\s+)?" + _NUM_BARE + r"\b(?!\s*(?:keer|uur|minuten|dagen|weken|kinderen|x)\b)"), "years"),
    (re.compile(r"^\s*(?:net\s+|bijna\s+)?" + _NUM_BARE + r"\s*[.!]?\s*$"), "years"),
]
_GROUP = re.compile(r"\bgroep\s*([1-8])\b")
_BAND_WORDS = [
    (re.compile(r"\b(?:baby\w*|zuigeling|pasgeboren\w*|newborn)\b"), "baby"),
    (re.compile(r"\b(?:peuter\w*|kleuter\w*|dreumes\w*|kinderdagverblijf|kdv|creche|crèche)\b"), "peuter_kleuter"),
    (re.compile(r"\b(?:puber\w*|tiener\w*|adolescent\w*|brugklas\w*|middelbare school|puberteit)\b"), "puber"),
    (re.compile(r"\b(?:schoolkind\w*|basisschool|lagere school)\b"), "schoolkind"),
]


def band_for_years(years: float) -> Optional[Text]:
    if years < 0 or years > 18:
        return None
    if years < 1:
        return "baby"
    if years < 6:
        return "peuter_kleuter"
    if years < 12:
        return "schoolkind"
    return "puber"


def _number(token: Text) -> float:
    return NUMBER_WORDS.get(token) or float(token.replace(",", "."))


def find_age_band(text: Text) -> Optional[Dict[Text, Any]]:
    """Return `{"value", "start", "end"}` for the first age in `text`, or None."""
    lowered = (text or "").lower()
    for pattern, unit in _AGE_PATTERNS:
        match = pattern.search(lowered)
        if match:
            amount = _number(match.group(1))
            years = amount / 12 if unit == "months" else amount
            band = band_for_years(years)
            if band:
                return {"value": band, "start": match.start(), "end": match.end()}
    match = _GROUP.search(lowered)
    if match:
        band = "peuter_kleuter" if int(match.group(1)) <= 2 else "schoolkind"
        return {"value": band, "start": match.start(), "end": match.end()}
    for pattern, band in _BAND_WORDS:
        match = pattern.search(lowered)
        if match:
            return {"value": band, "start": match.start(), "end": match.end()}
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class AgeExtractor(GraphComponent):
    """Adds an `age_band` entity when a message tells the child's age."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AgeExtractor:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = find_age_band(message.get(TEXT))
            if found and not any(e.get("entity") == ENTITY for e in message.get(ENTITIES, [])):
                entity = {**found, "entity": ENTITY, "confidence_entity": 1.0,
                          "extractor": self.__class__.__name__}
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
