"""Delete conversations whose last event is older than N days (AVG/GDPR: keep no longer
than needed), with everything staff recorded about them; and the access log's own,
longer retention.

    python -m review.retention [--days 90] [--audit-days 1827] [--dry-run]
"""
import argparse
import os
import sys
import time
from typing import Optional, Tuple

import sqlalchemy as sa

from review import audit
from review.schema import PER_CONVERSATION
from tracker_store.database import EVENTS, add_database_arguments, has_events

DEFAULT_DAYS = 90
BATCH = 500


def delete_old_conversations(engine: sa.engine.Engine, days: float, now: Optional[float] = None,
                             dry_run: bool = False) -> Tuple[int, int]:
    """Delete every event of each sender whose newest event is older than `days`, and the
    staff tool's rows about them; (conversations, events)."""
    if not has_events(engine):
        return 0, 0
    cutoff = (now or time.time()) - days * 86400
    old = sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    with engine.begin() as db:
        senders = [sender for (sender,) in db.execute(old)]
        events = 0
        for start in range(0, len(senders), BATCH):
            batch = senders[start:start + BATCH]
            if dry_run:
                events += db.execute(sa.select(sa.func.count()).where(EVENTS.c.sender_id.in_(batch))).scalar()
                continue
            events += db.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(batch))).rowcount
            for table in PER_CONVERSATION:
                db.execute(table.delete().where(table.c.sender_id.in_(batch)))
    if senders and not dry_run and engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
            db.execute(sa.text("VACUUM"))  # so the deleted text is gone from the file too
    return len(senders), events


def main(argv=None) -> int:
    from review.db import review_engine
    from review.users import shell_account

    parser = argparse.ArgumentParser(description="Delete conversations older than N days from the tracker store.")
    parser.add_argument("--days", type=float, default=float(os.environ.get("RETENTION_DAYS", DEFAULT_DAYS)),
                        help=f"keep conversations active in the last N days "
                             f"(default {DEFAULT_DAYS}, or RETENTION_DAYS)")
    parser.add_argument("--audit-days", type=float, default=audit.retention_days(),
                        help=f"keep the access log this many days (default {audit.DEFAULT_DAYS}, "
                             f"or REVIEW_AUDIT_RETENTION_DAYS)")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    if args.days < 0 or args.audit_days < 0:
        parser.error("--days and --audit-days must be 0 or more")
    if args.audit_days < args.days:
        parser.error("--audit-days must be at least --days: the log must outlive what it is about")
    engine = review_engine(args.endpoints, args.db_url)
    conversations, events = delete_old_conversations(engine, args.days, dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb} {conversations} conversation(s) ({events} events) with no activity in the last {args.days:g} days.")
    if not args.dry_run:
        entries = audit.delete_older(engine, args.audit_days, account=shell_account())
        audit.log(engine, shell_account(), "retention", conversations=conversations, events=events,
                  audit_entries=entries, days=args.days, audit_days=args.audit_days)
        print(f"Deleted {entries} access-log entr{'y' if entries == 1 else 'ies'} older than {args.audit_days:g} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
