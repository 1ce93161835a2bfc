"""Generate many conversations of realistic shape into a tracker database (SQLite or
PostgreSQL), for the staff tool's scale benchmark and its paging test.

Each conversation has the events Rasa 3.6 stores (checked against a real tracker of the
bot): session start, the widget's `/greet`, 1-5 questions typed with parent texts from
data/nlu.yml and their intent ranking, the bot's answers from domain.yml (with
buttons), feedback button presses and slots, and now and then an alarm, a fallback or
aanmelden. Every typed message carries the danger model's verdict (`danger` in the parse
data, as components/danger.py adds it); the alarms are of each kind the bot has: a danger
rule or the model heard an emergency (the emergency answer), or the model doubted (the
safety question), after which some parents press "Er is nu gevaar" (a button: no `danger`
key). About 20 events per conversation on average; start times spread over the last 90
days (the retention period), mostly in the daytime.

    python -m bench.review_data --db-url sqlite:///var/bench/review.db --conversations 100000
"""
from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import sqlalchemy as sa
import yaml

from components.danger_model import KINDS
from components.danger_rules import rules
from launcher.settings import ROOT

TOPIC_INTENTS = ["ask_what_is_attachment", "ask_attachment_problems", "ask_signs_home", "ask_signs_school",
                 "ask_teacher_tips", "ask_causes", "ask_cause_parent_history", "ask_cause_neglect",
                 "ask_cause_adoption_foster", "ask_is_it_my_fault", "ask_behaviour_normal", "ask_help_at_home",
                 "ask_seek_help", "ask_treatment", "ask_practical_info", "ask_diagnosis"]
ANSWERS = {"ask_is_it_my_fault": ["utter_not_your_fault"], "ask_diagnosis": ["utter_no_diagnosis"],
           "ask_behaviour_normal": ["utter_acknowledge_worry", "utter_ask_child_age"]}
META = {"model_id": "bench", "assistant_id": "ocrn-hechting"}
DAY = 86400


def _examples() -> Dict[str, List[str]]:
    data = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))
    found: Dict[str, List[str]] = {}
    for block in data["nlu"]:
        if "intent" in block:
            found[block["intent"]] = [line.strip()[2:] for line in block["examples"].splitlines()
                                      if line.strip().startswith("- ")]
    return found


def _responses() -> Dict[str, dict]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variants[0] for name, variants in domain["responses"].items()}


