"""The few hand-written danger rules, read from components/danger_rules.yml.

Pure functions, no Rasa imports. A rule is data (id, kind, pattern, positive and
negative examples): only the unmistakable (an ambulance called, a suicide plan, a
weapon now, a child not breathing, pills taken). Everything else is learned by the
danger model (components/danger_model.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Text, Tuple

import yaml

from components.danger_model import KINDS, normalise

RULES_FILE = Path(__file__).with_name("danger_rules.yml")


@dataclass(frozen=True)
class Rule:
    id: Text
    kind: Text
    pattern: re.Pattern
    positives: Tuple[Text, ...]
    negatives: Tuple[Text, ...]


@lru_cache(maxsize=1)
def rules(path: Path = RULES_FILE) -> Tuple[Rule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    loaded = tuple(Rule(r["id"], r["kind"], re.compile(r["pattern"]), tuple(r["positives"]),
                        tuple(r["negatives"])) for r in data)
    unknown = [rule.id for rule in loaded if rule.kind not in KINDS]
    if unknown:
        raise ValueError(f"{path}: rules with an unknown kind: {unknown}")
    return loaded


def matching_rule(text: Optional[Text]) -> Optional[Rule]:
    """The first rule that matches `text`, or None."""
    clean = normalise(text)
    return next((rule for rule in rules() if rule.pattern.search(clean)), None)


def matching_rules(text: Optional[Text]) -> List[Rule]:
    clean = normalise(text)
    return [rule for rule in rules() if rule.pattern.search(clean)]
