"""The staff tool's own tables, next to Rasa's `events` table in the same database.

Created by the tool (`ensure_schema`, idempotent) on SQLite and PostgreSQL alike; Rasa's
`events` table is never altered (only rows of one conversation are erased). Every table
is named `review_*`, so a backup or a schema listing shows at once what is whose.

- `review_accounts`, `review_logins`, `review_login_attempts`, `review_login_unknown`:
  staff accounts (scrypt), server-side login sessions (logout and account removal end
  them at once), the login attempts the lockout counts, and failed logins with an
  unknown name, counted per address and quarter of an hour (review/login.py).
- `review_conversations`, `review_topics`, `review_state`: one summary row per
  conversation, kept up to date from the new events (review/index.py), so the list,
  its filters, counting, paging and the overview are SQL over 100 000 rows instead of
  2 million events (docs/benchmarks.md).
- `review_reviewed`, `review_notes`, `review_tags`, `review_followups`,
  `review_corrections`: what staff do with a conversation.
- `review_audit`: the access log (review/audit.py): the database refuses UPDATE and
  DELETE on it (triggers, `ensure_audit_guard`), ids are never reused (SQLite
  AUTOINCREMENT) and each row carries a hash chained to the row before.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Iterable, List, Optional, Tuple

import sqlalchemy as sa

METADATA = sa.MetaData()
_SENDER = sa.String(255)  # as Rasa's events.sender_id
_NAME = sa.String(32)  # account names (review/users.py: 2-32 characters)

ACCOUNTS = sa.Table(
    "review_accounts", METADATA,
    sa.Column("name", _NAME, primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password", sa.Text, nullable=False),  # JSON: scrypt salt, hash and parameters
    sa.Column("created", sa.Float, nullable=False),
)

LOGINS = sa.Table(
    "review_logins", METADATA,
    sa.Column("sid", sa.String(64), primary_key=True),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("address", sa.String(64)),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("ended", sa.Float),
)

ATTEMPTS = sa.Table(
    "review_login_attempts", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("outcome", sa.String(8), nullable=False),  # pending | ok | failed | blocked
    sa.Index("ix_review_attempts_account", "account", "at"),
    sa.Index("ix_review_attempts_address", "address", "at"),
)

# Failed logins with a name that is no account: one row per address and quarter of an hour
# with a count, never the names tried (someone may type a password into the name field).
UNKNOWN_LOGINS = sa.Table(
    "review_login_unknown", METADATA,
    sa.Column("address", sa.String(64), primary_key=True),
    sa.Column("started", sa.Float, primary_key=True, autoincrement=False),  # start of the quarter
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("blocked", sa.Integer, nullable=False),
    sa.Column("logged", sa.Integer, nullable=False),  # 1 once written to the access log
)

CONVERSATIONS = sa.Table(
    "review_conversations", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("ended", sa.Float, nullable=False),
    sa.Column("day", sa.String(10), nullable=False),  # local start date, YYYY-MM-DD
    sa.Column("user_messages", sa.Integer, nullable=False),
    sa.Column("fallback_messages", sa.Integer, nullable=False),
    sa.Column("feedback_positive", sa.Integer, nullable=False),
    sa.Column("feedback_negative", sa.Integer, nullable=False),
    # 0/1 (sums count them on every database): an alarm, as review/alarms.py defines it
    sa.Column("emergency", sa.Integer, nullable=False),
    sa.Column("emergency_at", sa.Float),  # time of the last alarm, if any (> 0 exactly when `emergency`)
    sa.Column("fallback", sa.Integer, nullable=False),
    sa.Column("negative_feedback", sa.Integer, nullable=False),
    sa.Column("registration", sa.Integer, nullable=False),
    sa.Column("min_confidence", sa.Float),  # lowest confidence of a typed parent message
    sa.Column("topics", sa.Text, nullable=False),  # intents, comma-separated, for the list
    # events.id of its first event: Rasa only appends, so a higher one later means the
    # conversation was erased (in the chat) and the sender began again (review/index.py).
    sa.Column("first_event", sa.Integer),
    # The parent's first typed message (redacted, shortened) and the local minute of the day
    # it began (0-1439): every row of the list shows them, the time-of-day filter reads it.
    sa.Column("preview", sa.String(160)),
    sa.Column("minute", sa.Integer),
    # What the chat did when a conversation had an alarm (review/overview.py's parts of the
    # emergency count): 2 the emergency answer at least once, 1 only the safety question,
    # 0 neither stored (older versions of the bot); NULL without an alarm.
    sa.Column("alarm_answer", sa.Integer),
    sa.Index("ix_review_conversations_started", "started", "sender_id"),
    sa.Index("ix_review_conversations_emergency", "emergency_at", "sender_id"),  # the queue, covering
    # Covers the overview's one aggregate (per day, every sum): SQLite reads the index
    # alone, in day order: 54 ms instead of 400 ms for 100 000 rows (bench/review_scale.py).
    sa.Index("ix_review_conversations_overview", "day", "sender_id", "user_messages", "fallback_messages",
             "feedback_positive", "feedback_negative", "min_confidence", "emergency", "fallback",
             "negative_feedback", "registration", "emergency_at"),
)

# The conversation's day, flags and lowest confidence are repeated on each of its topic rows,
# so the overview's top topics apply every list filter to this table alone: no join with
# review_conversations, which cost 300-500 ms for 150 000 topic rows.
REPEATED_ON_TOPICS = ("day", "emergency", "fallback", "negative_feedback", "registration", "min_confidence")
TOPICS = sa.Table(
    "review_topics", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("intent", sa.String(255), primary_key=True),
    sa.Column("messages", sa.Integer, nullable=False),
    *(sa.Column(name, CONVERSATIONS.c[name].type, nullable=CONVERSATIONS.c[name].nullable)
      for name in REPEATED_ON_TOPICS),
    # One covering index for every use: "which conversations asked X" (a range) and the top
    # topics under any filter (the whole index, already grouped by intent, no table reads).
    sa.Index("ix_review_topics_intent", "intent", "sender_id", *REPEATED_ON_TOPICS),
)

STATE = sa.Table(
    "review_state", METADATA,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
)

REVIEWED = sa.Table(
    "review_reviewed", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

NOTES = sa.Table(
    "review_notes", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

TAGS = sa.Table(
    "review_tags", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("tag", sa.String(32), primary_key=True),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_review_tags_tag", "tag", "sender_id"),
)

FOLLOWUPS = sa.Table(
    "review_followups", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("covers", sa.Float, nullable=False),  # the last alarm (time) it follows up
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

CORRECTIONS = sa.Table(
    "review_corrections", METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),  # events.id of the message
    sa.Column("sender_id", _SENDER, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # redacted
    sa.Column("predicted", sa.String(255)),
    sa.Column("intent", sa.String(255), nullable=False),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("exported_at", sa.Float),
    sa.Index("ix_review_corrections_sender", "sender_id"),
)

# The parent's typed messages (stored text, already redacted), one row per message: what the
# search reads (review/search.py adds SQLite FTS5 or a PostgreSQL full-text index over it).
MESSAGES = sa.Table(
    "review_messages", METADATA,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),  # events.id
    sa.Column("sender_id", _SENDER, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_review_messages_sender", "sender_id", "event_id"),
)

# Who took a conversation on ("toegewezen aan"), so two staff members do not follow up the
# same emergency.
ASSIGNMENTS = sa.Table(
    "review_assignments", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("account", _NAME, nullable=False),
    sa.Column("by", _NAME, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("ix_review_assignments_account", "account", "sender_id"),
)

AUDIT = sa.Table(
    "review_audit", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64)),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.String(255)),
    sa.Column("details", sa.Text),  # JSON
    # SHA-256 (hex) of the previous row's hash followed by this row's content (`chain`).
    sa.Column("hash", sa.String(64)),
    sa.Index("ix_review_audit_at", "at"),
    sa.Index("ix_review_audit_account", "account", "at"),
    sqlite_autoincrement=True,  # an id is never given twice, also after the newest rows were deleted
)
AUDIT_COLUMNS = ("at", "account", "address", "action", "target", "details")
GENESIS = "0" * 64  # the "previous hash" of the first row
# `make retention` may delete access-log rows older than this time (a review_state key it
# sets and removes within its own transaction); any other DELETE is refused by the database.
PURGE_KEY = "audit_purge_before"

# The e-mail about a new emergency (review/notify.py): the alarm time last mailed per
# conversation, so each emergency is mailed once.
NOTIFIED = sa.Table(
    "review_notified", METADATA,
    sa.Column("sender_id", _SENDER, primary_key=True),
    sa.Column("alarm_at", sa.Float, nullable=False),
    sa.Column("sent_at", sa.Float, nullable=False),
)

# What staff did with one conversation: erased with it.
PER_CONVERSATION = (CONVERSATIONS, TOPICS, REVIEWED, NOTES, TAGS, FOLLOWUPS, CORRECTIONS, MESSAGES, ASSIGNMENTS,
                    NOTIFIED)


def ensure_schema(engine: sa.engine.Engine) -> None:
    """Create the missing review tables, columns and indexes, and the access log's guard;
    a new SQLite file gets mode 600."""
    database = engine.url.database
    new_file = engine.dialect.name == "sqlite" and database and not os.path.exists(database)
    if new_file:
        os.makedirs(os.path.dirname(os.path.abspath(database)), mode=0o700, exist_ok=True)
    METADATA.create_all(engine, checkfirst=True)
    _add_columns(engine)
    for table in METADATA.sorted_tables:  # indexes added in a later version of the tool
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    ensure_audit_guard(engine)
    from review import search, workflow  # they build on these tables

    search.ensure(engine)
    workflow.migrate_notes(engine)
    if new_file and os.path.exists(database):
        os.chmod(database, 0o600)  # it will hold conversations, as var/tracker.db does


def _add_columns(engine: sa.engine.Engine) -> None:
    """Columns added in a later version of the tool (create_all adds none to a table that exists)."""
    for table, column in ((CONVERSATIONS, "first_event"), (CONVERSATIONS, "preview"), (CONVERSATIONS, "minute"),
                          (CONVERSATIONS, "alarm_answer")):
        present = {c["name"] for c in sa.inspect(engine).get_columns(table.name)}
        if column in present:
            continue
        kind = table.c[column].type.compile(dialect=engine.dialect)
        try:
            with engine.begin() as db:
                db.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column} {kind}")
        except sa.exc.DBAPIError:  # another process added it just now
            if column not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                raise


def forget_conversation(connection: sa.engine.Connection, sender_id: str) -> int:
    """Delete everything the tool keeps about one conversation (its summary, topics, mark,
    note, tags, follow-up and corrections); the number of rows deleted. The sender id is
    compared exactly: " abc", "abc " and "ABC" are other conversations than "abc"."""
    return sum(connection.execute(table.delete().where(table.c.sender_id == sender_id)).rowcount or 0
               for table in PER_CONVERSATION)


def checkpoint(engine: sa.engine.Engine) -> None:
    """SQLite: copy the WAL into the database file and empty it, so no old copy of erased
    rows stays in the -wal file (the tool's connections overwrite deleted rows with zeros:
    `secure_delete`, review/db.py). Other databases: nothing to do."""
    if engine.dialect.name != "sqlite":
        return
    from review import search

    search.compact(engine)  # the search index keeps deleted words until its segments merge
    with engine.connect() as db:
        for _ in range(20):  # busy (a reader in the middle of a transaction): try again
            busy = db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            if not busy or not busy[0]:
                return
            time.sleep(0.05)


# --- the access log's hash chain and guard ------------------------------------------------------
def audit_content(values) -> str:
    """The content of one access-log row as it is hashed: its columns but the id, as JSON
    (the time always as a float: SQLite may hand back a whole number as an int)."""
    row = [values[name] for name in AUDIT_COLUMNS]
    row[0] = float(row[0])
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def chain(previous: Optional[str], content: str) -> str:
    """The hash of a row: SHA-256 of the previous row's hash followed by the row's content."""
    return hashlib.sha256(((previous or GENESIS) + content).encode("utf-8")).hexdigest()


_SQLITE_GUARD = (
    "CREATE TRIGGER IF NOT EXISTS review_audit_no_update BEFORE UPDATE ON review_audit "
    "BEGIN SELECT RAISE(ABORT, 'review_audit is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS review_audit_no_delete BEFORE DELETE ON review_audit "
    f"WHEN OLD.at >= COALESCE((SELECT value FROM review_state WHERE key = '{PURGE_KEY}'), 0) "
    "BEGIN SELECT RAISE(ABORT, 'review_audit is append-only: DELETE refused'); END",
)
_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION review_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < COALESCE(
            (SELECT value FROM review_state WHERE key = '{PURGE_KEY}'), 0) THEN
        RETURN OLD;  -- make retention, within its own transaction (review/audit.py)
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'review_audit is append-only: ' || TG_OP || ' refused';
END
$$"""
_POSTGRES_TRIGGERS = {
    "review_audit_no_change": "BEFORE UPDATE OR DELETE ON review_audit FOR EACH ROW "
                              "EXECUTE FUNCTION review_audit_append_only()",
    "review_audit_no_truncate": "BEFORE TRUNCATE ON review_audit FOR EACH STATEMENT "
                                "EXECUTE FUNCTION review_audit_append_only()",
}


