"""SQL tracker store that replaces personal data before anything is written.

Configured in endpoints.yml as `type: tracker_store.redacting.RedactingSQLTrackerStore`
with the same keys as Rasa's `SQL` store. Rasa hands the current turn's tracker
to `save`; the store writes redacted copies of the new events, so no raw text
reaches the database (and later turns, reloaded from it, see the placeholders).
"""
import copy
from typing import Any, Dict, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, validate_port
from rasa.shared.core.events import BotUttered, EntitiesAdded, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tracker_store.database import database_url, safe_url
from tracker_store.redact import redact
from tracker_store.startup import TrackerStoreUnavailable, check_database, wait_seconds


def redact_tree(value: Any) -> Any:
    """`value` with every string in it redacted, however deep in dicts and lists.

    Components add keys of their own to the parse data (`questions`, `focus`, ...);
    walking every string instead of a list of known keys keeps a new key from
    storing what the parent typed. Identifiers (intent, entity, action names) come
    out unchanged: a test checks every name of the domain.
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_tree(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(item) for item in value]
    return value


def redact_event(event: Event) -> Event:
    """A copy of `event` with personal data replaced; other events are returned as they are."""
    if isinstance(event, UserUttered):
        event = copy.deepcopy(event)
        event.text = redact(event.text)
        event.entities = redact_tree(event.entities)
        event.parse_data = redact_tree(event.parse_data)
        event.metadata = redact_tree(event.metadata)
    elif isinstance(event, BotUttered):
        # The bot only sends domain texts, but a response may fill in a slot.
        event = copy.deepcopy(event)
        event.text = redact(event.text)
        event.data = redact_tree(event.data)
        event.metadata = redact_tree(event.metadata)
    elif isinstance(event, SlotSet):
        event = copy.deepcopy(event)
        event.value = redact_tree(event.value)
    elif isinstance(event, EntitiesAdded):
        event = copy.deepcopy(event)
        event.entities = redact_tree(event.entities)
    return event


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in WAL mode, synced at checkpoints: a commit no longer waits for the disk.

    Rasa writes the tracker on the event loop, so each default (journal, full sync)
    commit stalled every conversation for 1-14 ms. A killed process loses nothing; a
    power cut can lose the last turns (README, "Decisions"). Runs once per pooled
    connection.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # An erased conversation ("Gesprek wissen") leaves no readable bytes behind.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose stored events carry placeholders instead of personal data.

    At start it checks the database first (tracker_store/startup.py): a database that
    stays unreachable for `connect_wait_seconds` (endpoint key; else $OCRN_DB_WAIT_SECONDS,
    else 30 s) stops Rasa with one clear message instead of retrying forever, and no
    error can make Rasa fall back to its in-memory store.
    """

    def __init__(self, domain=None, dialect: Text = "sqlite", host: Optional[Text] = None,
                 port: Optional[int] = None, db: Text = "rasa.db", username: Text = None,
                 password: Text = None, event_broker=None, login_db: Optional[Text] = None,
                 query: Optional[Dict] = None, connect_wait_seconds: Optional[float] = None,
                 **kwargs: Any) -> None:
        url = database_url(dialect, host, validate_port(port), db, username, password, query)
        check_database(url, wait_seconds(connect_wait_seconds))
        try:
            super().__init__(domain, dialect, host, port, db, username, password,
                             event_broker, login_db, query, **kwargs)
        except (ImportError, AttributeError) as error:
            # Rasa would swallow these and use the in-memory store instead.
            raise TrackerStoreUnavailable(
                f"Cannot use the tracker database {safe_url(url)}: {error}") from None
        if self.engine.dialect.name == "sqlite":
            self._pool_sqlite_connections()

    def _pool_sqlite_connections(self) -> None:
        """Keep SQLite connections open (WAL mode) instead of one new connection per turn.

        SQLAlchemy 1.4 gives file databases a `NullPool`: every turn opened and closed a
        connection (about 8 % of the server's time under load). Rasa uses the store from
        the server's event loop, one session at a time, so a small pool is safe.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        return (redact_event(event) for event in super()._additional_events(session, tracker))
