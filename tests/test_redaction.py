"""Redaction of personal data on a planted set: every item caught, clean messages untouched."""
import re
from pathlib import Path

import pytest
import yaml

from bench.quality import redaction_recall
from tracker_store.redact import PLACEHOLDERS, bsn_eleven_test, iban_checksum_ok, redact
from tracker_store.redact_names import FIRST_NAMES, NAME_WORDS

CASES = yaml.safe_load((Path(__file__).parent / "data" / "redaction_cases.yml").read_text(encoding="utf-8"))


PERSONAL_SECTIONS = ("personal", "personal_new", "personal_fresh")  # reported apart, and together
# (caught, planted) per section with the rules before the name list (commit 09ae089),
# measured with this file's scoring; printed beside today's figures, never asserted.
RECALL_BEFORE_NAME_LIST = {"personal": (89, 89), "personal_new": (49, 128), "personal_fresh": (20, 52)}
CLEAN_SECTIONS = ("clean", "clean_new", "clean_fresh")
def test_the_planted_set_is_big_enough_and_covers_every_kind():
    kinds = {kind for case in CASES["personal"] for kind in case["pii"]}
    assert kinds == {p.strip("[]") for p in PLACEHOLDERS}
    assert len(CASES["personal"]) >= 60 and len(CASES["clean"]) >= 40
    assert len(CASES["personal_new"]) >= 40


def test_recall_is_complete_on_the_planted_set(figures):
    failures = []
    for label, cases in [(name, CASES[name]) for name in PERSONAL_SECTIONS] + [
            ("whole set", [case for name in PERSONAL_SECTIONS for case in CASES[name]])]:
        caught, planted, failed = redaction_recall(cases)
        before = [RECALL_BEFORE_NAME_LIST[name] for name in PERSONAL_SECTIONS if label in (name, "whole set")]
        was = sum(c for c, _ in before), sum(p for _, p in before)
        figures(f"redaction recall ({label}): {caught / planted:.3f} "
                f"({caught}/{planted} items in {len(cases)} messages);"
                f" before the name list {was[0] / was[1]:.3f} ({was[0]}/{was[1]})")
        if label != "whole set":
            failures += failed
    for _text, redacted, missed in failures:
        print(f"  missed {missed} in {redacted!r}")
    assert failures == []


def test_no_false_positives_on_clean_messages():
    texts = [text for name in CLEAN_SECTIONS for text in CASES[name]]
    changed = [(text, redact(text)) for text in texts if redact(text) != text]
    print(f"\nredaction false positives: {len(changed)} of {len(texts)} clean messages: {changed}")
    assert changed == []


def test_the_name_lists_hold_lower_case_single_names():
    assert len(FIRST_NAMES) >= 2500
    assert all(name == name.lower() and not any(ch.isspace() or ch.isdigit() for ch in name) for name in FIRST_NAMES)
    assert NAME_WORDS <= FIRST_NAMES


@pytest.mark.parametrize("text, expected", [
    # A name that is also a word counts with a capital inside a sentence, not in lower case.
    ("morgen gaat Roos voor het eerst naar de opvang", "morgen gaat [naam] voor het eerst naar de opvang"),
    ("morgen gaat roos voor het eerst naar de opvang", "morgen gaat roos voor het eerst naar de opvang"),
    # After an article it is a thing, and in Title Case a capital says nothing.
    ("hij is bang voor de Storm", "hij is bang voor de Storm"),
    ("Hij Luistert Max Vijf Minuten En Dan Is Het Op", "Hij Luistert Max Vijf Minuten En Dan Is Het Op"),
    # A name from the list needs no cue and takes its surname along.
    ("gisteren liep wiktoria weg", "gisteren liep [naam] weg"),
    ("Vandaag belde Agnieszka Nowak van de opvang", "Vandaag belde [naam] van de opvang"),
    # Shops and children's characters are no one's name.
    ("we kwamen Daan tegen bij de Albert Heijn", "we kwamen [naam] tegen bij de Albert Heijn"),
    # A spelled-out address needs a known top-level domain at the end.
    ("hij kijkt at home naar de tv", "hij kijkt at home naar de tv"),
    ("mail: tim punt bos at ziggo punt nl", "mail: [e-mail]"),
])
def test_names_that_are_words_and_spelled_out_mail(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "👍", "/feedback_negative", "x" * 20000])
def test_odd_input_passes_through(text):
    assert redact(text) == text


def test_checksums():
    assert bsn_eleven_test("123456782") and not bsn_eleven_test("123456789")
    assert iban_checksum_ok("NL91ABNA0417164300") and not iban_checksum_ok("NL92ABNA0417164300")


def test_redaction_is_idempotent():
    for case in CASES["personal"]:
        once = redact(case["text"])
        assert redact(once) == once