def ensure_audit_guard(engine: sa.engine.Engine) -> None:
    """Make the access log tamper-evident, also in a database of an older version of the tool:

    - SQLite: a table without AUTOINCREMENT or without `hash` is rebuilt (same ids and
      rows, each row hashed into the chain now: the chain of an existing log starts at
      the migration); then triggers that RAISE(ABORT) on UPDATE and DELETE.
    - PostgreSQL: `hash` added and filled the same way; then a trigger function that
      refuses UPDATE, DELETE and TRUNCATE.
    Both let `make retention` delete rows older than the cutoff it sets (`PURGE_KEY`)."""
    if engine.dialect.name == "sqlite":
        _sqlite_guard(engine)
    elif engine.dialect.name == "postgresql":
        _postgres_guard(engine)


def _hash_rows(rows: Iterable[tuple]) -> List[Tuple[int, str]]:
    """(id, hash) for rows (id, *AUDIT_COLUMNS) in id order, as one chain from the start."""
    hashes, previous = [], None
    for row in rows:
        previous = chain(previous, audit_content(dict(zip(AUDIT_COLUMNS, row[1:]))))
        hashes.append((row[0], previous))
    return hashes


def _sqlite_guard(engine: sa.engine.Engine) -> None:
    with engine.connect() as db:  # already done: no write lock needed (every start of every command)
        found = dict(db.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE name IN "
                                        "('review_audit', 'review_audit_no_update', 'review_audit_no_delete')")).all())
    if len(found) == 3 and "AUTOINCREMENT" in found["review_audit"].upper() and \
            "hash" in {c["name"] for c in sa.inspect(engine).get_columns(AUDIT.name)}:
        return
    raw = engine.raw_connection()
    connection = raw.dbapi_connection
    level = connection.isolation_level
    connection.isolation_level = None  # our own BEGIN IMMEDIATE: the rebuild is one transaction
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            table_sql = cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                       (AUDIT.name,)).fetchone()[0]
            columns = [row[1] for row in cursor.execute(f"PRAGMA table_info({AUDIT.name})")]
            if "AUTOINCREMENT" not in table_sql.upper() or "hash" not in columns:
                _sqlite_rebuild(engine, cursor)
            for statement in _SQLITE_GUARD:
                cursor.execute(statement)
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        connection.isolation_level = level
        raw.close()


