"""Staff act on conversations over HTTP: nagekeken, notes, tags, low confidence, the
emergency follow-up queue, corrections that become training data, a conversation that
becomes a passing test story, and erasure."""
import json
import re
import sqlite3
import uuid

import pytest
import yaml
from review_support import ROOT, audit_rows, events_of, post_form, python, sender

from bench.review_data import Generator
from components.danger_rules import rules
from content.topics import sent_by_code

# A danger rule fires on each (components/danger_rules.yml): the emergency answer, always.
RULE_EMERGENCIES = [rule.positives[0] for rule in rules()]
EXPLAINED = [line for line in (ROOT / "scripts" / "validate_explained.txt").read_text().splitlines()
             if line and not line.startswith("#")] + sent_by_code()  # as scripts/validate.sh


def page(sender_id: str) -> str:
    return f"/conversations/{sender_id}"


def insert_conversation(db, sender_id, messages):
    """A conversation written as Rasa stores it, with chosen intents and confidences:
    [(text, intent, confidence)], answered by the intent's response."""
    generator = Generator(seed=uuid.UUID(int=0).int)
    at = generator.now - 3600
    events = [generator._action(at, "action_session_start"), generator._event("session_started", at)]
    for n, (text, intent, confidence) in enumerate(messages):
        events += generator._turn(at + n * 60, generator._user(at + n * 60, text, intent, confidence),
                                  [f"utter_{intent[4:]}"])
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "insert into events (sender_id, type_name, timestamp, intent_name, action_name, data) "
            "values (?, ?, ?, ?, ?, ?)",
            [(sender_id, e["event"], e["timestamp"], e["parse_data"]["intent"]["name"] if e["event"] == "user"
              else None, e.get("name"), json.dumps(e)) for e in events])


@pytest.fixture(scope="module")
def chats(bot):
    senders = {kind: sender(kind) for kind in ("plain", "emergency", "net", "correct", "story", "erase", "cli",
                                               "low", "sure")}
    bot.say(senders["plain"], "welke signalen zie ik bij een kind dat slecht gehecht is")
    bot.say(senders["emergency"], "ik ben bang dat ik mijn baby iets aandoe, ik houd het niet meer")
    bot.say(senders["net"], RULE_EMERGENCIES[3])
    bot.say(senders["correct"], "Hallo, ik ben Marloes. waar kan ik terecht als ik me zorgen maak om mn dochter")
    bot.say(senders["correct"], "is het erg als een kind vaak van oppas wisselt")
    bot.say(senders["story"], "/greet")
    bot.say(senders["story"], "hoe kan ik thuis het beste omgaan met mijn kind dat hechtingsproblemen heeft")
    bot.say(senders["story"], "/feedback_positive")
    bot.say(senders["story"], "mijn zoontje van 3 slaat steeds als hij zijn zin niet krijgt, is dat normaal")
    for kind in ("erase", "cli"):
        bot.say(senders[kind], "mijn naam is Thijs, wat kost een behandeling bij jullie")
    insert_conversation(bot.db, senders["low"], [("wat is hechting nou", "ask_what_is_attachment", 0.97),
                                                 ("en dat andere dan?", "ask_causes", 0.41)])
    insert_conversation(bot.db, senders["sure"], [("wat is hechting", "ask_what_is_attachment", 0.93),
                                                  ("wat zijn de oorzaken", "ask_causes", 0.88)])
    return senders


def listed(staff, review, **params) -> set:
    """Every sender the export finds for these list filters (all pages)."""
    return {row["sender_id"] for row in staff.get(f"{review}/export.json", params=params, timeout=60).json()}


