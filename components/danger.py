"""Rasa component of the danger model: P(danger), its kind, and the level of alarm.

Trained with the rest of the pipeline (`make train`) on the danger corpus
(`corpus`, default data/danger/: one file per independent writer) plus the intent
examples of data/nlu.yml (`report_emergency` as danger, the rest harmless). For
every message it adds the output key `danger`:

    {"probability": 0.93, "kind": "domestic_violence", "rule": None, "level": "emergency"}

`level` is "emergency" when a rule of components/danger_rules.yml fires or P >= `upper`,
"question" when `lower` <= P < `upper`, else None. The thresholds come from the
leave-one-writer-out scores (bench/danger_eval.py, docs/decisions.md). This component
only classifies; `components.safety_net.SafetyNet` turns the level into the intent.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.names import DANGER_KEY, EMERGENCY_INTENT
from components.danger_model import DangerModel, level, load_corpus
from components.danger_rules import matching_rule

_FILE = "danger_model.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class DangerClassifier(GraphComponent):
    """Scores every message for danger; adds the `danger` output key."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"corpus": "data/danger", "lower": 0.29, "upper": 0.56}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[DangerModel] = None) -> None:
        self.config, self._storage, self._resource, self.model = config, model_storage, resource, model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "DangerClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        corpus = load_corpus(Path(self.config["corpus"]))
        texts = [e.text for e in corpus]
        danger = [e.danger for e in corpus]
        kinds = [e.kind for e in corpus]
        for example in training_data.intent_examples:
            texts.append(example.get(TEXT))
            danger.append(example.get(INTENT) == EMERGENCY_INTENT)
            kinds.append(None)
        self.model = DangerModel().fit(texts, danger, kinds)
        with self._storage.write_to(self._resource) as folder:
            joblib.dump(self.model, folder / _FILE)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DangerClassifier":
        with model_storage.read_from(resource) as folder:
            model = joblib.load(folder / _FILE)
        return cls(config, model_storage, resource, model)

    def assess(self, text: Optional[Text]) -> Dict[Text, Any]:
        """The `danger` output for one text."""
        rule = matching_rule(text)
        scored = self.model.score(text or "") if self.model else {"probability": 0.0, "kind": None}
        kind = rule.kind if rule else scored["kind"]
        probability = round(scored["probability"], 3)
        return {"probability": probability, "kind": kind, "rule": rule.id if rule else None,
                "level": level(probability, rule.id if rule else None,
                               self.config["lower"], self.config["upper"])}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT):
                message.set(DANGER_KEY, self.assess(message.get(TEXT)), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