def _sqlite_rebuild(engine: sa.engine.Engine, cursor) -> None:
    from sqlalchemy.schema import CreateIndex, CreateTable

    names = ", ".join(("id",) + AUDIT_COLUMNS)
    rows = cursor.execute(f"SELECT {names} FROM {AUDIT.name} ORDER BY id").fetchall()
    for index in AUDIT.indexes:
        cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
    cursor.execute(f"ALTER TABLE {AUDIT.name} RENAME TO review_audit_old")
    cursor.execute(str(CreateTable(AUDIT).compile(dialect=engine.dialect)))
    for index in AUDIT.indexes:
        cursor.execute(str(CreateIndex(index).compile(dialect=engine.dialect)))
    hashes = _hash_rows(rows)
    cursor.executemany(f"INSERT INTO {AUDIT.name} ({names}, hash) VALUES ({', '.join('?' * 8)})",
                       [(*row, digest) for row, (_, digest) in zip(rows, hashes)])
    cursor.execute("DROP TABLE review_audit_old")
    start = _chain_start(hashes[-1][1] if hashes else None, len(rows))
    cursor.execute(f"INSERT INTO {AUDIT.name} ({', '.join(start)}) VALUES ({', '.join('?' * len(start))})",
                   list(start.values()))


def _chain_start(previous: Optional[str], earlier: int) -> dict:
    """The entry that says when the chain began in a log of an older version (its rows were
    hashed then: changes made before that moment cannot be seen)."""
    values = {"at": time.time(), "account": "tool (migratie)", "address": None, "action": "audit_chain_start",
              "target": None, "details": json.dumps({"earlier_entries": earlier})}
    return {**values, "hash": chain(previous, audit_content(values))}


