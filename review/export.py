"""Export conversations (already redacted in the store) as CSV or JSON.

    python -m review.export --format csv|json [--since 2025-01-01] [--until 2025-01-31]
                            [--flag emergency --flag fallback ...] [--output file]
"""
import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import IO, List

from review.conversations import FLAGS, Conversation, Filters, Message, load_conversations, load_transcript
from tracker_store.database import open_engine

FIELDS = ["sender_id", "started", "ended", "user_messages", "topics", *FLAGS, "transcript"]
SPEAKERS = {"user": "ouder", "bot": "bot", "marker": "info", "session": "info"}


def _message(message: Message) -> dict:
    return {"time": message.time.isoformat(timespec="seconds"), "from": SPEAKERS[message.kind],
            "text": message.text, "intent": message.intent, "confidence": message.confidence}


def records(engine, conversations: List[Conversation]) -> List[dict]:
    """One dict per conversation, with its messages."""
    return [{
        "sender_id": c.sender_id,
        "started": c.started.isoformat(timespec="seconds"),
        "ended": c.ended.isoformat(timespec="seconds"),
        "user_messages": c.user_messages,
        "topics": c.topics,
        **{flag: getattr(c, flag) for flag in FLAGS},
        "messages": [_message(m) for m in load_transcript(engine, c.sender_id)],
    } for c in conversations]


def _cell(value) -> str:
    """Text for a spreadsheet cell; never read as a formula."""
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(rows: List[dict], out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for row in rows:
        transcript = "\n".join(f"{m['from']}: {m['text']}" for m in row["messages"])
        writer.writerow([_cell(row[f]) for f in FIELDS[:-1]] + [_cell(transcript)])


def write_json(rows: List[dict], out: IO[str]) -> None:
    json.dump(rows, out, ensure_ascii=False, indent=1)
    out.write("\n")


def export_text(engine, filters: Filters, fmt: str) -> str:
    out = io.StringIO()
    (write_csv if fmt == "csv" else write_json)(records(engine, load_conversations(engine, filters)), out)
    return out.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Export conversations of the tracker store (redacted).")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--since", help="first day, YYYY-MM-DD (conversation start)")
    parser.add_argument("--until", help="last day, YYYY-MM-DD")
    parser.add_argument("--flag", action="append", choices=list(FLAGS), default=[],
                        help="only conversations with this flag; repeat for several")
    parser.add_argument("--output", help="file to write (default: standard output)")
    parser.add_argument("--endpoints", help="Rasa endpoints file (default: RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store, instead of --endpoints")
    args = parser.parse_args(argv)
    filters = Filters.from_query({"since": [args.since or ""], "until": [args.until or ""],
                                  **{flag: ["1"] for flag in args.flag}})
    for given, parsed in ((args.since, filters.since), (args.until, filters.until)):
        if given and parsed is None:
            parser.error(f"not a date (YYYY-MM-DD): {given}")
    text = export_text(open_engine(args.endpoints, args.db_url), filters, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