def test_the_store_writes_only_redacted_events_and_a_restart_reads_them(tmp_path):
    """In-process: save through RedactingSQLTrackerStore, then open a new store on the same file."""
    import asyncio
    import sqlite3

    from rasa.core.tracker_store import create_tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
    from rasa.utils.endpoints import EndpointConfig

    db = tmp_path / "tracker.db"
    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore", dialect="sqlite", db=str(db))
    domain = Domain.load(str(Path(__file__).parents[1] / "domain.yml"))
    raw = "Ik ben Fatima, bel 06-12345678 of mail f.bakker@example.nl"

    async def conversation():
        store = create_tracker_store(config, domain)
        tracker = await store.get_or_create_tracker("parent")
        # Keys that components add to the parse data are stored redacted too.
        parse_data = {"questions": [{"text": raw, "intent": "greet"}], "any_new_key": {"deep": [raw]}}
        tracker.update(UserUttered(raw, {"name": "greet", "confidence": 0.9},
                                   [{"entity": "age_band", "value": "puber", "text": "Fatima"}],
                                   parse_data=parse_data, metadata={"note": raw}))
        tracker.update(BotUttered("Hoi Fatima!", data={"buttons": [{"title": "Fatima", "payload": "/greet"}]}))
        tracker.update(SlotSet("age_band", "bel 06-12345678"))
        assert tracker.latest_message.text == raw  # the current turn keeps the raw text
        await store.save(tracker)
        restarted = create_tracker_store(config, domain)
        return await restarted.retrieve("parent")

    reloaded = asyncio.run(conversation())
    redacted = "Ik ben [naam], bel [telefoon] of mail [e-mail]"
    assert reloaded.latest_message.text == redacted
    assert reloaded.latest_message.entities[0]["value"] == "puber"
    assert reloaded.latest_message.intent["name"] == "greet"
    assert reloaded.latest_message.parse_data["questions"][0] == {"text": redacted, "intent": "greet"}
    with sqlite3.connect(db) as connection:
        cells = [str(cell) for row in connection.execute("select * from events") for cell in row]
    assert not [cell for cell in cells for secret in ("Fatima", "06-12345678", "f.bakker") if secret in cell]
    assert any("[naam]" in cell for cell in cells)



def test_the_sqlite_store_commits_without_waiting_for_the_disk(tmp_path):
    """WAL journal, synchronous=NORMAL, and a pooled connection (benchmarks: commit cost)."""
    from rasa.core.tracker_store import create_tracker_store
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore",
                            dialect="sqlite", db=str(tmp_path / "tracker.db"))
    store = create_tracker_store(config, Domain.empty())
    for _ in range(2):
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            raw = connection.connection.connection
    assert store.engine.pool.checkedin() == 1  # the connection stays open for the next turn
    with store.engine.connect() as connection:
        assert connection.connection.connection is raw

# Training examples that hold personal data on purpose, with the reason; all
# other examples of data/nlu.yml must come out of redact() unchanged.
NLU_EXAMPLES_WITH_PERSONAL_DATA = {}
_ENTITY_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _nlu_texts(path):
    """Example texts of a Rasa NLU YAML file, entity annotations [text](entity) reduced to their text."""
    from conftest import nlu_examples

    return [_ENTITY_ANNOTATION.sub(r"\1", text) for text, _ in nlu_examples(path)]


def test_entity_annotations_are_stripped_from_nlu_examples(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text('nlu:\n- intent: x\n  examples: |\n    - mijn [dochter](child) is [4]{"entity": "age"}\n',
                    encoding="utf-8")
    assert _nlu_texts(path) == ["mijn dochter is 4"]


def test_the_parent_questions_of_the_training_data_are_left_alone():
    """Strict: no example of data/nlu.yml may change, except the listed ones."""
    from launcher.settings import ROOT

    texts = _nlu_texts(ROOT / "data" / "nlu.yml")
    changed = [(text, redact(text)) for text in texts
               if redact(text) != text and text not in NLU_EXAMPLES_WITH_PERSONAL_DATA]
    print(f"\nredaction false positives on data/nlu.yml: {len(changed)} of {len(texts)}: {changed}")
    assert changed == []
    assert all(text in texts and redact(text) != text for text in NLU_EXAMPLES_WITH_PERSONAL_DATA)


def test_held_out_parent_questions_are_left_alone():
    """The held-out messages were never used to tune the rules: a check on unseen text."""
    from launcher.settings import ROOT

    texts = _nlu_texts(ROOT / "tests" / "nlu_heldout.yml")
    changed = [(text, redact(text)) for text in texts if redact(text) != text]
    print(f"\nredaction false positives on tests/nlu_heldout.yml: {len(changed)} of {len(texts)}: {changed}")
    assert len(changed) <= 0.005 * len(texts)


def test_the_domains_names_pass_the_stores_redaction_unchanged():
    """The store redacts every string of an event, names of intents, actions and slots too."""
    from launcher.settings import ROOT
    from tracker_store.redacting import redact_tree

    from conftest import load_yaml

    domain = load_yaml(ROOT / "domain.yml")
    names = (list(domain["intents"]) + list(domain["responses"]) + list(domain.get("actions", []))
             + list(domain.get("slots", {})) + list(domain.get("entities", []))
             + ["DIETClassifier", "FallbackClassifier", "RegexEntityExtractor", "socketio", "rest"])
    names = [name if isinstance(name, str) else next(iter(name)) for name in names]
    assert redact_tree({"names": names}) == {"names": names}


def test_the_bots_own_responses_are_stored_unchanged():
    """Bot texts are redacted too (a response may fill in a slot); none of the domain's may change."""
    from launcher.settings import ROOT

    from conftest import load_yaml

    texts = [variant.get("text", "") for variants in load_yaml(ROOT / "domain.yml")["responses"].values()
             for variant in variants]
    assert [text for text in texts if redact(text) != text] == []
