"""Real conversations as Rasa test stories, for a developer to review (`make export-stories`).

    python -m review.stories [--sender ID ...] [--output var/exports/testverhalen-<time>.yml]

Without --sender: every conversation tagged "Goed voorbeeld". Each session of a
conversation becomes one story with the redacted text the parent typed (or the button
payload), the intent the bot acted on, the slots that were set and the actions the bot
actually ran, in order. Age mentions are annotated as the bot's AgeExtractor finds them
in that (redacted) text, because `rasa test core` runs the NLU on it again; that is
also why this module imports the component and is a command, not a web page.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, List, Optional

import sqlalchemy as sa
import yaml

from review import audit
from review.events import load, parent_message
from review.schema import TAGS
from tracker_store.database import EVENTS

SKIPPED_ACTIONS = {"action_listen", "action_session_start", "action_unlikely_intent"}
_PLACEHOLDER_THEN = re.compile(r"(\[[a-z-]+\])(?=[({\[])")


class _Literal(str):
    """A string written as a YAML block (`|`), as Rasa's own story files are."""


def _literal(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)


def annotate(text: str, find_age: Callable[[str], Optional[dict]]) -> str:
    """`text` with the age entity marked as in tests/test_stories.yml, and placeholders
    such as [naam] kept from being read as annotations."""
    text = _PLACEHOLDER_THEN.sub(r"\1 ", text)
    age = find_age(text)
    if not age:
        return text
    start, end = age["start"], age["end"]
    return (f'{text[:start]}[{text[start:end]}]{{"entity": "age_band", "value": "{age["value"]}"}}'
            f"{text[end:]}")


def sessions(rows: List[tuple], find_age: Callable[[str], Optional[dict]]) -> List[List[dict]]:
    """The story steps of each session of one conversation's (type_name, data) rows."""
    stories: List[List[dict]] = []
    steps: List[dict] = []
    for type_name, data in rows:
        event = load(data)
        if type_name == "session_started" or (type_name == "action" and event.get("name") == "action_session_start"):
            if steps:
                stories.append(steps)
            steps = []
        elif type_name == "user":
            message = parent_message(event)
            if not message.intent:
                continue
            text = message.text if message.kind != "typed" else annotate(message.text, find_age)
            steps.append({"user": _Literal(" ".join(text.split()) if message.kind != "typed" else text.strip()),
                          "intent": message.intent})
        elif type_name == "slot":
            steps.append({"slot_was_set": [{event.get("name"): event.get("value")}]})
        elif type_name == "action" and event.get("name") not in SKIPPED_ACTIONS:
            steps.append({"action": event.get("name")})
    if steps:
        stories.append(steps)
    return [story for story in stories if any("user" in step for step in story)]


def chosen(engine: sa.engine.Engine) -> List[str]:
    with engine.connect() as db:
        return list(db.execute(sa.select(TAGS.c.sender_id).where(TAGS.c.tag == "voorbeeld")
                               .order_by(TAGS.c.at)).scalars())


def story_yaml(engine: sa.engine.Engine, senders: List[str], find_age: Callable[[str], Optional[dict]]) -> str:
    stories: List[Dict] = []
    for number, sender in enumerate(senders, 1):
        query = (sa.select(EVENTS.c.type_name, EVENTS.c.data).where(EVENTS.c.sender_id == sender)
                 .order_by(EVENTS.c.id))
        with engine.connect() as db:
            rows = db.execute(query).all()
        for part, steps in enumerate(sessions(rows, find_age), 1):
            stories.append({"story": f"voorbeeld {number}.{part} uit een echt gesprek", "steps": steps})
    header = (f"# Testverhalen uit echte gesprekken (review-tool), geëxporteerd {datetime.now():%Y-%m-%d %H:%M}.\n"
              "# Met de tekst zoals opgeslagen (persoonsgegevens vervangen) en de acties die de bot echt deed.\n"
              "# Nakijken voor je ze in tests/test_stories.yml zet.\n")
    body = yaml.safe_dump({"version": "3.1", "stories": stories}, allow_unicode=True, sort_keys=False, width=1000)
    return header + body


def main(argv=None) -> int:
    from components.age_extractor import find_age_band
    from review.db import review_engine
    from review.users import shell_account
    from tracker_store.database import add_database_arguments

    parser = argparse.ArgumentParser(description="Export real conversations as Rasa test stories.")
    parser.add_argument("--sender", action="append", default=[], help="this conversation (repeat for more); "
                                                                      "default: those tagged 'Goed voorbeeld'")
    parser.add_argument("--output", help="file to write (default var/exports/testverhalen-<time>.yml)")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    engine = review_engine(args.endpoints, args.db_url)
    senders = args.sender or chosen(engine)
    output = Path(args.output or f"var/exports/testverhalen-{datetime.now():%Y%m%d-%H%M%S}.yml")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(story_yaml(engine, senders, find_age_band), encoding="utf-8")
    for sender in senders:
        audit.log(engine, shell_account(), "story_export", sender, output=str(output))
    print(f"{len(senders)} conversation(s) written to {output} as test stories. Review them, then add them to "
          "tests/test_stories.yml.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