class Generator:
    """Conversations as lists of event rows (sender_id, type_name, timestamp, intent, action, data)."""

    def __init__(self, seed: int = 7, now: float = None):
        self.random = random.Random(seed)
        self.examples = _examples()
        self.responses = _responses()
        self.rules = rules()
        self.now = now or time.time()

    def _event(self, kind: str, at: float, **fields) -> dict:
        return {"event": kind, "timestamp": at, "metadata": dict(META), **fields}

    def _ranking(self, intent: str, confidence: float) -> List[dict]:
        others = self.random.sample([i for i in TOPIC_INTENTS if i != intent], 9)
        rest = (1 - confidence) / 9
        return [{"name": intent, "confidence": confidence}] + [{"name": o, "confidence": rest} for o in others]

    def _danger(self, level: Optional[str] = None, rule=None) -> dict:
        """The danger model's verdict on a typed message (components/danger.py): below 0.3 no
        alarm, 0.3-0.7 the safety question, from 0.7 (or a rule) the emergency answer."""
        r = self.random
        if rule is not None:
            return {"probability": round(r.uniform(0.4, 0.99), 3), "kind": rule.kind, "rule": rule.id,
                    "level": "emergency"}
        low, high = {"emergency": (0.7, 0.99), "question": (0.3, 0.69)}.get(level, (0.001, 0.2))
        return {"probability": round(r.uniform(low, high), 3), "kind": r.choice(KINDS), "rule": None,
                "level": level}

    def _user(self, at: float, text: str, intent: str, confidence: float, **parse) -> dict:
        message_id = uuid.UUID(int=self.random.getrandbits(128)).hex
        parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                      "message_id": message_id, "metadata": {}, "intent_ranking": self._ranking(intent, confidence),
                      **parse}
        return self._event("user", at, text=text, parse_data=parse_data, input_channel="socketio",
                           message_id=message_id)

    def _action(self, at: float, name: str) -> dict:
        return self._event("action", at, name=name, policy="RulePolicy", confidence=1.0, action_text=None,
                           hide_rule_turn=False)

    def _bot(self, at: float, response: str) -> List[dict]:
        template = self.responses.get(response, {"text": "…"})
        data = {"elements": None, "quick_replies": None, "buttons": template.get("buttons"), "attachment": None,
                "image": None, "custom": None}
        return [self._action(at, response),
                self._event("bot", at + 0.001, text=template.get("text", ""), data=data,
                            metadata={**META, "utter_action": response})]

    def _turn(self, at: float, user: dict, answer: List[str], slot: Tuple[str, str] = None) -> List[dict]:
        events = [user]
        if slot:
            events.append(self._event("slot", at + 0.001, name=slot[0], value=slot[1]))
        events.append(self._event("user_featurization", at + 0.002, use_text_for_featurization=False))
        for n, response in enumerate(answer):
            if response.startswith("action_"):
                events.append(self._action(at + 0.003 + n / 100, response))
            else:
                events += self._bot(at + 0.003 + n / 100, response)
        events.append(self._action(at + 0.05, "action_listen"))
        return events

    def conversation(self) -> Tuple[str, List[dict]]:
        r = self.random
        sender = uuid.UUID(int=r.getrandbits(128)).hex
        day = self.now - r.uniform(0, 90) * DAY
        at = day - (day % DAY) + r.gauss(14, 3) * 3600
        events = [self._action(at, "action_session_start"), self._event("session_started", at + 0.001),
                  self._action(at + 0.002, "action_listen")]
        events += self._turn(at + 1, self._user(at + 1, "/greet", "greet", 1.0), ["utter_greet"])
        for _ in range(r.choice([1, 1, 1, 2, 2, 3])):
            at += r.uniform(20, 180)
            roll = r.random()
            if roll < 0.012:  # a danger rule fired
                rule = r.choice(self.rules)
                user = self._user(at, r.choice(rule.positives), "report_emergency", 1.0,
                                  danger=self._danger(rule=rule), safety_net=True)
                events += self._turn(at, user, ["utter_emergency"])
            elif roll < 0.022:  # the danger model is sure
                user = self._user(at, r.choice(self.examples["report_emergency"]), "report_emergency", 1.0,
                                  danger=self._danger("emergency"), safety_net=True)
                events += self._turn(at, user, ["utter_emergency"])
            elif roll < 0.03:  # the danger model doubts: the safety question
                danger = self._danger("question")
                user = self._user(at, r.choice(self.examples["report_emergency"]), "report_possible_emergency",
                                  danger["probability"], danger=danger, safety_check=True)
                events += self._turn(at, user, ["utter_safety_check"])
                if r.random() < 0.4:  # the parent presses "Er is nu gevaar"
                    at += r.uniform(5, 30)
                    events += self._turn(at, self._user(at, "/report_emergency", "report_emergency", 1.0),
                                         ["utter_emergency"])
            elif roll < 0.10:
                text = r.choice(self.examples["out_of_scope"])
                events += self._turn(at, self._user(at, text, "nlu_fallback", 0.3, danger=self._danger()),
                                     ["action_default_fallback"])
            elif roll < 0.18:
                events += self._turn(at, self._user(at, "/ask_registration", "ask_registration", 1.0),
                                     ["action_show_registration", "utter_ask_feedback"])
            else:
                intent = r.choice(TOPIC_INTENTS)
                text = r.choice(self.examples[intent])
                answer = ANSWERS.get(intent, [f"utter_{intent[4:]}", "utter_ask_feedback"])
                events += self._turn(at, self._user(at, text, intent, round(r.uniform(0.35, 1.0), 4),
                                                     danger=self._danger()), answer)
                if r.random() < 0.5:
                    at += r.uniform(5, 30)
                    value = "positive" if r.random() < 0.75 else "negative"
                    events += self._turn(at, self._user(at, f"/feedback_{value}", f"feedback_{value}", 1.0),
                                         [f"utter_feedback_{value}"], ("feedback", value))
        return sender, events

    def rows(self, count: int) -> Iterator[tuple]:
        for _ in range(count):
            sender, events = self.conversation()
            for event in events:
                kind = event["event"]
                intent = event["parse_data"]["intent"]["name"] if kind == "user" else None
                action = event.get("name") if kind in ("action", "slot") else None
                yield (sender, kind, event["timestamp"], intent, action, json.dumps(event, ensure_ascii=False))


def create_events_table(engine: sa.engine.Engine, rasa_model: bool = True) -> None:
    """Rasa's own `events` table (its SQLEvent model, so the schema is exactly Rasa's); for
    quick tests without importing Rasa (5 s), the same columns and `sender_id` index."""
    if rasa_model:
        from rasa.core.tracker_store import SQLTrackerStore

        SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
        return
    from tracker_store.database import EVENTS

    table = EVENTS.to_metadata(sa.MetaData())
    sa.Index("ix_events_sender_id", table.c.sender_id)
    table.create(engine, checkfirst=True)


def write(engine: sa.engine.Engine, conversations: int, seed: int = 7, chunk: int = 20000,
          rasa_model: bool = True) -> int:
    """Append `conversations` generated conversations; the number of events written."""
    create_events_table(engine, rasa_model)
    rows = Generator(seed).rows(conversations)
    written = 0
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            while True:
                batch = [row for _, row in zip(range(chunk), rows)]
                if not batch:
                    break
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join(_copy_field(v) for v in row) + "\n")
                buffer.seek(0)
                cursor.copy_expert("COPY events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                                   "FROM STDIN", buffer)
                written += len(batch)
            raw.commit()
        finally:
            raw.close()
        return written
    from tracker_store.database import EVENTS

    columns = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
    with engine.begin() as db:
        while True:
            batch = [dict(zip(columns, row)) for _, row in zip(range(chunk), rows)]
            if not batch:
                break
            db.execute(EVENTS.insert(), batch)
            written += len(batch)
    return written


def _copy_field(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.db_url.startswith("sqlite:///"):
        Path(args.db_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    events = write(sa.create_engine(args.db_url), args.conversations, args.seed)
    print(f"{args.conversations} conversations, {events} events in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
