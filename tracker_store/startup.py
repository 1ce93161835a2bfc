"""Check at start that the tracker database can be used, and fail with one clear message.

Rasa's `SQLTrackerStore` retries a database that does not answer forever (a warning
every 5 s), and Rasa silently falls back to the in-memory store when a custom store
raises `ImportError` or `AttributeError` (for example a missing database driver),
which would lose every conversation. `check_database` waits a bounded time for a
network database and raises `TrackerStoreUnavailable` (a `RasaException`, which
`rasa run` prints as one line and exits with status 1) instead.
"""
import logging
import os
import time
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from rasa.shared.exceptions import RasaException

from tracker_store.database import private_sqlite_file, safe_url

logger = logging.getLogger(__name__)

WAIT_ENV = "OCRN_DB_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 30.0


class TrackerStoreUnavailable(RasaException):
    """The tracker database cannot be reached or opened at start."""


def wait_seconds(configured: Optional[Any] = None) -> float:
    """How long to wait for the database: endpoint key, else $OCRN_DB_WAIT_SECONDS, else 30."""
    value = configured if configured is not None else os.environ.get(WAIT_ENV)
    try:
        return max(0.0, float(value)) if value not in (None, "") else DEFAULT_WAIT_SECONDS
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__


def _fail(url, reason: str, hint: str) -> TrackerStoreUnavailable:
    return TrackerStoreUnavailable(
        f"Cannot use the tracker database {safe_url(url)}: {reason}. {hint} "
        "Rasa stops here rather than run without storing conversations.")


class _NoTracebackForUnavailable(logging.Filter):
    """Sanic logs every start-up error with its full traceback before it re-raises; for
    this one `rasa run` prints the message itself (and exits with status 1)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, TrackerStoreUnavailable)


logging.getLogger("sanic.error").addFilter(_NoTracebackForUnavailable())


def _check_sqlite_path(url) -> None:
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    if path.is_dir():
        raise _fail(url, f"{path} is a directory", "Set `db:` to a file path.")
    if not path.parent.is_dir():
        raise _fail(url, f"the folder {path.parent} does not exist",
                    "Create it, or set `db:` in the endpoints file to a writable path.")
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise _fail(url, f"{target} is not writable for this user",
                    "Fix the permissions, or set `db:` to a writable path.")


# Errors that waiting does not fix.
_FINAL = ("authentication failed", "does not exist", "unable to open database file")
_HINT = ("Check that the database server runs and that host, port, database name, user and "
         "password in the endpoints file (the OCRN_DB_* variables) are right.")


def check_database(url, wait: float) -> None:
    """Return once `url` accepts a connection; raise `TrackerStoreUnavailable` otherwise."""
    is_sqlite = sa.engine.make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        _check_sqlite_path(url)
        private_sqlite_file(url)
    try:
        engine = sa.create_engine(url)
    except (ImportError, AttributeError, sa.exc.ArgumentError) as error:
        raise _fail(url, f"no usable database driver ({_first_line(error)})",
                    "Install the driver (psycopg2-binary for PostgreSQL, in requirements.txt).") from None
    started = time.monotonic()
    deadline = started + (0 if is_sqlite else wait)
    warned = False
    try:
        while True:
            try:
                with engine.connect():
                    return
            except sa.exc.OperationalError as error:
                reason = _first_line(error)
                if time.monotonic() >= deadline or any(word in reason for word in _FINAL):
                    if not is_sqlite:
                        reason += f" (tried for {time.monotonic() - started:.0f} s)"
                    raise _fail(url, reason, _HINT) from None
                if not warned:
                    logger.warning(f"Tracker database {safe_url(url)} not reachable yet "
                                   f"({reason}); retrying for up to {wait:.0f} s.")
                    warned = True
                time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
    finally:
        engine.dispose()
