"""Custom actions, run the way the action server runs them."""
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    DEFAULT_REGISTRATION_URL,
    ActionAnswerFollowUp,
    ActionAnswerPendingTopic,
    ActionAnswerQuestions,
    ActionShowRegistration,
)

ROOT = Path(__file__).resolve().parents[1]


def run_registration():
    dispatcher = CollectingDispatcher()
    tracker = Tracker("parent", {}, {}, [], False, None, {}, "action_listen")
    events = ActionShowRegistration().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_registration_uses_the_default_url(monkeypatch):
    monkeypatch.delenv("OCRN_REGISTRATION_URL", raising=False)
    messages, events = run_registration()
    assert events == []
    assert messages[0]["response"] == "utter_registration"
    assert messages[0]["registration_url"] == DEFAULT_REGISTRATION_URL


def test_registration_url_is_configurable(monkeypatch):
    monkeypatch.setenv("OCRN_REGISTRATION_URL", "https://example.org/aanmelden")
    messages, _ = run_registration()
    assert messages[0]["registration_url"] == "https://example.org/aanmelden"


def test_blank_setting_falls_back_to_default(monkeypatch):
    monkeypatch.setenv("OCRN_REGISTRATION_URL", "  ")
    messages, _ = run_registration()
    assert messages[0]["registration_url"] == DEFAULT_REGISTRATION_URL


def test_registration_response_has_the_url_slot_and_asks_no_personal_data():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    text = domain["responses"]["utter_registration"][0]["text"]
    assert "{registration_url}" in text
    assert "geen namen" in text


def test_registration_url_is_placed_once():
    files = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".yml", ".md", ".html", ".js"}
             and not {".venv", "models", "results", "var", ".git"} & set(p.relative_to(ROOT).parts)]
    holders = [p for p in files if DEFAULT_REGISTRATION_URL in p.read_text(encoding="utf-8", errors="ignore")]
    assert [p.relative_to(ROOT).as_posix() for p in holders] == ["actions/actions.py"]


# --- the feedback question, once per topic (actions/feedback.py) ---------------------

def run_ask_feedback(intent, asked=None):
    from actions.feedback import ActionAskFeedback

    dispatcher = CollectingDispatcher()
    tracker = Tracker("parent", {"feedback_topics": asked}, {"intent": {"name": intent}}, [],
                      False, None, {}, "action_listen")
    events = ActionAskFeedback().run(dispatcher, tracker, {})
    return [m["response"] for m in dispatcher.messages], events


def test_feedback_is_asked_for_a_new_topic_and_the_topic_remembered():
    messages, events = run_ask_feedback("ask_signs_school", asked=["hechting"])
    assert messages == ["utter_ask_feedback"]
    assert events == [{"event": "slot", "timestamp": None, "name": "feedback_topics",
                       "value": ["hechting", "herkennen"]}]


def test_feedback_is_not_asked_again_for_the_same_topic():
    assert run_ask_feedback("ask_signs_home", asked=["herkennen"]) == ([], [])
    assert run_ask_feedback("ask_cause_neglect", asked=["oorzaken"]) == ([], [])


def test_an_intent_without_a_topic_is_a_topic_of_its_own():
    messages, events = run_ask_feedback("ask_something_new", asked=None)
    assert messages == ["utter_ask_feedback"] and events[0]["value"] == ["ask_something_new"]
    assert run_ask_feedback(None) == ([], [])


def test_every_answer_that_ends_with_the_feedback_question_has_a_topic():
    from actions.feedback import TOPICS

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    grouped = [intent for intents in TOPICS.values() for intent in intents]
    assert len(grouped) == len(set(grouped)) and set(grouped) <= set(domain["intents"])
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
    asking = {step["intent"] for rule in rules
              if {"action": "action_ask_feedback"} in rule["steps"]
              for step in rule["steps"] if "intent" in step}
    assert asking and asking <= set(grouped), asking - set(grouped)


# --- follow-ups and several questions (actions/answers.py holds the table) -----------

