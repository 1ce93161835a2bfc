"""`SpacyNLP` that loads `nl_core_news_sm`, or the labelled offline pipeline."""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

from components import spacy_pipeline

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="DutchSpacyNLP",
)
class DutchSpacyNLP(SpacyNLP):
    """Loads the intended Dutch model, or the offline pipeline, and says which."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SpacyNLP.get_default_config(), "model": spacy_pipeline.INTENDED_MODEL}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DutchSpacyNLP:
        config = {**cls.get_default_config(), **config}
        pipeline = spacy_pipeline.resolve(config["model"])
        if pipeline.is_fallback:
            logger.warning("!!! %s !!!", pipeline.describe())
        else:
            logger.info("Using %s.", pipeline.describe())
        loaded = cls.load_model(pipeline.location)
        cls.ensure_proper_language_model(loaded.model)
        # The name (not the path) is the fingerprint: a switch retrains the NLU.
        return cls(SpacyModel(model=loaded.model, model_name=pipeline.name), config)
