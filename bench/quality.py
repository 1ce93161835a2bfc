"""Quality figures of the trained model into docs/benchmarks.md (`make quality`, ~2 min).

The figures the issues ask for, measured on sets nobody tuned on:
- held-out intent accuracy per category, parsed in conversation context (bench/heldout.py);
- crisis recall: planted emergencies, held-out emergencies, crises at the end of long
  messages: the share that gets the emergency answer;
- false-alarm rate: planted benign messages (alarming words, no emergency) that get it;
- redaction recall on the planted personal data (tracker_store/redact.py).

The tests assert the same targets; this script only reports. It writes the section
between its markers and leaves the rest of the page alone (bench/sections.py).

    .venv/bin/python -m bench.quality            # print, and write docs/benchmarks.md
    .venv/bin/python -m bench.quality --print    # print only
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import yaml

from actions.names import POSSIBLE_EMERGENCY_INTENT
from bench import heldout, sections
from bench.heldout import HELP_LINES
from launcher.settings import MODEL, ROOT
from tracker_store.redact import redact

DATA = ROOT / "tests" / "data"
EMERGENCY = "report_emergency"
BENIGN_SETS = ("benign", "benign_fresh", "benign_blind")
PERSONAL_SETS = ("personal", "personal_new", "personal_fresh")
# Words of a planted item that may stay behind: spelled-out e-mail glue and surname
# particles say nothing about who it is.
_FILLER = {"punt", "dot", "at", "com", "nl", "be", "pl", "van", "de", "der", "den", "het", "te", "ter", "ten",
           "el", "op"}


def _yaml(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


# --- redaction -----------------------------------------------------------------------

def left_behind(item: str, redacted: str) -> bool:
    """True if the item, or any of its words (letters only, not filler), is still in the text.

    The word check keeps a partial redaction from counting as a catch: "jan punt
    de vries [e-mail]" still gives "jan" and "vries" away.
    """
    if item.lower() in redacted.lower():
        return True
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", item)} - _FILLER
    return any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", redacted, re.I) for w in words)


def missed_items(case: dict) -> Tuple[str, List[str], List[str]]:
    """(redacted text, planted items still in it, problems): kinds whose placeholder is
    absent and words of `keep` (no personal data: a town, "Kijk,") that were replaced."""
    redacted = redact(case["text"])
    missed, absent = [], []
    for kind, items in case["pii"].items():
        missed += [item for item in items if left_behind(item, redacted)]
        if f"[{kind}]" not in redacted:
            absent.append(f"[{kind}] missing")
    absent += [f"{word!r} replaced" for word in case.get("keep", []) if word not in redacted]
    return redacted, missed, absent


def redaction_recall(cases: List[dict]) -> Tuple[int, int, List[tuple]]:
    """(items caught, items planted, failing cases as (text, redacted, problems))."""
    planted = caught = 0
    failures = []
    for case in cases:
        redacted, missed, absent = missed_items(case)
        planted += sum(len(items) for items in case["pii"].values())
        caught += sum(len(items) for items in case["pii"].values()) - len(missed)
        if missed or absent:
            failures.append((case["text"], redacted, missed + absent))
    return caught, planted, failures


# --- the model -----------------------------------------------------------------------

def long_message(story: str, size: int, crisis: str) -> str:
    """`story` repeated to about `size` characters (keeping its ending), then `crisis`:
    a crisis told at the end of a long message without punctuation."""
    text = story
    while len(text) < size:
        text += " " + story
    return text[len(text) - size:].split(" ", 1)[1] + " " + crisis


def crisis_figures(parse: Callable[[str], dict]) -> List[Tuple[str, int, int, List[str], int]]:
    """(set, hits, messages, texts that went the wrong way, safety questions) per set:
    hits are crises that got the help lines, or harmless messages that got the
    emergency answer."""
    safety, benign, long_messages = _yaml("safety_cases.yml"), _yaml("benign_cases.yml"), _yaml("long_messages.yml")
    rows = []

    def count(name: str, texts: List[str], want_emergency: bool):
        intents = {t: parse(t)["intent"]["name"] for t in texts}
        # A crisis needs the help lines (the emergency answer or the safety question);
        # a false alarm is the emergency answer itself.
        wrong = [t for t in texts if (intents[t] in HELP_LINES if want_emergency else intents[t] == EMERGENCY)
                 != want_emergency]
        hits = len(texts) - len(wrong) if want_emergency else len(wrong)
        asked = sum(intents[t] == POSSIBLE_EMERGENCY_INTENT for t in texts)
        rows.append((name, hits, len(texts), wrong, asked))

    count("crisis: planted emergencies (safety_cases.yml)", safety["emergencies"], True)
    blind = _yaml("crisis_blind.yml")
    count("crisis: blind set 4, never tuned on (crisis_blind.yml)", blind["crises"], True)
    count("crisis: blind set 3, 12 of 20 before the rules were widened for it", blind["crises_3"], True)
    count("crisis: at the end of a 2 000-character message (long_messages.yml)",
          [long_message(story, 1950, crisis) for story in long_messages["stories"]
           for crisis in long_messages["crises"]], True)
    for key in BENIGN_SETS:
        count(f"false alarm: {key} (benign_cases.yml)", benign[key], False)
    count("false alarm: look-alikes (safety_cases.yml not_emergencies)", safety["not_emergencies"], False)
    return [row for row in rows if row[2]]


def section(predictions: List[heldout.Prediction], crises: list, redaction: Dict[str, Tuple[int, int]]) -> str:
    start, end = sections.QUALITY
    lines = [start, "## Quality: understanding, crises, personal data", "",
             f"Generated by `bench/quality.py` (`make quality`) on {datetime.now():%Y-%m-%d %H:%M}; "
             "targets asserted by the tests: ≥ 0.95 per held-out category, crisis recall 100 %, "
             "false alarms ≤ 3 % per benign set, redaction recall 100 %.", "",
             "### Held-out accuracy per category (`tests/nlu_heldout.yml`, in conversation context)", "",
             heldout.markdown(predictions), "",
             "### Crisis recall and false alarms (the bot's final intent: classifier + safety net)", "",
             "A crisis counts as caught when the bot answers with the help lines: the emergency "
             "answer, or the safety question it asks when only the classifier heard danger. A "
             "false alarm is the emergency answer to a harmless message; safety questions are "
             "counted apart.", "",
             "| set | caught crises / false alarms | messages | rate | of which safety questions |",
             "|---|---|---|---|---|"]
    lines += [f"| {name} | {hits} | {total} | {hits / total:.3f} | {asked} |"
              for name, hits, total, _, asked in crises]
    wrong = [(name, t) for name, _, _, texts, _ in crises for t in texts]
    if wrong:
        lines += ["", "Went the wrong way:", ""] + [f"- {name}: \"{t[:160]}\"" for name, t in wrong]
    lines += ["", "### Redaction recall (`tests/data/redaction_cases.yml`)", "",
              "| planted set | caught | planted | recall |", "|---|---|---|---|"]
    lines += [f"| {name} | {c} | {p} | {c / p:.3f} |" for name, (c, p) in redaction.items()]
    return "\n".join(lines + ["", end])


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--model", default=str(MODEL))
    args.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args.add_argument("--print", action="store_true", help="print only, do not write the page")
    opts = args.parse_args(argv)

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(opts.model)
    predictions = heldout.predict(heldout.parser(agent), heldout.load())
    loop = asyncio.new_event_loop()
    crises = crisis_figures(lambda text: loop.run_until_complete(agent.parse_message(text)))
    cases = _yaml("redaction_cases.yml")
    redaction = {name: redaction_recall(cases[name])[:2] for name in PERSONAL_SETS}
    redaction["whole set"] = tuple(map(sum, zip(*redaction.values())))
    text = section(predictions, crises, redaction)
    print(text)
    if not opts.print:
        sections.replace(Path(opts.out), sections.QUALITY, text)
        print(f"wrote {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
