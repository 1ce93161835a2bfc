"""Base for rule components that run after the classifier and may set the intent."""
from __future__ import annotations

from typing import List, Optional, Text

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.rule_component import RuleComponent


class IntentOverride(RuleComponent):
    """Sets the intent (confidence 1.0) when `intent_for` names one for the text."""

    # Output key set to True when the rule fires, so staff can see which rule it was.
    marker: Optional[Text] = None

    def intent_for(self, text: Optional[Text]) -> Optional[Text]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self.intent_for(message.get(TEXT))
            if intent:
                forced = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, forced, add_to_output=True)
                if self.marker:
                    message.set(self.marker, True, add_to_output=True)
        return messages
