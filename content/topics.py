"""The topic table (content/topics.yml): one entry per question of the page.

Plain data without Rasa imports, read by the answer action (actions/answers.py), the
feedback question (actions/feedback.py), the staff tool (review/topics.py) and the NLU
components that need the list of content intents. tests/test_topics.py checks every
entry against domain.yml, data/rules.yml, data/nlu.yml and content/register.yml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Tuple

import yaml

from actions.names import FOLLOW_UP_KINDS

TOPICS_FILE = Path(__file__).with_name("topics.yml")
AUDIENCES = ("teacher", "be", "older")  # see actions/answers.py `audience`


@dataclass(frozen=True)
class Topic:
    intent: str
    answer: Tuple[str, ...]
    name: str
    staff: str
    feedback: Optional[str] = None
    explain: Optional[str] = None
    # audience -> the intent that answers this question for that reader instead
    redirect: Dict[str, str] = field(default_factory=dict)
    follow_ups: Dict[str, str] = field(default_factory=dict)


def _topic(intent: str, entry: dict) -> Topic:
    answer = entry["answer"]
    return Topic(intent=intent, answer=tuple(answer if isinstance(answer, list) else [answer]),
                 name=entry["name"], staff=entry["staff"], feedback=entry.get("feedback"),
                 explain=entry.get("explain"), redirect=dict(entry.get("for") or {}),
                 follow_ups=dict(entry.get("follow_ups") or {}))


@lru_cache(maxsize=None)
def topics(path: Path = TOPICS_FILE) -> Dict[str, Topic]:
    """intent -> Topic; fails with the file and the entry when one is incomplete."""
    loaded = {}
    for intent, entry in yaml.safe_load(path.read_text(encoding="utf-8"))["topics"].items():
        try:
            loaded[intent] = _topic(intent, entry)
        except KeyError as missing:
            raise ValueError(f"{path}: topic {intent} has no {missing}") from None
    for topic in loaded.values():
        unknown = set(topic.follow_ups) - set(FOLLOW_UP_KINDS)
        targets = set(topic.follow_ups.values()) | set(topic.redirect.values())
        if unknown or not targets <= set(loaded) or not set(topic.redirect) <= set(AUDIENCES):
            raise ValueError(f"{path}: topic {topic.intent}: unknown follow-up kind, audience or target")
    return loaded


def content_intents() -> FrozenSet[str]:
    return frozenset(topics())


def answer_responses(domain_responses) -> FrozenSet[str]:
    """Every response of `domain_responses` the answer action may send for a topic: the
    answers, their `explain`, and their variants per reader (<response>_<audience>)."""
    base = {r for topic in topics().values() for r in (*topic.answer, topic.explain) if r}
    variants = {f"{r}_{audience}" for r in base for audience in AUDIENCES}
    return frozenset((base | variants) & set(domain_responses))


def sent_by_code() -> List[str]:
    """The warnings `rasa data validate` gives for responses no rule names because the answer
    action sends them (topics, turns, names.py): scripts/validate.sh accepts these."""
    from actions import names
    from actions.answers import TURNS

    domain = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text(encoding="utf-8"))
    by_code = {v for k, v in vars(names).items() if k.endswith("_RESPONSE")} | {r for t in TURNS.values() for r in t}
    return [f"The utterance '{response}' is not used in any story or rule."
            for response in sorted(answer_responses(domain["responses"]) | (by_code & set(domain["responses"])))]


if __name__ == "__main__":  # for scripts/validate.sh
    print("\n".join(sent_by_code()))