def _postgres_guard(engine: sa.engine.Engine) -> None:
    with engine.begin() as db:
        present = set(db.execute(sa.text("SELECT tgname FROM pg_trigger WHERE tgrelid = "
                                          "to_regclass(:table)"), {"table": AUDIT.name}).scalars())
        if set(_POSTGRES_TRIGGERS) <= present:
            return
        db.exec_driver_sql(f"LOCK TABLE {AUDIT.name} IN EXCLUSIVE MODE")
        db.exec_driver_sql(f"ALTER TABLE {AUDIT.name} ADD COLUMN IF NOT EXISTS hash VARCHAR(64)")
        names = ", ".join(("id",) + AUDIT_COLUMNS)
        rows = db.exec_driver_sql(f"SELECT {names}, hash FROM {AUDIT.name} ORDER BY id").fetchall()
        if any(row[-1] is None for row in rows):  # rows of an older version: chained from here on
            hashes = _hash_rows(row[:-1] for row in rows)
            for row_id, digest in hashes:
                db.execute(AUDIT.update().where(AUDIT.c.id == row_id).values(hash=digest))
            db.execute(AUDIT.insert().values(**_chain_start(hashes[-1][1], len(rows))))
        db.exec_driver_sql(_POSTGRES_FUNCTION)
        for name, definition in _POSTGRES_TRIGGERS.items():
            if name not in present:
                db.exec_driver_sql(f"CREATE TRIGGER {name} {definition}")
