"""Custom actions of the OCRN attachment assistant."""
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.names import REGISTRATION_ACTION, REGISTRATION_RESPONSE

# The one place the registration address lives; override per deployment.
DEFAULT_REGISTRATION_URL = "https://www.ocrn.nl/aanmelden/"


def registration_url() -> Text:
    return os.environ.get("OCRN_REGISTRATION_URL", "").strip() or DEFAULT_REGISTRATION_URL


class ActionShowRegistration(Action):
    """Shows how to register at OCRN, with the configured registration page."""

    def name(self) -> Text:
        return REGISTRATION_ACTION

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response=REGISTRATION_RESPONSE, registration_url=registration_url())
        return []
