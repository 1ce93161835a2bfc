"""The tracker store's `events` table, opened from the same endpoints file as the bot."""
import os
import re
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
import sqlalchemy as sa  # noqa: E402
import yaml  # noqa: E402

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


def default_endpoints() -> str:
    return os.environ.get("RASA_ENDPOINTS", "endpoints.yml")


def _expand(value, path: str):
    """Fill in ${VAR} from the environment, as Rasa does when it reads endpoints files."""
    if isinstance(value, dict):
        return {key: _expand(item, path) for key, item in value.items()}
    if isinstance(value, str):
        def variable(match):
            if match.group(1) not in os.environ:
                raise SystemExit(f"{path}: environment variable {match.group(1)} is not set")
            return os.environ[match.group(1)]
        return re.sub(r"\$\{([^}]+)\}", variable, value)
    return value


def url_from_endpoints(path: str) -> "sa.engine.URL":
    """The database URL of the `tracker_store` in a Rasa endpoints file, built like
    Rasa's SQLTrackerStore.get_db_url."""
    config = _expand((yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("tracker_store") or {}, path)
    if not config:
        raise SystemExit(f"{path} has no tracker_store")
    host, port = config.get("url"), config.get("port")
    if host and "://" in host:
        return sa.engine.make_url(host)
    if host:
        parsed = urlsplit(f"scheme://{host}")
        host, port = parsed.hostname or host, parsed.port or port
    return sa.engine.URL.create(
        config.get("dialect", "sqlite"), config.get("username"), config.get("password"), host,
        int(port) if port else None, config.get("db", "rasa.db"), config.get("query") or {})


def open_engine(endpoints: Optional[str] = None, db_url: Optional[str] = None) -> "sa.engine.Engine":
    """An engine for `db_url` (or REVIEW_DB_URL), else for the endpoints file's tracker store."""
    url = sa.engine.make_url(db_url or os.environ.get("REVIEW_DB_URL")
                             or url_from_endpoints(endpoints or default_endpoints()))
    schema = os.environ.get("POSTGRESQL_SCHEMA")  # as Rasa's SQL store honours it
    if url.get_backend_name() == "postgresql" and schema:
        return sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    return sa.create_engine(url)


def has_events(engine: "sa.engine.Engine") -> bool:
    """False when the bot has stored nothing yet (no table, or no SQLite file)."""
    if engine.dialect.name == "sqlite" and engine.url.database and not os.path.exists(engine.url.database):
        return False
    return sa.inspect(engine).has_table("events")
