"""Erase one conversation on a parent's request, from the command line.

    python -m review.erase <sender id> [--yes]

The same erasure as the button on the conversation's page (review/work.py): every event
and everything staff recorded about it, logged in the access log as done from the shell.
Without --yes it shows what it will erase and asks to type "ja".
"""
from __future__ import annotations

import argparse
import sys

from review.db import review_engine
from review.transcript import load_transcript
from review.users import shell_account
from review.work import Actor, erase, known
from tracker_store.database import add_database_arguments


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Erase one conversation (a parent's right to erasure).")
    parser.add_argument("sender_id", help="the conversation's sender id (on its page in the review tool)")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    engine = review_engine(args.endpoints, args.db_url)
    messages = load_transcript(engine, args.sender_id)  # the id exactly as given: " abc" is not "abc"
    if messages:
        parent = sum(1 for m in messages if m.kind == "user")
        print(f"Gesprek {args.sender_id!r}: begonnen {messages[0].time:%d-%m-%Y %H:%M}, "
              f"{parent} bericht(en) van de ouder.")
    elif known(engine, args.sender_id):
        print(f"Gesprek {args.sender_id!r}: de berichten zijn al gewist (in de chat); "
              "de tool heeft er nog gegevens over (notitie, labels, verbeteringen...).")
    else:
        print(f"Geen gesprek gevonden met id {args.sender_id!r}.", file=sys.stderr)
        return 1
    if not args.yes:
        answer = input("Dit wist het hele gesprek voorgoed. Typ ja om door te gaan: ") if sys.stdin.isatty() \
            else sys.stdin.readline()
        if answer.strip().lower() != "ja":
            print("Niets gewist.")
            return 1
    events = erase(engine, args.sender_id, Actor(shell_account()))
    print(f"Gewist: {events} gebeurtenissen van gesprek {args.sender_id!r}, en alles wat de tool erover had.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
