"""Whole conversations by independent writers, held against the running bot.

Each set (tests/data/conversations_heldout/*.yml, one file per writer) holds
conversations of 4-8 parent turns; each turn that has one right kind of answer is
labelled with it (`answer:`). Every conversation is sent turn by turn with one sender
id over the REST channel of a real stack, then its tracker is read back: the bot's
messages of each turn carry the name of the response they came from
(`metadata.utter_action`), so a turn is judged by the responses it got.

Figures (per writer and overall):
- on topic: the turn got a response of its label's family (`ACCEPTED`; a response
  `utter_<topic>_<angle>` belongs to `utter_<topic>`), or "Ik noemde al <topic>" naming
  a topic of that family (content/topics.yml `name`), and no emergency answer;
- repeats: a bot message of at least `REPEAT_MIN_CHARS` characters sent word for word
  earlier in the same conversation;
- asked again: the age question after the conversation already knew an age;
- fallback: turns answered with "Dat begreep ik niet" (`utter_default`, `_again`, `_short`).

    .venv/bin/python -m bench.conversation_eval                 # the held-out sets
    .venv/bin/python -m bench.conversation_eval --sets DIR      # another folder
    .venv/bin/python -m bench.conversation_eval --sets DIR --write "label"  # a sealed set, once
"""
from __future__ import annotations

import argparse
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

import yaml

from actions.names import (
    AGE_BAND,
    ALREADY_COVERED_RESPONSE,
    ASK_AGE_RESPONSE,
    EMERGENCY_RESPONSE,
    SAFETY_CHECK_RESPONSE,
)
from content.topics import topics
from launcher.settings import ROOT

HELDOUT = ROOT / "tests" / "data" / "conversations_heldout"
REPEAT_MIN_CHARS = 80
FALLBACK_RESPONSE = "utter_default"
ALARM_RESPONSES = {EMERGENCY_RESPONSE, SAFETY_CHECK_RESPONSE}
_CAUSES = ("utter_causes",)

# Label of a turn -> the response families that answer it on topic.
ACCEPTED: Dict[str, Tuple[str, ...]] = {
    "greeting": ("utter_greet",),
    "goodbye": ("utter_goodbye",),
    "thanks": ("utter_you_are_welcome",),
    "feedback_negative": ("utter_feedback_negative", "utter_ask_what_was_missing", "utter_talk_to_person"),
    "out_of_scope": ("utter_out_of_scope",),
    "what_is_attachment": ("utter_what_is_attachment",),
    "attachment_problems": ("utter_attachment_problems",),
    "signs_home": ("utter_signs_home",),
    "signs_school": ("utter_signs_school",),
    "teacher_tips": ("utter_teacher_tips",),
    # The general list names every cause; a specific cause answers the general question.
    "causes": _CAUSES + ("utter_cause_",),
    "cause_parent_history": _CAUSES + ("utter_cause_parent_history",),
    "cause_rejection": _CAUSES + ("utter_cause_rejection",),
    "cause_neglect": _CAUSES + ("utter_cause_neglect",),
    "cause_many_caregivers": _CAUSES + ("utter_cause_many_caregivers",),
    "cause_adoption_foster": _CAUSES + ("utter_cause_adoption_foster",),
    "cause_violence": _CAUSES + ("utter_cause_violence",),
    "cause_trauma": _CAUSES + ("utter_cause_trauma",),
    "is_it_my_fault": ("utter_not_your_fault",),
    # "Is this normal?": the age note, or the acknowledgement with the age question.
    "behaviour_normal": ("utter_age_band_note", "utter_acknowledge_worry"),
    "age_given": ("utter_age_band_note",),
    "help_at_home": ("utter_help_at_home",),
    "seek_help": ("utter_seek_help", "utter_talk_to_person"),
    "treatment": ("utter_treatment",),
    "registration": ("utter_registration",),
    "practical_info": ("utter_practical_info",),
    "diagnosis_request": ("utter_no_diagnosis",),
    "talk_to_person": ("utter_talk_to_person",),
    "chat_privacy": ("utter_chat_privacy",),
    "parent_wellbeing": ("utter_parent_wellbeing",),
    "hope": ("utter_hope",),
    "belgium": ("utter_help_belgium", "utter_talk_to_others_be"),
}
NOT_JUDGED = "none"