# --- nagekeken, notes, tags ---------------------------------------------------------------
def test_mark_reviewed_filters_and_logs(staff, review, chats, bot):
    target = chats["plain"]
    assert target in listed(staff, review, reviewed="nee")
    response = post_form(staff, review, page(target), "/act/reviewed", sender=target, value="1")
    assert response.status_code == 303 and response.headers["Location"] == page(target)
    assert "Nagekeken door medewerker" in staff.get(review + page(target), timeout=30).text
    assert target in listed(staff, review, reviewed="ja") and target not in listed(staff, review, reviewed="nee")
    assert page(target) in staff.get(f"{review}/", params={"reviewed": "ja"}, timeout=30).text  # the list page too
    account, address, *_ = audit_rows(bot.db, "reviewed", target)[-1]
    assert account == "medewerker" and address == "127.0.0.1"
    post_form(staff, review, page(target), "/act/reviewed", sender=target, value="0")
    assert target in listed(staff, review, reviewed="nee")


def test_a_note_is_kept_and_the_log_holds_only_its_length(staff, review, chats, bot):
    target = chats["plain"]
    note = "Ouder lijkt erg ongerust; antwoord over signalen was te lang."
    post_form(staff, review, page(target), "/act/note", sender=target, text=note)
    assert note in staff.get(review + page(target), timeout=30).text
    assert target in listed(staff, review, note="1") and chats["story"] not in listed(staff, review, note="1")
    details = json.loads(audit_rows(bot.db, "note", target)[-1][4])
    assert details == {"characters": len(note)} and note not in json.dumps(audit_rows(bot.db))


def test_tags_filter_and_test_conversations_leave_the_overview(staff, review, chats):
    target = chats["plain"]

    def conversations_in_overview():
        text = staff.get(f"{review}/summary", params={"periode": "alles"}, timeout=30).text
        return int(re.search(r'<dt>Gesprekken</dt><dd><span class="figure">(\d+)</span>', text).group(1))

    before = conversations_in_overview()
    post_form(staff, review, page(target), "/act/tags", sender=target, tag=["test", "inhoud"])
    assert target in listed(staff, review, tag="test") and target in listed(staff, review, tag="inhoud")
    assert target not in listed(staff, review, tag="voorbeeld")
    assert conversations_in_overview() == before - 1
    post_form(staff, review, page(target), "/act/tags", sender=target, tag=["inhoud"])
    assert conversations_in_overview() == before and target not in listed(staff, review, tag="test")


