"""Who writes: a teacher, another professional, a foster or adoptive parent, a grandparent.

Adds the entity `role` when a message says so in the first person ("ik ben juf van
groep 4", "ons pleegkind"); it fills the slot of the same name for the rest of the
conversation, and the answer action gives teachers and professionals the answers for
them (actions/answers.py `audience`). The rules are data (components/role_rules.yml),
each with examples that tests/test_role.py checks. A parent writes without a role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Text, Tuple

import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import ROLE
from components.danger_model import normalise
from components.rule_component import RuleComponent

RULES_FILE = Path(__file__).with_name("role_rules.yml")


@dataclass(frozen=True)
class RoleRule:
    id: Text
    role: Text
    pattern: re.Pattern
    positives: Tuple[Text, ...]
    negatives: Tuple[Text, ...]


@lru_cache(maxsize=1)
def role_rules(path: Path = RULES_FILE) -> Tuple[RoleRule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    return tuple(RoleRule(r["id"], r["role"], re.compile(r["pattern"]), tuple(r["positives"]),
                          tuple(r["negatives"])) for r in data)


def matching_role(text: Optional[Text]) -> Optional[RoleRule]:
    """The first rule that matches `text`, or None."""
    clean = normalise(text)
    return next((rule for rule in role_rules() if rule.pattern.search(clean)), None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RoleExtractor(RuleComponent):
    """Sets the entity `role` when the writer says who they are."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            rule = matching_role(message.get(TEXT))
            if rule:
                entity = {"entity": ROLE, "value": rule.role, "start": 0, "end": 0, "rule": rule.id,
                          "extractor": type(self).__name__}
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages
