"""Search over the parent's messages of every conversation (the stored, redacted text).

Why: a parent asking to have her conversation erased gives no id, only what she wrote
("ik vroeg naar bijten op de opvang"); staff must find that conversation by its words.

The texts are in `review_messages` (review/index.py keeps it next to the summaries). On
SQLite an FTS5 index over it (external content, kept in step by triggers on our own table,
never on Rasa's `events`); on PostgreSQL a GIN index on `to_tsvector('simple', text)`.
Both match the same way: every word typed must begin a word of one and the same message
("bijt" finds "bijten"), case never counts; SQLite also ignores accents, PostgreSQL does
not (it would need the `unaccent` extension, which a managed database may not allow).
The `simple` configuration, not `dutch`: stemming made "bijt" and "bijten" match but not
"bij", and a search that differs between the two databases is harder to explain to staff.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa

from review.schema import MESSAGES

MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
FTS_TABLE = "review_search"
_SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(text, content='review_messages', "
    "content_rowid='event_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS review_messages_search_insert AFTER INSERT ON review_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.event_id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS review_messages_search_delete AFTER DELETE ON review_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.event_id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS review_messages_search_update AFTER UPDATE ON review_messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.event_id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.event_id, new.text); END",
)
_POSTGRES_INDEX = ("CREATE INDEX IF NOT EXISTS ix_review_messages_search ON review_messages "
                   "USING gin (to_tsvector('simple', text))")


def ensure(engine: sa.engine.Engine) -> None:
    """Create the full-text index (idempotent); an SQLite index made now is filled from the
    messages already there."""
    if engine.dialect.name == "sqlite":
        with engine.begin() as db:
            exists = db.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first()
            for statement in _SQLITE:
                db.exec_driver_sql(statement)
            if not exists:
                db.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    elif engine.dialect.name == "postgresql":
        with engine.begin() as db:
            db.exec_driver_sql(_POSTGRES_INDEX)


def compact(engine: sa.engine.Engine) -> None:
    """SQLite: merge the FTS5 index into one segment, so the words of an erased conversation
    are gone from it (FTS5 only marks them deleted until its segments merge; SQLite 3.40
    has no `secure-delete` option yet). The freed pages are zeroed (`secure_delete`)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as db:
        if db.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).first():
            db.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def terms(text: str) -> List[str]:
    """The words to look for: letters and digits only (so no query syntax gets through), lower case."""
    return [word.lower() for word in _WORD.findall(text or "")][:MAX_TERMS]


def _matches(dialect: str, words: List[str]):
    """SQL condition on review_messages: the message holds every word (as a word's start)."""
    if dialect == "sqlite":
        query = " ".join(f'"{word}"*' for word in words)
        found = sa.select(sa.literal_column("rowid")).select_from(sa.table(FTS_TABLE)).where(
            sa.literal_column(FTS_TABLE).op("MATCH")(sa.literal(query)))
        return MESSAGES.c.event_id.in_(found)
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return sa.text("to_tsvector('simple', review_messages.text) @@ to_tsquery('simple', :search_query)") \
            .bindparams(search_query=query)
    # Any other database: a plain substring test per word (slow, but right).
    return sa.and_(*(sa.func.lower(MESSAGES.c.text).contains(word) for word in words))


def condition(dialect: str, words: List[str], sender_column):
    """SQL: the conversation of `sender_column` has a message with every word."""
    matching = sa.select(MESSAGES.c.sender_id).where(_matches(dialect, words))
    return sender_column.in_(matching)


def hits(engine: sa.engine.Engine, senders: List[str], words: List[str]) -> Dict[str, Tuple[int, str]]:
    """sender -> (event id, text) of its first message with every word (the one the list shows)."""
    if not senders or not words:
        return {}
    query = (sa.select(MESSAGES.c.sender_id, MESSAGES.c.event_id, MESSAGES.c.text)
             .where(MESSAGES.c.sender_id.in_(senders), _matches(engine.dialect.name, words))
             .order_by(MESSAGES.c.sender_id, MESSAGES.c.event_id))
    found: Dict[str, Tuple[int, str]] = {}
    with engine.connect() as db:
        for sender, event_id, text in db.execute(query):
            found.setdefault(sender, (event_id, text))
    return found


def excerpt(text: str, words: List[str], width: int = 160) -> Tuple[str, str, str]:
    """(before, word, after): `width` characters of `text` around the first word found, so the
    list can show the match in bold without any HTML from the text."""
    lower = text.lower()
    at: Optional[int] = None
    for word in words:
        position = lower.find(word)
        if position >= 0 and (at is None or position < at):
            at, length = position, len(word)
    if at is None:
        return (text[:width] + ("…" if len(text) > width else ""), "", "")
    end = at + length
    while end < len(text) and text[end].isalnum():
        end += 1  # the whole word, not only the part typed
    start = max(0, at - width // 3)
    stop = min(len(text), end + width - (end - start))
    return (("…" if start else "") + text[start:at], text[at:end], text[end:stop] + ("…" if stop < len(text) else ""))
