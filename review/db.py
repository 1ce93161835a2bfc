"""The review tool's database engine: the tracker store's, with the tool's tables ready.

SQLite: a pool of open connections instead of SQLAlchemy 1.4's default of one new
connection per use, because SQLite's page cache lives in the connection and the review
tables' indexes are read on every page. `busy_timeout` waits for the bot's writes instead
of failing; `secure_delete` overwrites erased conversations in the file.
"""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from review.schema import ensure_schema
from review.users import import_legacy
from tracker_store.database import open_engine

POOL_SIZE = 8  # waitress's worker threads (review/server.py)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.execute("PRAGMA secure_delete = ON")
    # As the bot's store (tracker_store/redacting.py): WAL, and no wait for the disk at each
    # commit (an access-log entry per page cost 18 ms with the default full sync).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def review_engine(endpoints: Optional[str] = None, db_url: Optional[str] = None,
                  prepare: bool = True) -> sa.engine.Engine:
    """The engine of the tracker database; with `prepare`, the review tables exist afterwards."""
    probe = open_engine(endpoints, db_url)
    if probe.dialect.name == "sqlite":
        probe.dispose()
        engine = open_engine(endpoints, db_url, poolclass=QueuePool, pool_size=POOL_SIZE, max_overflow=4,
                             connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = probe
    if prepare:
        ensure_schema(engine)
        import_legacy(engine)
    return engine