def run_action(action, text, slots=None, entities=(), questions=None):
    latest = {"text": text, "entities": list(entities), "intent": {"name": "x"}}
    if questions is not None:
        latest["questions"] = questions
    tracker = Tracker("parent", slots or {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return [m["response"] for m in dispatcher.messages], events


def test_follow_up_about_school_after_the_signs_at_home():
    sent, events = run_action(ActionAnswerFollowUp(), "en hoe is dat op school?", {"last_topic": "ask_signs_home"})
    assert sent == ["utter_signs_school", "utter_ask_feedback"]
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic", "value": "ask_signs_school"},
                      {"event": "slot", "timestamp": None, "name": "feedback_topics", "value": ["herkennen"]}]


def test_follow_up_on_a_topic_already_asked_about_asks_no_feedback_again():
    sent, events = run_action(ActionAnswerFollowUp(), "en hoe is dat op school?",
                              {"last_topic": "ask_signs_home", "feedback_topics": ["herkennen"]})
    assert sent == ["utter_signs_school"]
    assert all(e["name"] != "feedback_topics" for e in events)


def test_follow_up_how_after_help_at_home_gets_the_treatment():
    sent, _ = run_action(ActionAnswerFollowUp(), "hoe pak ik dat aan?", {"last_topic": "ask_help_at_home"})
    assert sent == ["utter_treatment", "utter_ask_feedback"]


def test_follow_up_about_another_age_gets_the_age_note():
    sent, events = run_action(ActionAnswerFollowUp(), "en bij een tiener?",
                              {"last_topic": "ask_behaviour_normal", "age_band": "puber"},
                              entities=[{"entity": "age_band", "value": "puber"}])
    assert sent == ["utter_age_band_note", "utter_when_more_going_on", "utter_ask_feedback"]
    # The topic stays the behaviour, whose feedback topic is remembered.
    assert events == [{"event": "slot", "timestamp": None, "name": "feedback_topics", "value": ["gedrag"]}]


def test_follow_up_without_a_topic_offers_the_topics_and_asks_no_feedback():
    sent, events = run_action(ActionAnswerFollowUp(), "vertel eens meer")
    assert sent == ["utter_capabilities"] and events == []


def test_follow_up_to_registration_sends_the_address(monkeypatch):
    monkeypatch.delenv("OCRN_REGISTRATION_URL", raising=False)
    dispatcher = CollectingDispatcher()
    tracker = Tracker("parent", {"last_topic": "ask_treatment"}, {"text": "hoe begin ik daarmee?", "entities": []},
                      [], False, None, {}, "action_listen")
    ActionAnswerFollowUp().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_registration"
    assert dispatcher.messages[0]["registration_url"] == DEFAULT_REGISTRATION_URL


def test_several_questions_are_answered_in_order_then_one_feedback_question():
    questions = [{"text": "wat is hechting", "intent": "ask_what_is_attachment"},
                 {"text": "hoe meld ik me aan?", "intent": "ask_registration"}]
    sent, events = run_action(ActionAnswerQuestions(), "wat is hechting en hoe meld ik me aan?",
                              questions=questions)
    assert sent == ["utter_several_questions", "utter_what_is_attachment", "utter_registration",
                    "utter_ask_feedback"]
    assert events[0]["value"] == "ask_registration"
    assert events[1]["value"] == ["hechting", "aanmelden"]  # one question for both topics


def test_a_question_without_content_answer_among_several_is_skipped():
    questions = [{"text": "hoi!", "intent": "greet"}, {"text": "wat zijn signalen thuis?", "intent": "ask_signs_home"},
                 {"text": "hoe lang is de wachtlijst?", "intent": "ask_practical_info"}]
    sent, _ = run_action(ActionAnswerQuestions(), "...", questions=questions)
    assert sent == ["utter_several_questions", "utter_signs_home", "utter_practical_info", "utter_ask_feedback"]


def test_behaviour_without_an_age_asks_the_age_last_and_no_feedback():
    questions = [{"text": "is dat normaal?", "intent": "ask_behaviour_normal"},
                 {"text": "wat kan ik thuis doen?", "intent": "ask_help_at_home"}]
    sent, _ = run_action(ActionAnswerQuestions(), "...", questions=questions)
    assert sent == ["utter_several_questions", "utter_help_at_home", "utter_acknowledge_worry",
                    "utter_ask_child_age"]


# --- "geen gevaar" after the safety question ------------------------------------------

def test_no_danger_goes_on_with_the_question_that_came_with_the_safety_question():
    sent, events = run_action(ActionAnswerPendingTopic(), "/deny_danger", {"pending_topic": "ask_signs_home"})
    assert sent == ["utter_no_danger", "utter_signs_home", "utter_ask_feedback"]
    slots = {e["name"]: e["value"] for e in events}
    assert slots["pending_topic"] is None and slots["last_topic"] == "ask_signs_home"


def test_no_danger_without_a_page_topic_offers_the_topics():
    sent, events = run_action(ActionAnswerPendingTopic(), "geen gevaar", {"pending_topic": "report_emergency"})
    assert sent == ["utter_no_danger", "utter_capabilities"]
    assert [e["name"] for e in events] == ["pending_topic"]
