"""The answer action, run the way the action server runs it (a rasa_sdk Tracker)."""
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import DEFAULT_CONTACT_URL, DEFAULT_REGISTRATION_URL, ActionAnswer, sent_before

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def bot(response, **metadata):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response, **metadata}}


def run(intent, slots=None, events=(), **latest):
    dispatcher = CollectingDispatcher()
    message = {"text": "...", "entities": [], "intent": {"name": intent}, **latest}
    tracker = Tracker("parent", slots or {}, message, list(events), False, None, {}, "action_listen")
    result = ActionAnswer().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, {e["name"]: e["value"] for e in result}


def test_registration_uses_the_default_url(monkeypatch):
    monkeypatch.delenv("OCRN_REGISTRATION_URL", raising=False)
    messages, slots = run("ask_registration")
    assert messages[0]["response"] == "utter_registration"
    assert messages[0]["registration_url"] == DEFAULT_REGISTRATION_URL
    assert slots["last_topic"] == "ask_registration"


def test_registration_and_contact_urls_are_configurable(monkeypatch):
    monkeypatch.setenv("OCRN_REGISTRATION_URL", "https://example.org/aanmelden")
    monkeypatch.setenv("OCRN_CONTACT_URL", "https://example.org/contact")
    messages, _ = run("ask_talk_to_person")
    assert messages[0]["response"] == "utter_talk_to_person"
    assert messages[0]["contact_url"] == "https://example.org/contact"
    assert messages[0]["registration_url"] == "https://example.org/aanmelden"


def test_blank_settings_fall_back_to_the_defaults(monkeypatch):
    monkeypatch.setenv("OCRN_REGISTRATION_URL", "  ")
    monkeypatch.setenv("OCRN_CONTACT_URL", "")
    messages, _ = run("ask_registration")
    assert messages[0]["registration_url"] == DEFAULT_REGISTRATION_URL
    assert messages[0]["contact_url"] == DEFAULT_CONTACT_URL


def test_registration_response_has_the_url_slot_and_asks_no_personal_data():
    for name in ("utter_registration", "utter_registration_teacher"):
        text = DOMAIN["responses"][name][0]["text"]
        assert "{registration_url}" in text and "geen namen" in text


def test_the_addresses_are_placed_once():
    files = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".yml", ".md", ".html", ".js"}
             and not {".venv", "models", "results", "var", ".git"} & set(p.relative_to(ROOT).parts)]
    for url in (DEFAULT_REGISTRATION_URL, DEFAULT_CONTACT_URL):
        holders = [p for p in files if url in p.read_text(encoding="utf-8", errors="ignore")]
        assert [p.relative_to(ROOT).as_posix() for p in holders] == ["actions/actions.py"]


def test_what_was_sent_comes_from_the_conversation_with_the_age_band_of_the_time():
    events = [bot("utter_signs_home"), {"event": "slot", "name": "age_band", "value": "baby"},
              bot("utter_age_band_note"), {"event": "user", "text": "..."}]
    assert sent_before(events) == {"utter_signs_home", "utter_age_band_note:baby"}


def test_a_topic_asked_again_in_the_conversation_is_not_repeated():
    messages, _ = run("ask_help_at_home", {"feedback_topics": ["thuis"]}, events=[bot("utter_help_at_home")])
    assert [m["response"] for m in messages] == ["utter_already_covered", "utter_help_at_home_explain"]
    assert messages[0]["topic_name"] == "wat thuis helpt"


def test_the_teacher_role_and_the_follow_up_kind_are_read_from_the_conversation():
    messages, slots = run("ask_follow_up", {"role": "teacher", "last_topic": "ask_signs_school"},
                          follow_up={"kind": "how"})
    assert messages[0]["response"] == "utter_teacher_tips"
    assert slots == {"last_topic": "ask_teacher_tips", "feedback_topics": ["leerkrachten"]}


def test_several_questions_come_from_the_parse_data():
    questions = [{"text": "wat is hechting", "intent": "ask_what_is_attachment", "confidence": 0.9},
                 {"text": "hoe meld ik me aan?", "intent": "ask_registration", "confidence": 0.9}]
    messages, _ = run("ask_several_questions", questions=questions)
    assert [m["response"] for m in messages][:3] == ["utter_several_questions", "utter_what_is_attachment",
                                                     "utter_registration"]


def test_no_danger_clears_the_pending_question():
    messages, slots = run("deny_danger", {"pending_topic": "ask_signs_home"})
    assert [m["response"] for m in messages][:2] == ["utter_no_danger", "utter_signs_home"]
    assert slots["pending_topic"] is None and slots["last_topic"] == "ask_signs_home"


def test_the_last_response_is_the_bots_before_the_latest_message():
    from actions.actions import last_response

    events = [{"event": "user"}, bot("utter_causes"), bot("utter_ask_what_was_missing"), {"event": "user"}]
    assert last_response(events) == "utter_ask_what_was_missing"
    assert last_response([{"event": "user"}]) is None