def _belongs(response: str, family: str) -> bool:
    return response == family or response.startswith(family if family.endswith("_") else family + "_")


@dataclass
class Turn:
    text: str
    label: str
    responses: List[str] = field(default_factory=list)
    texts: List[str] = field(default_factory=list)
    repeats: int = 0
    asked_again: bool = False

    @property
    def judged(self) -> bool:
        return self.label != NOT_JUDGED

    @property
    def on_topic(self) -> bool:
        if ALARM_RESPONSES & set(self.responses):
            return False
        families = ACCEPTED[self.label]
        named = [t.answer[0] for text, r in zip(self.texts, self.responses) if r == ALREADY_COVERED_RESPONSE
                 for t in topics().values() if t.name in text]
        return any(_belongs(r, f) for r in self.responses + named for f in families)

    @property
    def fallback(self) -> bool:
        return any(r.startswith(FALLBACK_RESPONSE) for r in self.responses)


@dataclass
class Writer:
    name: str
    turns: List[Turn] = field(default_factory=list)
    conversations: int = 0

    def figures(self) -> Dict[str, float]:
        judged = [t for t in self.turns if t.judged]
        return {
            "conversations": self.conversations,
            "turns": len(judged),
            "on_topic": sum(t.on_topic for t in judged) / max(len(judged), 1),
            "repeats": sum(t.repeats for t in self.turns),
            "asked_again": sum(t.asked_again for t in self.turns),
            "fallback": sum(t.fallback for t in self.turns) / max(len(self.turns), 1),
        }


