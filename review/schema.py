"""The staff tool's own tables, next to Rasa's `events` table in the same database.

Created by the tool (`ensure_schema`, idempotent) on SQLite and PostgreSQL alike; Rasa's
`events` table is never altered (only rows of one conversation are erased). Every table
is named `review_*`, so a backup or a schema listing shows at once what is whose.

- `review_accounts`, `review_logins`, `review_login_attempts`: staff accounts (scrypt),
  server-side login sessions (logout and account removal end them at once) and the
  login attempts the lockout counts.
- `review_conversations`, `review_topics`, `review_state`: one summary row per
  conversation, kept up to date from the new events (review/index.py), so the list,
  its filters, counting, paging and the overview are SQL over 100 000 rows instead of
  2 million events (docs/benchmarks.md).
- `review_reviewed`, `review_notes`, `review_tags`, `review_followups`,
  `review_corrections`: what staff do with a conversation.
- `review_audit`: the append-only access log (review/audit.py).
"""
from __future__ import annotations

import os

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

AUDIT = sa.Table(
    "review_audit", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64)),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("target", sa.String(255)),
    sa.Column("details", sa.Text),  # JSON
    sa.Index("ix_review_audit_at", "at"),
    sa.Index("ix_review_audit_account", "account", "at"),
)

# What staff did with one conversation: erased with it.
PER_CONVERSATION = (CONVERSATIONS, TOPICS, REVIEWED, NOTES, TAGS, FOLLOWUPS, CORRECTIONS)


def ensure_schema(engine: sa.engine.Engine) -> None:
    """Create the missing review tables and indexes; a new SQLite file gets mode 600."""
    database = engine.url.database
    new_file = engine.dialect.name == "sqlite" and database and not os.path.exists(database)
    if new_file:
        os.makedirs(os.path.dirname(os.path.abspath(database)), mode=0o700, exist_ok=True)
    METADATA.create_all(engine, checkfirst=True)
    for table in METADATA.sorted_tables:  # indexes added in a later version of the tool
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    if new_file and os.path.exists(database):
        os.chmod(database, 0o600)  # it will hold conversations, as var/tracker.db does


def forget_conversation(connection: sa.engine.Connection, sender_id: str) -> None:
    """Delete everything the tool keeps about one conversation (with its events erased)."""
    for table in PER_CONVERSATION:
        connection.execute(table.delete().where(table.c.sender_id == sender_id))
