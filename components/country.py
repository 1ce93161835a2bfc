"""Where the parent writes from: Belgium when the message says so or sounds Flemish.

Adds the entity `country` ("be"), which fills the slot of the same name for the rest of
the conversation; the emergency answer then adds the Belgian help lines (domain.yml).
The markers are data (`BELGIAN_MARKERS`, checked by tests/test_danger.py on examples):
Belgium and its regions and larger cities, Belgian services (Kind en Gezin, CLB, Awel,
1712) and Flemish words that Dutch parents in the Netherlands do not write.
"""
from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.danger_model import normalise
from components.rule_component import RuleComponent

COUNTRY_ENTITY = "country"
BELGIAN_MARKERS = (
    r"belgie|belgisch\w*|vlaanderen|wallonie|brussel|antwerpen|gent|brugge|leuven|mechelen|hasselt|"
    r"kortrijk|oostende|aalst|genk|sint-niklaas|roeselare|turnhout|"
    r"kind en gezin|clb|awel|1712|zelfmoordlijn|"
    r"gij|ge zijt|zijde gij|amai|allez|nonkel|bompa|bomma|goesting|gij zijt|da's ne|nen"
)
_BELGIAN = re.compile(rf"\b(?:{BELGIAN_MARKERS})\b")


def country(text: Optional[Text]) -> Optional[Text]:
    """"be" when `text` names Belgium or sounds Flemish, else None."""
    return "be" if _BELGIAN.search(normalise(text)) else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CountryExtractor(RuleComponent):
    """Sets the entity `country` for messages from Belgium."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if country(message.get(TEXT)):
                entity = {"entity": COUNTRY_ENTITY, "value": "be", "start": 0, "end": 0,
                          "extractor": type(self).__name__}
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
