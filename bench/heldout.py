"""The held-out NLU set (tests/nlu_heldout.yml): categories, context, leak check, accuracy.

The file stays a plain Rasa NLU file. Blocks may carry `metadata` (see the file's
comments): `category` (else "ordinary"), `after` (the bot's last response before the
message, so an age answer is parsed right after the age question), `age_band`,
`topic`/`answer` (a follow-up and the intent whose answer it must get) and `parts`
(the intents of several questions, in order). An example is right when the intent
and every such expectation is right.

Used by tests/test_nlu.py (the gate) and by `make bench`; the command line prints
the accuracy per category and which messages changed intent since the recorded run:

    .venv/bin/python -m bench.heldout            # compare with the recorded run
    .venv/bin/python -m bench.heldout --record   # record this model's predictions
"""
from __future__ import annotations

import argparse
import asyncio
import difflib
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

import yaml

from actions.answers import follow_up_answer
from actions.names import (
    AGE_BAND,
    ASK_FEEDBACK_RESPONSE,
    EMERGENCY_INTENT,
    EXPLAIN_KIND,
    FOLLOW_UP_INTENT,
    FOLLOW_UP_KEY,
    LAST_TOPIC_SLOT,
    POSSIBLE_EMERGENCY_INTENT,
    QUESTIONS_KEY,
)
from launcher.settings import MODEL, ROOT

# Answers with every help line: the emergency answer, and the safety question the bot
# asks when only the classifier heard danger (components/safety_net.py).
HELP_LINES = {EMERGENCY_INTENT, POSSIBLE_EMERGENCY_INTENT}

HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
TRAINING = ROOT / "data" / "nlu.yml"
RECORDED = ROOT / "tests" / "data" / "nlu_heldout_predictions.yml"
ORDINARY = "ordinary"
# Two texts of the same intent are near-duplicates at this character similarity
# (difflib ratio of the normalised texts): one typo, one short word changed.
NEAR_RATIO = 0.9


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    category: str = ORDINARY
    after: Optional[str] = None
    age_band: Optional[str] = None
    topic: Optional[str] = None
    answer: Optional[str] = None
    parts: Tuple[str, ...] = ()
    batch: str = "1"