def load_sets(folder: Path = HELDOUT) -> List[dict]:
    """Every writer's file in `folder`, checked against the labels the evaluation knows."""
    sets = []
    for path in sorted(Path(folder).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for conversation in data["conversations"]:
            for turn in conversation["turns"]:
                if turn["answer"] not in ACCEPTED and turn["answer"] != NOT_JUDGED:
                    raise ValueError(f"{path.name}: unknown answer label {turn['answer']!r}")
        sets.append(data)
    return sets


def split_turns(events: Iterable[dict]) -> List[Tuple[List[dict], bool]]:
    """The bot messages after each user message, and whether an age was known before it."""
    turns: List[Tuple[List[dict], bool]] = []
    age_known = False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append(([], age_known))
        elif kind == "bot" and turns:
            turns[-1][0].append(event)
        elif kind == "slot" and event.get("name") == AGE_BAND and event.get("value"):
            age_known = True
    return turns


def judge(conversation: dict, events: List[dict]) -> List[Turn]:
    """The conversation's turns with what the bot answered (the tracker's events)."""
    turns = [Turn(t["text"], t["answer"]) for t in conversation["turns"]]
    bot_turns = split_turns(events)
    if len(bot_turns) != len(turns):
        raise RuntimeError(f"{len(turns)} messages sent, {len(bot_turns)} in the tracker")
    seen: set = set()
    for turn, (messages, age_known) in zip(turns, bot_turns):
        for message in messages:
            name = (message.get("metadata") or {}).get("utter_action") or ""
            text = (message.get("text") or "").strip()
            turn.responses.append(name)
            turn.texts.append(text)
            if len(text) >= REPEAT_MIN_CHARS and text in seen:
                turn.repeats += 1
        seen.update(t for t in turn.texts if len(t) >= REPEAT_MIN_CHARS)
        turn.asked_again = age_known and ASK_AGE_RESPONSE in turn.responses
    return turns


def run(send: Callable[[str, str], object], events: Callable[[str], List[dict]],
        sets: List[dict], workers: int = 4) -> Dict[str, Writer]:
    """Hold every conversation (one sender id each) and judge it; returns the writers."""
    jobs = [(data["writer"], conv) for data in sets for conv in data["conversations"]]

    def hold(job):
        writer, conversation = job
        sender = f"eval-{writer}-{conversation['id']}-{uuid.uuid4().hex[:6]}"
        for turn in conversation["turns"]:
            send(sender, turn["text"])
        return writer, judge(conversation, events(sender))

    writers: Dict[str, Writer] = {}
    with ThreadPoolExecutor(workers) as pool:
        for writer, turns in pool.map(hold, jobs):
            entry = writers.setdefault(writer, Writer(writer))
            entry.conversations += 1
            entry.turns.extend(turns)
    return writers


def overall(writers: Dict[str, Writer]) -> Writer:
    total = Writer("all")
    for writer in writers.values():
        total.turns.extend(writer.turns)
        total.conversations += writer.conversations
    return total


def table(writers: Dict[str, Writer]) -> List[str]:
    """Markdown rows: per writer, then overall, then the worst writer's on-topic rate."""
    lines = ["| writer | conversations | turns judged | on topic | repeats | asked again | fallback |",
             "|---|---|---|---|---|---|---|"]
    for writer in list(writers.values()) + [overall(writers)]:
        f = writer.figures()
        lines.append(f"| {writer.name} | {f['conversations']} | {f['turns']} | {f['on_topic']:.3f} | "
                     f"{f['repeats']} | {f['asked_again']} | {f['fallback']:.3f} |")
    worst = min(writers.values(), key=lambda w: w.figures()["on_topic"])
    lines.append(f"\nWorst writer: {worst.name} ({worst.figures()['on_topic']:.3f} on topic).")
    return lines


def misses(writers: Dict[str, Writer]) -> Dict[str, int]:
    """Labels of the turns off topic, counted (never their text: kept for the report only)."""
    counts: Dict[str, int] = {}
    for writer in writers.values():
        for turn in writer.turns:
            if turn.judged and not turn.on_topic:
                counts[turn.label] = counts.get(turn.label, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def measure(folder: Path = HELDOUT, stack_factory: Optional[Callable] = None) -> Dict[str, Writer]:
    """Start a stack (the launcher's own), hold the sets, stop it."""
    from launcher.client import Bot
    from launcher.stack import Stack

    with tempfile.TemporaryDirectory() as work:
        stack = (stack_factory or (lambda w: Stack(Path(w), token="eval-token")))(work).start()
        try:
            bot = Bot.of(stack)
            return run(bot.send, lambda s: bot.tracker(s)["events"], load_sets(folder))
        finally:
            stack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=Path, default=HELDOUT)
    parser.add_argument("--misses", action="store_true", help="print the labels of the turns off topic")
    parser.add_argument("--write", metavar="LABEL", help="add the table to docs/benchmarks.md (sealed sets)")
    args = parser.parse_args()
    writers = measure(args.sets)
    print("\n".join(table(writers)))
    if args.misses:
        print(misses(writers))
    if args.write:
        write(args.write, table(writers))


def write(label: str, rows: List[str]) -> None:
    """Add a sealed set's figures to their section of docs/benchmarks.md, keeping earlier ones."""
    from datetime import datetime

    from bench import sections

    start, end = sections.CONVERSATIONS_SEALED
    heading = "## Whole conversations: sets measured once"
    path = ROOT / "docs" / "benchmarks.md"
    page = path.read_text(encoding="utf-8")
    earlier = page.split(start, 1)[1].split(end, 1)[0].split(heading, 1)[-1].strip() if start in page else ""
    body = [start, heading, "", earlier, "", f"{label}. Measured on {datetime.now():%Y-%m-%d %H:%M} by "
            "`python -m bench.conversation_eval --write`; reported as it came out.", "", *rows, "", end]
    sections.replace(path, sections.CONVERSATIONS_SEALED, "\n".join(body))


if __name__ == "__main__":
    main()
