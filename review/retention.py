"""Delete conversations whose last event is older than N days (AVG/GDPR: keep no longer than needed).

    python -m review.retention [--days 90] [--dry-run]
"""
import argparse
import os
import sys
import time
from typing import Optional, Tuple

import sqlalchemy as sa

from tracker_store.database import EVENTS, has_events, open_engine

DEFAULT_DAYS = 90
BATCH = 500


def delete_old_conversations(engine: sa.engine.Engine, days: float, now: Optional[float] = None,
                             dry_run: bool = False) -> Tuple[int, int]:
    """Delete every event of each sender whose newest event is older than `days`; (conversations, events)."""
    if not has_events(engine):
        return 0, 0
    cutoff = (now or time.time()) - days * 86400
    old = sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    with engine.begin() as db:
        senders = [sender for (sender,) in db.execute(old)]
        events = 0
        for start in range(0, len(senders), BATCH):
            batch = EVENTS.c.sender_id.in_(senders[start:start + BATCH])
            if dry_run:
                events += db.execute(sa.select(sa.func.count()).where(batch)).scalar()
            else:
                events += db.execute(EVENTS.delete().where(batch)).rowcount
    if senders and not dry_run and engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(sa.text("VACUUM"))  # so the deleted text is gone from the file too
    return len(senders), events


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Delete conversations older than N days from the tracker store.")
    parser.add_argument("--days", type=float, default=float(os.environ.get("RETENTION_DAYS", DEFAULT_DAYS)),
                        help=f"keep conversations active in the last N days "
                             f"(default {DEFAULT_DAYS}, or RETENTION_DAYS)")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    parser.add_argument("--endpoints", help="Rasa endpoints file (default: RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store, instead of --endpoints")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")
    conversations, events = delete_old_conversations(open_engine(args.endpoints, args.db_url), args.days,
                                                     dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb} {conversations} conversation(s) ({events} events) with no activity in the last {args.days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
