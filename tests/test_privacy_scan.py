"""No planted personal data in the raw rows of the tracker database, its files or the server logs.

A conversation through the real servers (the `bot` and `stack` fixtures) plants a name, a
phone number, an e-mail address, an address and a date of birth in every kind of turn
the bot has: a message with several questions, a story of more than 2,000 characters, a
button payload, an answer to the age question, a message that gets the safety question,
and the answer to "Wat miste je?" after 👎. Then the test reads what is on disk as it is:
every column of every table of the SQLite database as text, the bytes of the database and
of its -wal file, and every log and file in the stack's work folder.

Every assertion was seen to fail once in a copy of the project with redaction switched off
(`redact` returning its input) and Rasa started with --debug (which logs each message).
"""
import sqlite3
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from tracker_store.redact import PLACEHOLDERS, redact

STORY = yaml.safe_load((Path(__file__).parent / "data" / "long_messages.yml").read_text(encoding="utf-8"))["stories"]
MAX_CHARS = 2000  # channels.messages.MAX_MESSAGE_CHARS: a longer message is cut before it is stored

# One set of items per kind of turn, each different, so a find names the turn it came from.
PLANTED: Dict[str, Dict[str, str]] = {
    "questions": {"naam": "Fenna Jansen", "telefoon": "06-48213957", "e-mail": "fenna.mama@example.nl",
                  "adres": "Lindenlaan 14", "geboortedatum": "12-04-2019"},
    "story": {"naam": "Marloes Verbeek", "telefoon": "0612873094", "e-mail": "m.verbeek@example.com",
              "adres": "Kerkstraat 88", "geboortedatum": "3 maart 2016"},
    "payload": {"naam": "Sanne Brouwer", "telefoon": "0687654321", "e-mail": "sanne.b@example.org",
                "adres": "Dorpsstraat 5", "geboortedatum": "01-02-2018"},
    "age_answer": {"naam": "Lotte Visser", "telefoon": "06 11 22 33 44", "e-mail": "lotte.ouder@example.nl",
                   "adres": "Molenweg 7", "geboortedatum": "14-05-2016"},
    "safety": {"naam": "Karin Smit", "telefoon": "0623456789", "e-mail": "karin.smit@example.nl",
               "adres": "Beukenlaan 3", "geboortedatum": "05-06-2012"},
    "feedback": {"naam": "Bram de Vries", "telefoon": "+31 6 45678912", "e-mail": "bram.papa@example.com",
                 "adres": "Beatrixstraat 21", "geboortedatum": "11-11-2015"},
}


def _details(items: Dict[str, str]) -> str:
    return (f"Ik ben {items['naam']}, bel me op {items['telefoon']} of mail {items['e-mail']}. "
            f"We wonen op de {items['adres']}. Mijn kind is geboren op {items['geboortedatum']}.")


# Messages with several questions that the trained model splits (parse data "questions");
# the first that it splits is used, so a retrained model keeps the turn.
_NAME = PLANTED["questions"]["naam"]
QUESTION_OPENERS = [
    f"Mijn dochter {_NAME} van 6 heeft veel driftbuien. Wat zijn signalen van hechtingsproblemen? En hoe lang is de "
    "wachttijd bij jullie?",
    f"Mijn dochter {_NAME} van 6 slaat als ze boos is. Wat kan ik thuis doen? En hoe kan ik haar aanmelden?",
    f"Mijn dochter {_NAME} van 6 wil niet slapen, is dat normaal? En hoe meld ik me aan?",
    f"Mijn dochter {_NAME} van 6 is erg onrustig. Hoe herken ik hechtingsproblemen? En hoe kan ik mijn kind aanmelden?",
    f"Mijn dochter {_NAME} is 6. Wat is hechting precies? En wat kost een behandeling bij jullie?",
    f"Wat is hechting? En hoe kan ik mijn dochter {_NAME} aanmelden?",
]


