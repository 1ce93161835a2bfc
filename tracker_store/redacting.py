"""SQL tracker store that replaces personal data before anything is written.

Configured in endpoints.yml as `type: tracker_store.redacting.RedactingSQLTrackerStore`
with the same keys as Rasa's `SQL` store. Rasa hands the current turn's tracker
to `save`; the store writes redacted copies of the new events, so no raw text
reaches the database (and later turns, reloaded from it, see the placeholders).
"""
import copy
from typing import Any, Iterator

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, EntitiesAdded, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tracker_store.redact import redact


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def _redact_entities(entities: list) -> list:
    return [{key: _redact_value(value) if key in ("value", "text") else value
             for key, value in entity.items()} for entity in entities or []]


def redact_event(event: Event) -> Event:
    """A copy of `event` with personal data replaced; other events are returned as they are."""
    if isinstance(event, UserUttered):
        event = copy.deepcopy(event)
        event.text = redact(event.text)
        event.entities = _redact_entities(event.entities)
        event.parse_data["text"] = event.text
        event.parse_data["entities"] = _redact_entities(event.parse_data.get("entities"))
    elif isinstance(event, BotUttered):
        # The bot only sends domain texts, but a response may fill in a slot.
        event = copy.deepcopy(event)
        event.text = redact(event.text)
    elif isinstance(event, SlotSet):
        event = copy.deepcopy(event)
        event.value = _redact_value(event.value)
    elif isinstance(event, EntitiesAdded):
        event = copy.deepcopy(event)
        event.entities = _redact_entities(event.entities)
    return event


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose stored events carry placeholders instead of personal data."""

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        return (redact_event(event) for event in super()._additional_events(session, tracker))