# --- low confidence ------------------------------------------------------------------------
def _typed_minimum(db, sender_id):
    """The lowest classifier confidence of a typed parent message, from the stored events."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select data from events where sender_id = ? and type_name = 'user'",
                                  (sender_id,)).fetchall()
    values = []
    for (data,) in rows:
        event = json.loads(data)
        if event["text"].startswith("/"):
            continue
        ranking = [r for r in event["parse_data"].get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        intent = event["parse_data"]["intent"]
        values.append(ranking[0]["confidence"] if intent["name"] == "nlu_fallback" and ranking
                      else intent["confidence"])
    return min(values, default=None)


def test_low_confidence_filter_matches_the_stored_confidences(staff, review, chats, bot):
    low = listed(staff, review, low="1")
    assert chats["low"] in low and chats["sure"] not in low
    everything = listed(staff, review)
    expected = {s for s in everything if (_typed_minimum(bot.db, s) or 1.0) < 0.6}
    assert low == expected


def test_low_confidence_messages_are_highlighted(staff, review, chats):
    text = staff.get(review + page(chats["low"]), timeout=30).text
    highlighted = re.findall(r'<li class="user[^"]*\blow\b[^"]*"', text)
    assert len(highlighted) == 1 and "de chat twijfelt" in text and "0,41" not in text


# --- emergency follow-up --------------------------------------------------------------------
def _open_count(staff, review) -> int:
    text = staff.get(f"{review}/summary", params={"periode": "alles"}, timeout=30).text
    return int(re.search(r"Nog op te volgen: <strong>(\d+)</strong>", text).group(1))


def _answered_emergency(db) -> set:
    """Conversations whose last alarm (the emergency answer or the safety question, or an
    emergency intent) no follow-up covers, from the tables themselves."""
    with sqlite3.connect(db) as connection:
        return {s for (s,) in connection.execute(
            "select e.sender_id from events e left join review_followups f on f.sender_id = e.sender_id "
            "where (e.type_name = 'action' and e.action_name in ('utter_emergency', 'utter_safety_check')) "
            "or (e.type_name = 'user' and e.intent_name in ('report_emergency', 'report_possible_emergency')) "
            "group by e.sender_id having max(e.timestamp) > coalesce(max(f.covers), 0)")}


def test_every_alarm_waits_in_the_queue(staff, review, chats, bot):
    queue = staff.get(f"{review}/noodsituaties", timeout=30).text
    expected = _answered_emergency(bot.db)
    assert chats["net"] in expected and chats["plain"] not in expected
    assert page(chats["net"]) in queue and page(chats["plain"]) not in queue
    assert f"{len(expected)} nog op te volgen" in queue and _open_count(staff, review) == len(expected)
    front = staff.get(f"{review}/", timeout=30).text
    assert f"{len(expected)} noodsituatie" in front and "open om op te volgen" in front


def test_following_up_needs_a_note_and_reopens_on_a_new_emergency(staff, review, chats, bot):
    target = chats["net"]
    before = _open_count(staff, review)
    refused = post_form(staff, review, page(target), "/act/followup", sender=target, note="  ")
    assert refused.status_code == 303 and page(target) in staff.get(f"{review}/noodsituaties", timeout=30).text
    post_form(staff, review, page(target), "/act/followup", sender=target, note="Gelezen, hulplijnen gegeven.")
    assert page(target) not in staff.get(f"{review}/noodsituaties", timeout=30).text
    assert "Gelezen, hulplijnen gegeven." in staff.get(f"{review}/noodsituaties?alle=1", timeout=30).text
    assert _open_count(staff, review) == before - 1
    assert audit_rows(bot.db, "followup", target)
    bot.say(target, RULE_EMERGENCIES[0])
    assert page(target) in staff.get(f"{review}/noodsituaties", timeout=30).text


# --- correct the bot ------------------------------------------------------------------------
def _user_events(db, sender_id):
    with sqlite3.connect(db) as connection:
        return connection.execute("select id, data from events where sender_id = ? and type_name = 'user' "
                                  "order by id", (sender_id,)).fetchall()


def test_a_correction_over_http_becomes_valid_training_data_once(staff, review, chats, bot, tmp_path):
    target = chats["correct"]
    (first, first_data), (second, _) = _user_events(bot.db, target)
    for intent in ("ask_seek_help", "ask_treatment", "ask_seek_help"):  # the same message, corrected 3 times
        response = post_form(staff, review, page(target), "/act/correction", sender=target, event=str(first),
                             intent=intent)
        assert response.status_code == 303
    post_form(staff, review, page(target), "/act/correction", sender=target, event=str(second),
              intent="ask_cause_many_caregivers")
    assert "dit had moeten zijn <strong>Bij wie kan ik terecht?</strong>" in \
        staff.get(review + page(target), timeout=30).text
    with sqlite3.connect(bot.db) as connection:
        stored = connection.execute("select text from review_corrections where sender_id = ?", (target,)).fetchall()
    assert len(stored) == 2 and not [t for (t,) in stored if "Marloes" in t]

    out = tmp_path / "nlu.yml"
    result = python("review.training", "--output", str(out), "--db-url", f"sqlite:///{bot.db}")
    assert result.returncode == 0, result.stderr
    examples = {}
    for block in yaml.safe_load(out.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            examples.setdefault(line.strip()[2:], []).append(block["intent"])
    redacted = json.loads(first_data)["text"]
    assert examples[redacted] == ["ask_seek_help"]  # corrected three times, exported once
    assert examples["is het erg als een kind vaak van oppas wisselt"] == ["ask_cause_many_caregivers"]
    validate = python("rasa", "data", "validate", "--data", "data", str(out), "--domain", "domain.yml")
    assert validate.returncode == 0, validate.stdout[-2000:]
    warnings = [w for w in re.findall(r"UserWarning: (.*)", validate.stdout + validate.stderr)
                if not any(known in w for known in EXPLAINED)]
    assert warnings == []
    again = python("review.training", "--output", str(tmp_path / "again.yml"), "--db-url", f"sqlite:///{bot.db}")
    assert again.returncode == 0 and redacted not in (tmp_path / "again.yml").read_text(encoding="utf-8")


def test_button_presses_cannot_be_corrected(staff, review, chats, bot):
    target = chats["story"]
    button = [event_id for event_id, data in _user_events(bot.db, target) if json.loads(data)["text"] == "/greet"]
    response = post_form(staff, review, page(target), "/act/correction", sender=target, event=str(button[0]),
                         intent="ask_causes")
    assert response.status_code == 400


# --- a real conversation as a test story ------------------------------------------------------
def test_a_tagged_conversation_exports_as_a_story_that_passes_rasa_test_core(staff, review, chats, bot, tmp_path):
    target = chats["story"]
    post_form(staff, review, page(target), "/act/tags", sender=target, tag=["voorbeeld"])
    out = tmp_path / "stories.yml"
    result = python("review.stories", "--output", str(out), "--db-url", f"sqlite:///{bot.db}")
    assert result.returncode == 0, result.stderr
    stories = yaml.safe_load(out.read_text(encoding="utf-8"))["stories"]
    assert len(stories) == 1
    steps = stories[0]["steps"]
    assert {"action": "utter_feedback_positive"} in steps
    assert any('{"entity": "age_band", "value": "peuter_kleuter"}' in step.get("user", "") for step in steps)
    results = tmp_path / "results"
    core = python("rasa", "test", "core", "--stories", str(out), "--model", "models/ocrn.tar.gz",
                  "--fail-on-prediction-errors", "--out", str(results), timeout=600)
    assert core.returncode == 0, (core.stdout + core.stderr)[-3000:]
    report = json.loads((results / "story_report.json").read_text())
    assert report["conversation_accuracy"]["total"] == 1 and report["conversation_accuracy"]["correct"] == 1


# --- erase ---------------------------------------------------------------------------------------
def test_erase_asks_to_confirm_then_removes_every_event_and_staff_record(staff, review, chats, bot):
    target = chats["erase"]
    post_form(staff, review, page(target), "/act/note", sender=target, text="wil gewist worden")
    event_id = _user_events(bot.db, target)[0][0]
    post_form(staff, review, page(target), "/act/correction", sender=target, event=str(event_id),
              intent="ask_practical_info")
    confirm = staff.get(f"{review}/wissen", params={"sender": target}, timeout=30)
    assert confirm.status_code == 200 and "voorgoed wissen" in confirm.text
    refused = post_form(staff, review, f"/wissen?sender={target}", "/wissen", sender=target)
    assert refused.status_code == 400 and events_of(bot.db, target) > 0
    done = post_form(staff, review, f"/wissen?sender={target}", "/wissen", sender=target, confirm="ja")
    assert done.status_code == 303 and events_of(bot.db, target) == 0
    with sqlite3.connect(bot.db) as connection:
        left = sum(connection.execute(f"select count(*) from {table} where sender_id = ?", (target,)).fetchone()[0]
                   for table in ("review_conversations", "review_topics", "review_notes", "review_corrections"))
    assert left == 0
    assert staff.get(review + page(target), timeout=30).status_code == 404
    entry = audit_rows(bot.db, "erase", target)[-1]
    assert entry[0] == "medewerker" and json.loads(entry[4])["events"] > 0


def test_erase_from_the_command_line_asks_to_type_ja(bot, chats):
    target = chats["cli"]
    kept = python("review.erase", target, "--db-url", f"sqlite:///{bot.db}", stdin="nee\n")
    assert kept.returncode == 1 and events_of(bot.db, target) > 0
    erased = python("review.erase", target, "--db-url", f"sqlite:///{bot.db}", stdin="ja\n")
    assert erased.returncode == 0, erased.stderr
    assert events_of(bot.db, target) == 0 and audit_rows(bot.db, "erase", target)[-1][0].startswith("shell")
