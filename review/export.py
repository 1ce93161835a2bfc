"""Export conversations (already redacted in the store) as CSV or JSON, streamed.

    python -m review.export --format csv|json [--since 2025-01-01] [--until 2025-01-31]
                            [--flag emergency --flag fallback ...] [--tag test] [--output file]

Streamed in batches of `BATCH` conversations (keyset paging on the summary rows, one
events query per batch), so exporting 100 000 conversations takes as much memory as
exporting 200 (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import IO, Dict, Iterator, List

import sqlalchemy as sa

from review import audit, index
from review.conversations import FLAGS, TAG_NAMES, Filters, Row, by_senders, count, low_confidence_threshold, senders
from review.topics import topic_name
from review.transcript import Message, build, corrections
from tracker_store.database import EVENTS

BATCH = 200
SPEAKERS = {"user": "ouder", "bot": "bot", "marker": "info", "session": "info"}
CSV_FIELDS = ["gesprek", "begonnen", "laatste_bericht", "berichten_ouder", "onderwerpen", *FLAGS.values(),
              "lage_zekerheid", "labels", "nagekeken_door", "verloop"]


def _message(message: Message) -> dict:
    return {"time": message.time.isoformat(timespec="seconds"), "from": SPEAKERS[message.kind],
            "text": message.button or message.text, "button": message.button is not None,
            "intent": message.intent, "topic": topic_name(message.intent) if message.kind == "user" else None,
            "confidence": message.confidence, "truncated_from": message.truncated_from}


def record(row: Row, messages: List[Message]) -> dict:
    return {
        "sender_id": row.sender_id,
        "started": row.started.isoformat(timespec="seconds"),
        "ended": row.ended.isoformat(timespec="seconds"),
        "user_messages": row.user_messages,
        "topics": [topic_name(t) for t in row.topics],
        "intents": row.topics,
        **{flag: flag in row.flags for flag in FLAGS},
        "low_confidence": row.low_confidence,
        "tags": [TAG_NAMES[t] for t in row.tags],
        "reviewed_by": row.reviewed_by,
        "messages": [_message(m) for m in messages],
    }


def records(engine: sa.engine.Engine, filters: Filters, threshold: float = 0.6) -> Iterator[dict]:
    """One dict per matching conversation, newest first, read `BATCH` at a time."""
    after = None
    while True:
        keys = senders(engine, filters, threshold, after, BATCH)
        if not keys:
            return
        after = keys[-1]
        batch = [sender for _, sender in keys]
        query = (sa.select(EVENTS.c.sender_id, EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.data)
                 .where(EVENTS.c.sender_id.in_(batch)).order_by(EVENTS.c.sender_id, EVENTS.c.id))
        with engine.connect() as db:
            rows = by_senders(db, batch, threshold)
            corrected = corrections(db, batch)
            events: Dict[str, list] = {}
            for sender, event_id, type_name, data in db.execute(query):
                events.setdefault(sender, []).append((event_id, type_name, data))
        for row in rows:
            yield record(row, build(events.get(row.sender_id, []), corrected, threshold))


def cell(value) -> str:
    """Text for a spreadsheet cell; never read as a formula."""
    text = ", ".join(value) if isinstance(value, list) else ("ja" if value is True else "nee" if value is False
                                                              else "" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_row(item: dict) -> list:
    transcript = "\n".join(f"{m['from']}{' (knop)' if m['button'] else ''}: {m['text']}" for m in item["messages"])
    return [cell(v) for v in (item["sender_id"], item["started"], item["ended"], item["user_messages"],
                               item["topics"], *(item[flag] for flag in FLAGS), item["low_confidence"],
                               item["tags"], item["reviewed_by"], transcript)]


def stream(engine: sa.engine.Engine, filters: Filters, fmt: str, threshold: float = 0.6) -> Iterator[str]:
    """The export as pieces of text (CSV starts with a BOM: Excel then reads UTF-8)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_FIELDS)
        yield "\ufeff" + buffer.getvalue()
        for item in records(engine, filters, threshold):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(csv_row(item))
            yield buffer.getvalue()
        return
    yield "["
    first = True
    for item in records(engine, filters, threshold):
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


def main(argv=None) -> int:
    from review.db import review_engine
    from review.users import shell_account
    from tracker_store.database import add_database_arguments

    parser = argparse.ArgumentParser(description="Export conversations of the tracker store (redacted).")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--since", help="first day, YYYY-MM-DD (conversation start)")
    parser.add_argument("--until", help="last day, YYYY-MM-DD")
    parser.add_argument("--flag", action="append", choices=list(FLAGS), default=[],
                        help="only conversations with this flag; repeat for several")
    parser.add_argument("--tag", choices=list(TAG_NAMES), help="only conversations with this tag")
    parser.add_argument("--output", help="file to write (default: standard output)")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    filters = Filters.from_query({"since": args.since or "", "until": args.until or "", "tag": args.tag or "",
                                  **{flag: "1" for flag in args.flag}})
    if filters.errors:
        parser.error(" ".join(filters.errors))
    engine = review_engine(args.endpoints, args.db_url)
    index.sync(engine)
    threshold = low_confidence_threshold()
    audit.log(engine, shell_account(), "export", format=args.format, filters=filters.describe(),
              rows=count(engine, filters, threshold))
    out: IO[str] = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        for piece in stream(engine, filters, args.format, threshold):
            out.write(piece)
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
