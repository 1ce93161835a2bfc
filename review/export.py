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
from datetime import date, datetime
from typing import IO, Dict, Iterator, List, Optional

import sqlalchemy as sa

from review import audit, index
from review.conversations import FLAGS, TAG_NAMES, Filters, Row, by_senders, count, low_confidence_threshold, senders
from review.schema import FOLLOWUPS, NOTES
from review.topics import topic_name
from review.transcript import Message, build, corrections
from review.workflow import STATUS_NAMES
from tracker_store.database import EVENTS

BATCH = 200
SPEAKERS = {"user": "ouder", "bot": "bot", "marker": "info", "session": "info"}
SPEAKERS_NL = {"bot": "chat"}  # in the CSV's transcript cell
# Dutch Excel: ';' between fields (a comma is its decimal sign), a BOM so it reads UTF-8, a
# whole transcript in one quoted cell, and dates as "2026-12-07 17:38" (Excel reads them as dates).
CSV_FIELDS = ["Gesprek", "Begonnen", "Laatste bericht", "Berichten van de ouder", "Onderwerpen", *FLAGS.values(),
              "Lage zekerheid", "Status", "Opgevolgd door", "Opgevolgd op", "Toegewezen aan", "Labels",
              "Nagekeken door", "Notitie", "Gesprek (tekst)"]
DELIMITER = ";"
EXCEL_TIME = "%Y-%m-%d %H:%M"


def _message(message: Message) -> dict:
    return {"time": message.time.isoformat(timespec="seconds"), "from": SPEAKERS[message.kind],
            "text": message.button or message.text, "button": message.button is not None,
            "intent": message.intent, "topic": topic_name(message.intent) if message.kind == "user" else None,
            "confidence": message.confidence, "truncated_from": message.truncated_from}


def record(row: Row, messages: List[Message], work: Optional[dict] = None) -> dict:
    work = work or {}
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
        "status": STATUS_NAMES[row.status],
        "assigned_to": row.assigned_to,
        "followed_up_by": work.get("followed_up_by"),
        "followed_up_at": work.get("followed_up_at"),
        "note": work.get("note"),
        "messages": [_message(m) for m in messages],
    }


def staff_work(db, senders: List[str]) -> Dict[str, dict]:
    """sender -> its note and follow-up, for one batch of the export."""
    found: Dict[str, dict] = {}
    for sender, text in db.execute(sa.select(NOTES.c.sender_id, NOTES.c.text).where(NOTES.c.sender_id.in_(senders))):
        found.setdefault(sender, {})["note"] = text
    query = sa.select(FOLLOWUPS.c.sender_id, FOLLOWUPS.c.account, FOLLOWUPS.c.at).where(
        FOLLOWUPS.c.sender_id.in_(senders))
    for sender, account, at in db.execute(query):
        found.setdefault(sender, {}).update(followed_up_by=account,
                                            followed_up_at=datetime.fromtimestamp(at).isoformat(timespec="seconds"))
    return found


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
            recorded = staff_work(db, batch)
            events: Dict[str, list] = {}
            for sender, event_id, type_name, data in db.execute(query):
                events.setdefault(sender, []).append((event_id, type_name, data))
        for row in rows:
            yield record(row, build(events.get(row.sender_id, []), corrected, threshold), recorded.get(row.sender_id))


def cell(value) -> str:
    """Text for a spreadsheet cell; never read as a formula."""
    text = ", ".join(value) if isinstance(value, list) else ("ja" if value is True else "nee" if value is False
                                                              else "" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def excel_time(iso: Optional[str]) -> str:
    """2026-12-07T17:38:27 -> 2026-12-07 17:38, which Dutch Excel reads as a date and time."""
    return datetime.fromisoformat(iso).strftime(EXCEL_TIME) if iso else ""


def csv_row(item: dict) -> list:
    transcript = "\n".join(f"{excel_time(m['time'])[11:]} {SPEAKERS_NL.get(m['from'], m['from'])}"
                           f"{' (knop)' if m['button'] else ''}: {m['text']}" for m in item["messages"])
    return [cell(v) for v in (item["sender_id"], excel_time(item["started"]), excel_time(item["ended"]),
                               item["user_messages"], item["topics"], *(item[flag] for flag in FLAGS),
                               item["low_confidence"], item["status"], item["followed_up_by"],
                               excel_time(item["followed_up_at"]), item["assigned_to"], item["tags"],
                               item["reviewed_by"], item["note"], transcript)]


def file_name(filters: Filters, fmt: str, today: Optional[date] = None) -> str:
    """ocrn-gesprekken-2026-12-01-tot-en-met-2026-12-07.csv: the period in the name, so two
    exports are not mixed up; without a start date "begin", without an end date today."""
    first = filters.since.isoformat() if filters.since else "begin"
    last = (filters.until or today or date.today()).isoformat()
    return f"ocrn-gesprekken-{first}-tot-en-met-{last}.{fmt}"


def stream(engine: sa.engine.Engine, filters: Filters, fmt: str, threshold: float = 0.6) -> Iterator[str]:
    """The export as pieces of text (CSV starts with a BOM: Excel then reads UTF-8)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
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
