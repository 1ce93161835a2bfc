"""The tracker database in one place: its `events` table, its URL, and the URL to show.

No Rasa imports: used by the redacting store (tracker_store/redacting.py) and by the
staff tools (review/: server, export, retention) alike. The URL is built as Rasa's
`SQLTrackerStore.get_db_url` builds it, from the `tracker_store` section of the same
endpoints file the bot reads, with `${VAR}` filled in from the environment as Rasa does;
tests/test_database.py compares both with Rasa's own code.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, Optional, Union
from urllib.parse import urlsplit

import sqlalchemy as sa
import yaml

# Rasa 3.6's SQLTrackerStore.SQLEvent, as a Core table (Rasa creates it; we only read
# and delete rows).
EVENTS = sa.Table(
    "events", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255)),
    sa.Column("type_name", sa.String(255)),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def database_url(dialect: str = "sqlite", host: Optional[str] = None, port: Optional[int] = None,
                 db: str = "rasa.db", username: Optional[str] = None, password: Optional[str] = None,
                 query: Optional[Dict[str, Any]] = None) -> Union[str, "sa.engine.URL"]:
    """The SQLAlchemy URL of a tracker store, as Rasa's `SQLTrackerStore.get_db_url`.

    A `host` with a scheme ("postgresql://...") is the whole URL; a host may carry the port.
    """
    if host and "://" in host:
        return host
    if host:
        parsed = urlsplit(f"scheme://{host}")
        port = parsed.port or port
        host = parsed.hostname or host
    return sa.engine.URL.create(dialect, username, password, host, int(port) if port else None,
                                db, query or {})


def safe_url(url: Union[str, "sa.engine.URL"]) -> str:
    """The database URL without the password, for messages and logs."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only used for a message
        return "<unparsable database URL>"


def expand_env(value: Any, source: str) -> Any:
    """Fill in `${VAR}` from the environment, as Rasa does when it reads endpoints files."""
    if isinstance(value, dict):
        return {key: expand_env(item, source) for key, item in value.items()}
    if isinstance(value, str):
        def variable(match: "re.Match") -> str:
            if match.group(1) not in os.environ:
                raise SystemExit(f"{source}: environment variable {match.group(1)} is not set")
            return os.environ[match.group(1)]
        return re.sub(r"\$\{([^}]+)\}", variable, value)
    return value


def url_from_endpoints(path: str) -> Union[str, "sa.engine.URL"]:
    """The database URL of the `tracker_store` section of a Rasa endpoints file."""
    endpoints = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    config = expand_env(endpoints.get("tracker_store") or {}, path)
    if not config:
        raise SystemExit(f"{path} has no tracker_store")
    return database_url(config.get("dialect", "sqlite"), config.get("url"), config.get("port"),
                        config.get("db", "rasa.db"), config.get("username"), config.get("password"),
                        config.get("query"))


def private_sqlite_file(url: Any) -> None:
    """Create a SQLite database file readable by this user only (0600), whatever the umask.

    SQLite gives its -wal and -shm files the mode of the database file, so this covers
    them too. An existing file and its side files are tightened to 0600. Other
    databases, and SQLite in memory, are left alone. Called before every engine of the
    project opens the file (`open_engine`, the tracker store's start-up check), so the
    first process to touch it (often `make run`'s check for staff accounts) cannot create
    it with the default 0644.
    """
    url = sa.engine.make_url(url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if path.parent.is_dir():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists():
            side.chmod(0o600)


def open_engine(endpoints: Optional[str] = None, db_url: Optional[str] = None,
                **options: Any) -> "sa.engine.Engine":
    """An engine for `db_url` (or REVIEW_DB_URL), else for the endpoints file's tracker store
    (default RASA_ENDPOINTS, else endpoints.yml); `options` go to `create_engine`."""
    url = sa.engine.make_url(
        db_url or os.environ.get("REVIEW_DB_URL")
        or url_from_endpoints(endpoints or os.environ.get("RASA_ENDPOINTS") or "endpoints.yml"))
    private_sqlite_file(url)
    schema = os.environ.get("POSTGRESQL_SCHEMA")  # as Rasa's SQL store honours it
    if url.get_backend_name() == "postgresql" and schema:
        connect_args = {**options.pop("connect_args", {}), "options": f"-csearch_path={schema}"}
        return sa.create_engine(url, connect_args=connect_args, **options)
    return sa.create_engine(url, **options)


def add_database_arguments(parser) -> None:
    """--endpoints and --db-url of every staff command: the arguments of `open_engine`."""
    parser.add_argument("--endpoints", help="Rasa endpoints file (default: RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store, instead of --endpoints")


def has_events(engine: "sa.engine.Engine") -> bool:
    """False when the bot has stored nothing yet (no table, or no SQLite file)."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and not os.path.exists(database):
        return False
    return sa.inspect(engine).has_table("events")


def erase_conversation(engine: "sa.engine.Engine", sender_id: str) -> int:
    """Delete every event of one conversation (a parent's right to erasure); the count.

    Rasa reads a conversation from the database at every message and keeps nothing of
    it in memory, so the next message of this sender starts a new, empty conversation.
    """
    if not has_events(engine):
        return 0
    with engine.begin() as connection:
        return connection.execute(EVENTS.delete().where(EVENTS.c.sender_id == sender_id)).rowcount


def has_user_message(engine: "sa.engine.Engine", sender_id: str, message_id: str,
                     recent: int = 50) -> bool:
    """Whether one of the sender's last `recent` user messages has this `message_id`.

    The widget sends a message again after a reconnect when the server did not
    acknowledge it; this tells the channel it was handled already (also by an
    instance that has since stopped)."""
    query = (sa.select(EVENTS.c.data)
             .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name == "user")
             .order_by(EVENTS.c.id.desc()).limit(recent))
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).fetchall()
    except sa.exc.DBAPIError:  # no events table yet: nothing was handled
        return False
    for (data,) in rows:
        try:
            if json.loads(data).get("message_id") == message_id:
                return True
        except (TypeError, ValueError, AttributeError):
            continue
    return False
