"""Redaction of personal data on a planted set: every item caught, clean messages untouched."""
from pathlib import Path

import pytest
import yaml

from tracker_store.redact import PLACEHOLDERS, bsn_eleven_test, iban_checksum_ok, redact

CASES = yaml.safe_load((Path(__file__).parent / "data" / "redaction_cases.yml").read_text(encoding="utf-8"))


def _missed(case):
    """Planted items still in the redacted text, or kinds whose placeholder is absent."""
    redacted = redact(case["text"])
    missed = []
    for kind, items in case["pii"].items():
        missed += [item for item in items if item.lower() in redacted.lower()]
        if f"[{kind}]" not in redacted:
            missed.append(f"[{kind}] missing")
    return redacted, missed


def test_the_planted_set_is_big_enough_and_covers_every_kind():
    kinds = {kind for case in CASES["personal"] for kind in case["pii"]}
    assert kinds == {p.strip("[]") for p in PLACEHOLDERS}
    assert len(CASES["personal"]) >= 60 and len(CASES["clean"]) >= 40


def test_recall_is_complete_on_the_planted_set():
    planted = sum(len(items) for case in CASES["personal"] for items in case["pii"].values())
    failures = []
    for case in CASES["personal"]:
        redacted, missed = _missed(case)
        if missed:
            failures.append((case["text"], redacted, missed))
    missed_items = sum(len(m) for _, _, m in failures)
    print(f"\nredaction recall: {1 - missed_items / planted:.3f} "
          f"({planted - missed_items}/{planted} items in {len(CASES['personal'])} messages)")
    assert failures == []


def test_no_false_positives_on_clean_messages():
    changed = [(text, redact(text)) for text in CASES["clean"] if redact(text) != text]
    print(f"\nredaction false positives: {len(changed)} of {len(CASES['clean'])} clean messages")
    assert changed == []


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
        tracker.update(UserUttered(raw, {"name": "greet", "confidence": 0.9},
                                   [{"entity": "age_band", "value": "puber", "text": "Fatima"}]))
        tracker.update(BotUttered("Hoi Fatima!"))
        tracker.update(SlotSet("age_band", "bel 06-12345678"))
        assert tracker.latest_message.text == raw  # the current turn keeps the raw text
        await store.save(tracker)
        restarted = create_tracker_store(config, domain)
        return await restarted.retrieve("parent")

    reloaded = asyncio.run(conversation())
    assert reloaded.latest_message.text == "Ik ben [naam], bel [telefoon] of mail [e-mail]"
    assert reloaded.latest_message.entities[0]["value"] == "puber"
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
            raw = connection.connection.connection
    assert store.engine.pool.checkedin() == 1  # the connection stays open for the next turn
    with store.engine.connect() as connection:
        assert connection.connection.connection is raw

def test_parent_questions_from_the_nlu_data_are_left_alone():
    """A broad check for false positives: the training and held-out messages hold
    hardly any personal data, so almost none may change."""
    from launcher.settings import ROOT

    from conftest import nlu_examples

    texts = [text for path in (ROOT / "data" / "nlu.yml", ROOT / "tests" / "nlu_heldout.yml")
             for text, _ in nlu_examples(path)]
    changed = [(text, redact(text)) for text in texts if redact(text) != text]
    print(f"\nNLU messages changed by redaction: {len(changed)} of {len(texts)}: {changed[:5]}")
    assert len(changed) <= 0.005 * len(texts)


def test_the_bots_own_responses_are_stored_unchanged():
    """Bot texts are redacted too (a response may fill in a slot); none of the domain's may change."""
    from launcher.settings import ROOT

    from conftest import load_yaml

    texts = [variant.get("text", "") for variants in load_yaml(ROOT / "domain.yml")["responses"].values()
             for variant in variants]
    assert [text for text in texts if redact(text) != text] == []
