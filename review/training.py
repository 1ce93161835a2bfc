"""Staff corrections as Rasa NLU training data, for a developer to review (`make export-training`).

    python -m review.training [--output var/exports/nlu-verbeteringen-<time>.yml] [--all]

Writes every correction not exported before (`--all`: every correction) as a Rasa NLU
YAML file (intents with examples). Nothing goes into data/nlu.yml by itself: a
developer reads the file, replaces placeholders such as [naam] by a made-up example
where it matters, merges it into data/nlu.yml and retrains. The same message corrected
twice is one correction (the last one), so it is exported once; texts already in
data/nlu.yml under the same intent are left out, and ones listed there under another
intent are marked with a comment.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import sqlalchemy as sa
import yaml

from review import audit
from review.schema import CORRECTIONS

NLU_FILE = Path("data/nlu.yml")
# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" as entity annotations: a
# placeholder such as "[naam]" must not be directly followed by one of ( { [.
_PLACEHOLDER_THEN = re.compile(r"(\[[a-z-]+\])(?=[({\[])")


def example_text(text: str) -> str:
    """One line, safe as a Rasa training example."""
    return _PLACEHOLDER_THEN.sub(r"\1 ", " ".join(text.split()))


def known_examples(path: Path = NLU_FILE) -> Dict[str, str]:
    """lower-cased example text -> intent, from data/nlu.yml."""
    if not path.is_file():
        return {}
    known = {}
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- ") and "intent" in block:
                known[line[2:].strip().lower()] = block["intent"]
    return known


def pending(engine: sa.engine.Engine, everything: bool = False) -> List[Tuple[int, str, str]]:
    """(event id, example text, intent) of the corrections to export, oldest first."""
    query = sa.select(CORRECTIONS.c.event_id, CORRECTIONS.c.text, CORRECTIONS.c.intent).order_by(CORRECTIONS.c.at)
    if not everything:
        query = query.where(CORRECTIONS.c.exported_at.is_(None))
    with engine.connect() as db:
        return [(event_id, example_text(text), intent) for event_id, text, intent in db.execute(query)
                if example_text(text)]


def render(rows: List[Tuple[int, str, str]], known: Dict[str, str], now: Optional[datetime] = None) -> str:
    """The NLU YAML of `rows` (duplicates and examples already in data/nlu.yml left out)."""
    by_intent: Dict[str, List[str]] = defaultdict(list)
    conflicts: Dict[str, List[str]] = defaultdict(list)
    seen = set()
    for _, text, intent in rows:
        key = text.lower()
        if key in seen or known.get(key) == intent:
            continue
        seen.add(key)
        by_intent[intent].append(text)
        if key in known:
            conflicts[intent].append(f"{text!r} staat in data/nlu.yml bij {known[key]}")
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    lines = ['version: "3.1"',
             f"# Verbeteringen van medewerkers (review-tool), geëxporteerd {stamp}.",
             "# Nakijken voor je dit in data/nlu.yml zet: vervang [naam], [telefoon] enz. waar nodig door een",
             "# verzonnen voorbeeld, en haal voorbeelden weg die niet kloppen. Daarna: make train.",
             "nlu:"]
    for intent in sorted(by_intent):
        lines.append(f"- intent: {intent}")
        for conflict in conflicts.get(intent, []):
            lines.append(f"  # LET OP: {conflict}")
        lines.append("  examples: |")
        lines += [f"    - {text}" for text in by_intent[intent]]
    if not by_intent:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"


def export(engine: sa.engine.Engine, output: Path, everything: bool = False, by: str = "shell") -> int:
    """Write the file and mark its corrections as exported; the number of corrections."""
    rows = pending(engine, everything)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(rows, known_examples()), encoding="utf-8")
    with engine.begin() as db:
        ids = [event_id for event_id, _, _ in rows]
        for start in range(0, len(ids), 500):
            db.execute(CORRECTIONS.update().where(CORRECTIONS.c.event_id.in_(ids[start:start + 500]))
                       .values(exported_at=time.time()))
        audit.record(db, by, "training_export", str(output), corrections=len(rows))
    return len(rows)


def main(argv=None) -> int:
    from review.db import review_engine
    from review.users import shell_account
    from tracker_store.database import add_database_arguments

    parser = argparse.ArgumentParser(description="Export staff corrections as Rasa NLU training data.")
    parser.add_argument("--output", help="file to write (default var/exports/nlu-verbeteringen-<time>.yml)")
    parser.add_argument("--all", action="store_true", help="also corrections exported before")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    output = Path(args.output or f"var/exports/nlu-verbeteringen-{datetime.now():%Y%m%d-%H%M%S}.yml")
    count = export(review_engine(args.endpoints, args.db_url), output, args.all, shell_account())
    print(f"{count} correction(s) written to {output}. Review them, then merge into data/nlu.yml.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