@dataclass
class Prediction:
    example: Example
    intent: Optional[str]
    age_band: Optional[str] = None
    parts: Tuple[str, ...] = ()
    answer: Optional[str] = None
    problems: List[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        return not self.problems


def _lines(examples: Any) -> List[str]:
    return [line.strip()[2:].strip() for line in (examples or "").splitlines() if line.strip().startswith("- ")]


def load(path: Path = HELDOUT) -> List[Example]:
    """Every example of a Rasa NLU YAML file, with its block's metadata."""
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        meta = block.get("metadata") or {}
        for text in _lines(block.get("examples")):
            out.append(Example(text, block["intent"], meta.get("category", ORDINARY), meta.get("after"),
                               meta.get("age_band"), meta.get("topic"), meta.get("answer"),
                               tuple(meta.get("parts") or ()), str(meta.get("batch", "1"))))
    return out


# --- leaks ------------------------------------------------------------------------

def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces: 'Wat is hechting?' == 'wat is  hechting'."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _one_word_apart(a: List[str], b: List[str]) -> bool:
    """One word added or dropped (the shorter text has 3+ words), or one word replaced
    (4+ words): "ik stop ermee" / "ik stop ermee doei", "een baby van 8 maanden" /
    "een baby van 10 maanden". Shorter texts differ in meaning by one word
    ("en thuis?" / "en verder?"), so they only count when nearly equal in characters."""
    if len(a) == len(b):
        return len(a) >= 4 and sum(x != y for x, y in zip(a, b)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(long) - len(short) == 1 and len(short) >= 3 and any(
        long[:i] + long[i + 1:] == short for i in range(len(long)))


def near_duplicate(a: str, b: str) -> bool:
    """Normalised texts equal, or one typo/word apart (see NEAR_RATIO and _one_word_apart)."""
    na, nb = normalise(a) or a.strip(), normalise(b) or b.strip()
    if na == nb or _one_word_apart(na.split(), nb.split()):
        return True
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    return (matcher.real_quick_ratio() >= NEAR_RATIO and matcher.quick_ratio() >= NEAR_RATIO
            and matcher.ratio() >= NEAR_RATIO)


def leaks(heldout: Iterable[Example], training: Iterable[Example]) -> List[Tuple[str, str, str]]:
    """(held-out text, training text, training intent) for every held-out example whose
    normalised text is in the training data (any intent), or that is a near-duplicate
    of a training example of the same intent."""
    training = list(training)
    by_text = {normalise(t.text) or t.text.strip(): t for t in training}
    by_intent: Dict[str, List[Example]] = defaultdict(list)
    for t in training:
        by_intent[t.intent].append(t)
    found = []
    for h in heldout:
        same = by_text.get(normalise(h.text) or h.text.strip())
        if same is None:
            same = next((t for t in by_intent[h.intent] if near_duplicate(h.text, t.text)), None)
        if same is not None:
            found.append((h.text, same.text, same.intent))
    return found


# --- predictions ------------------------------------------------------------------

Parser = Callable[[str, Optional[str], Optional[Dict[str, Any]]], Dict[str, Any]]


def conversation_after(response: Optional[str], slots: Optional[Dict[str, Any]] = None):
    """A tracker whose last event is the bot sending `response`, with `slots` set
    (None, None: a new conversation)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.slots import AnySlot
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_listen")]
    if response:
        events += [UserUttered("..."), ActionExecuted(response),
                   BotUttered("...", metadata={"utter_action": response}), ActionExecuted("action_listen")]
    events += [SlotSet(name, value) for name, value in (slots or {}).items()]
    return DialogueStateTracker.from_events("heldout", events, slots=[AnySlot(n, []) for n in slots or {}])


def parser(agent) -> Parser:
    """parse(text, after, slots): the model's parse of `text` in a conversation whose
    last bot response was `after` and whose slots are `slots`, the way the Rasa server
    parses a message in a conversation."""
    from rasa.core.channels.channel import UserMessage

    loop = asyncio.new_event_loop()

    def parse(text: str, after: Optional[str] = None, slots: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        tracker = conversation_after(after, slots)
        return loop.run_until_complete(agent.processor.parse_message(UserMessage(text), tracker))

    return parse


def context_of(example: Example) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    """The conversation before `example`: a follow-up comes after the answer on its
    topic (which ends with the feedback question) and with the topic in `last_topic`."""
    if example.topic:
        return example.after or ASK_FEEDBACK_RESPONSE, {LAST_TOPIC_SLOT: example.topic}
    return example.after, None


def resolved_parts(questions: List[Dict[str, Any]]) -> Tuple[Optional[str], ...]:
    """The intents the questions of a message are answered with: a follow-up among them
    by what it asks on the question before it (actions/answers.py `follow_up_answer`)."""
    parts: List[Optional[str]] = []
    for question in questions:
        intent = question["intent"]
        if intent == FOLLOW_UP_INTENT:
            intent = follow_up_answer(parts[-1] if parts else None, question.get("kind"))
        parts.append(intent)
    return tuple(parts)


def explains_the_topic(example: Example, parsed: Dict[str, Any], answer: Optional[str]) -> bool:
    """A follow-up of kind explain ("leg dat eens uit", "hoe bedoel je?") gets the topic in
    play in plain words (issue 18), where the set's label names the topic's next part."""
    return answer == example.topic and (parsed.get(FOLLOW_UP_KEY) or {}).get("kind") == EXPLAIN_KIND


def judge(example: Example, parsed: Dict[str, Any]) -> Prediction:
    """The prediction for `example` and what is wrong with it (nothing: correct)."""
    intent = (parsed.get("intent") or {}).get("name")
    bands = [e["value"] for e in parsed.get("entities") or [] if e.get("entity") == AGE_BAND]
    parts = resolved_parts(parsed.get(QUESTIONS_KEY) or [])
    answer = None
    if example.answer:
        answer = follow_up_answer(example.topic, (parsed.get(FOLLOW_UP_KEY) or {}).get("kind"))
    prediction = Prediction(example, intent, bands[0] if bands else None, parts, answer)
    if example.answer and intent == example.answer:
        return prediction  # the follow-up's answer, straight from its own intent: the same responses
    if intent != example.intent and not (example.intent == EMERGENCY_INTENT and intent in HELP_LINES):
        prediction.problems.append(f"intent {intent}")
    if example.age_band and prediction.age_band != example.age_band:
        prediction.problems.append(f"age_band {prediction.age_band}")
    if example.parts and parts != example.parts:
        prediction.problems.append(f"parts {list(parts)}")
    if example.answer and answer != example.answer and not explains_the_topic(example, parsed, answer):
        prediction.problems.append(f"answer {answer}")
    return prediction


def predict(parse: Parser, examples: Iterable[Example]) -> List[Prediction]:
    return [judge(e, parse(e.text, *context_of(e))) for e in examples]


def accuracy_by_category(predictions: List[Prediction], batch: Optional[str] = None
                         ) -> Dict[str, Tuple[int, int, float]]:
    """{category: (right, total, accuracy)}, plus "overall"; only `batch` if given
    ("fresh", "fresh2": examples written after a round of tuning)."""
    counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for p in predictions:
        if batch is not None and p.example.batch != batch:
            continue
        for key in (p.example.category, "overall"):
            counts[key][0] += p.correct
            counts[key][1] += 1
    return {k: (right, total, right / total) for k, (right, total) in sorted(counts.items())}


def emergency_rates(predictions: List[Prediction]) -> Dict[str, Tuple[int, int, float]]:
    """Crisis recall (emergencies that get the help lines: the emergency answer or the
    safety question) and false-alarm rate (other messages that get the emergency
    answer) on the held-out set."""
    crises = [p for p in predictions if p.example.intent == EMERGENCY_INTENT]
    others = [p for p in predictions if p.example.intent != EMERGENCY_INTENT]
    caught = sum(p.intent in HELP_LINES for p in crises)
    alarms = sum(p.intent == EMERGENCY_INTENT for p in others)
    return {"crisis_recall": (caught, len(crises), caught / max(len(crises), 1)),
            "false_alarm_rate": (alarms, len(others), alarms / max(len(others), 1))}


# --- recorded run -----------------------------------------------------------------

def record(predictions: List[Prediction], path: Path = RECORDED) -> None:
    """Keep each held-out message's predicted intent (and its problems) for later comparison."""
    rows = {p.example.text: p.intent if p.correct else f"{p.intent} ({'; '.join(p.problems)})"
            for p in predictions}
    header = ("# Predicted intent of every held-out message by the last recorded model.\n"
              "# tests/test_nlu.py prints the messages whose prediction changed since;\n"
              "# re-record after a deliberate change: .venv/bin/python -m bench.heldout --record\n")
    path.write_text(header + yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")


def changes(predictions: List[Prediction], path: Path = RECORDED) -> List[Tuple[str, str, str]]:
    """(text, recorded, now) for every held-out message whose prediction changed."""
    if not path.is_file():
        return []
    before = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    now = {p.example.text: p.intent if p.correct else f"{p.intent} ({'; '.join(p.problems)})"
           for p in predictions}
    return [(text, before.get(text, "(new message)"), value) for text, value in now.items()
            if before.get(text) != value]


def later_batches(predictions: List[Prediction]) -> List[str]:
    """The batches written after tuning ("fresh", "fresh2"...), in order."""
    return sorted({p.example.batch for p in predictions} - {"1"})


def report(predictions: List[Prediction], gate: float = 0.95) -> str:
    """Accuracy per category with the margin to the gate, the later batches apart,
    crisis recall and false alarms."""
    batches = later_batches(predictions)
    by_batch = {b: accuracy_by_category(predictions, b) for b in batches}
    lines = [f"{'category':<16} {'right':>5} {'total':>5} {'accuracy':>8} {'margin':>7}"
             + "".join(f"   {b:>15}" for b in batches)]
    for category, (right, total, accuracy) in accuracy_by_category(predictions).items():
        cells = "".join(f"   {by_batch[b][category][0]:>4}/{by_batch[b][category][1]:<3} {by_batch[b][category][2]:.3f}"
                        if category in by_batch[b] else f"   {'':>15}" for b in batches)
        lines.append(f"{category:<16} {right:>5} {total:>5} {accuracy:>8.3f} {accuracy - gate:>+7.3f}{cells}")
    for name, (hits, total, rate) in emergency_rates(predictions).items():
        lines.append(f"{name:<16} {hits:>5} {total:>5} {rate:>8.3f}")
    return "\n".join(lines)


def markdown(predictions: List[Prediction], gate: float = 0.95) -> str:
    """The same figures as a Markdown table, for docs/benchmarks.md."""
    batches = later_batches(predictions)
    by_batch = {b: accuracy_by_category(predictions, b) for b in batches}
    rows = ["| category | right / total | accuracy | margin over the gate |"
            + "".join(f" batch {b} (written after tuning) |" for b in batches),
            "|---|---|---|---|" + "---|" * len(batches)]
    for category, (right, total, accuracy) in accuracy_by_category(predictions).items():
        cells = "".join(f" {by_batch[b][category][0]} / {by_batch[b][category][1]} ({by_batch[b][category][2]:.3f}) |"
                        if category in by_batch[b] else " – |" for b in batches)
        rows.append(f"| {category} | {right} / {total} | {accuracy:.3f} | {accuracy - gate:+.3f} |{cells}")
    rates = emergency_rates(predictions)
    (caught, crises, recall), (alarms, others, rate) = rates["crisis_recall"], rates["false_alarm_rate"]
    rows.append("")
    rows.append(f"Crisis recall {recall:.3f} ({caught} of {crises} held-out emergencies); false-alarm rate "
                f"{rate:.3f} ({alarms} of {others} other held-out messages got the emergency answer).")
    return "\n".join(rows)


def main(argv: Optional[List[str]] = None) -> int:
    args_parser = argparse.ArgumentParser(description="Held-out accuracy per category.")
    args_parser.add_argument("--record", action="store_true", help="record these predictions")
    args_parser.add_argument("--model", default=str(MODEL))
    args_parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    args = args_parser.parse_args(argv)
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no debug line per parsed message

    predictions = predict(parser(Agent.load(args.model)), load())
    print(report(predictions))
    if args.markdown:
        print(markdown(predictions))
    for text, was, now in changes(predictions):
        print(f"changed: {was} -> {now}: {text}")
    for p in predictions:
        if not p.correct:
            print(f"wrong [{p.example.category}] {p.example.intent}: {'; '.join(p.problems)}: {p.example.text}")
    if args.record:
        record(predictions)
        print(f"recorded {len(predictions)} predictions in {RECORDED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