def _messages() -> Dict[str, str]:
    story = " ".join(STORY)
    while len(story) < 2 * MAX_CHARS:
        story += " " + " ".join(STORY)
    long_story = _details(PLANTED["story"]) + " " + story[:MAX_CHARS // 2] + " " + _details(PLANTED["story"])
    long_story += " " + story[MAX_CHARS // 2:]
    payload, age, feedback = PLANTED["payload"], PLANTED["age_answer"], PLANTED["feedback"]
    return {
        "questions": (f"{QUESTION_OPENERS[0]} Mijn nummer is {PLANTED['questions']['telefoon']}, mail "
                      f"{PLANTED['questions']['e-mail']}, adres {PLANTED['questions']['adres']}, ze is geboren op "
                      f"{PLANTED['questions']['geboortedatum']}."),
        "story": long_story,
        "payload": ('/inform_age{"age_band": "' + f"{payload['naam']}, {payload['telefoon']}, {payload['e-mail']}, "
                    f"{payload['adres']}, geb. {payload['geboortedatum']}" + '"}'),
        # "Ik ben ..., bel me op ..." alone gets the safety question from the model: the
        # age answer and the feedback give their details in another form.
        "age_answer": (f"ze is 9 ({age['naam']}, geboren {age['geboortedatum']}), wij wonen op de {age['adres']}. "
                       f"Mail {age['e-mail']} of {age['telefoon']}"),
        "safety": f"het gaat thuis helemaal mis met hem. {_details(PLANTED['safety'])}",
        "feedback": (f"ik miste tips voor het slapengaan van mijn zoon (geboren {feedback['geboortedatum']}). "
                     f"{feedback['naam']}, {feedback['adres']}, {feedback['telefoon']}, {feedback['e-mail']}"),
    }


# Messages that get the safety question from the trained model ("Is er nu gevaar?" without
# the emergency answer); the first that does is used, so a retrained model keeps the turn.
SAFETY_OPENERS = ["het gaat thuis helemaal mis met hem.", "ik weet niet of het thuis nog veilig is.",
                  "hij wordt soms zo boos dat ik bang word.", "het escaleert thuis steeds vaker."]
SAFETY_QUESTION = "Ik lees iets in je bericht"


def test_every_planted_item_is_caught_by_the_rules():
    """The planted set itself: each item is one the rules catch (else the scan proves nothing)."""
    for kind, message in _messages().items():
        redacted = redact(message[:MAX_CHARS] if kind == "story" else message)
        assert [item for item in PLANTED[kind].values() if item in redacted] == [], kind
    assert len(_messages()["story"]) > MAX_CHARS


def _sender() -> str:
    return f"privacy-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def conversation(bot) -> Dict[str, str]:
    """Hold the conversation; the senders by kind of turn."""
    messages, senders = _messages(), {}

    for opener in QUESTION_OPENERS:
        senders["questions"] = sender = _sender()
        text, _ = bot.say(sender, messages["questions"].replace(QUESTION_OPENERS[0], opener, 1))
        user = [event for event in bot.tracker(sender)["events"] if event["event"] == "user"][-1]
        if len(user["parse_data"].get("questions") or []) >= 2:
            break
    assert len(user["parse_data"].get("questions") or []) >= 2, "no opener was read as several questions"

    senders["story"] = sender = _sender()
    text, _ = bot.say(sender, messages["story"])
    assert "erg lang" in text  # cut to 2,000 characters, and told so

    senders["payload"] = sender = _sender()
    bot.say(sender, "mijn kind is erg dwars de laatste tijd, is dat normaal?")
    text, _ = bot.say(sender, messages["payload"])
    assert text

    senders["age_answer"] = sender = _sender()
    text, _ = bot.say(sender, "mijn kind is erg dwars de laatste tijd, is dat normaal?")
    assert "Hoe oud is je kind?" in text
    text, _ = bot.say(sender, messages["age_answer"])
    assert "basisschool" in text  # the answer to the age question was read as one

    for opener in SAFETY_OPENERS:
        senders["safety"] = sender = _sender()
        text, _ = bot.say(sender, messages["safety"].replace(SAFETY_OPENERS[0], opener, 1))
        if SAFETY_QUESTION in text:
            break
    assert SAFETY_QUESTION in text, "no opener got the safety question"

    senders["feedback"] = sender = _sender()
    bot.say(sender, "/ask_help_at_home")
    text, _ = bot.say(sender, "/feedback_negative")
    assert "Wat miste je" in text
    text, _ = bot.say(sender, messages["feedback"])
    assert text and "Wat miste je" not in text
    return senders


def _database_cells(db: Path) -> List[str]:
    """Every column of every table, as text."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        tables = [row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")]
        cells = []
        for table in tables:
            for row in connection.execute(f'select * from "{table}"'):
                cells += [cell.decode("utf-8", "replace") if isinstance(cell, bytes) else str(cell) for cell in row]
    return cells


def _found(items: Dict[str, Dict[str, str]], haystack: str) -> List[str]:
    lower = haystack.lower()
    return [f"{kind}/{name}: {item!r}" for kind, planted in items.items() for name, item in planted.items()
            if item.lower() in lower]


def test_every_turn_is_stored_redacted(stack, conversation):
    """The turns are in the database, with placeholders where the planted items were."""
    stored = "\n".join(_database_cells(stack.db))
    assert [kind for kind, sender in conversation.items() if sender not in stored] == []
    expected = ("[naam]", "[telefoon]", "[e-mail]", "[adres]", "[geboortedatum]")
    assert set(expected) <= set(PLACEHOLDERS)
    assert [placeholder for placeholder in expected if placeholder not in stored] == []


def test_no_planted_item_in_any_column_of_any_table(stack, conversation):
    assert _found(PLANTED, "\n".join(_database_cells(stack.db))) == []


def test_no_planted_item_in_the_database_files(stack, conversation):
    """The bytes of the database, its write-ahead log and shared-memory file: free pages and
    frames not yet checkpointed hold what a query no longer shows."""
    files = [path for path in stack.db.parent.glob(stack.db.name + "*") if path.is_file()]
    assert stack.db in files and Path(f"{stack.db}-wal") in files
    for path in files:
        assert _found(PLANTED, path.read_bytes().decode("utf-8", "replace")) == [], path.name


def test_no_planted_item_in_the_server_logs(stack, conversation):
    """Every other file in the stack's work folder: the Rasa and action server logs, endpoints."""
    logs = [path for path in stack.work.rglob("*") if path.is_file() and not path.name.startswith(stack.db.name)]
    assert any(path.suffix == ".log" and path.stat().st_size > 0 for path in logs)
    for path in logs:
        assert _found(PLANTED, path.read_bytes().decode("utf-8", "replace")) == [], path.name
