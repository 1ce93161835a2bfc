"""The answers custom actions give: the same as the rules, and a sensible follow-up table."""
import pytest
import yaml

from actions import answers
from actions.answers import (
    AGE,
    AGE_NOTE,
    ANSWERS,
    HOME,
    HOW,
    MORE,
    SCHOOL,
    WHY,
    follow_up_kind,
    follow_up_shaped,
    follow_up_target,
    responses_for,
)
from actions.names import REGISTRATION_ACTION, REGISTRATION_RESPONSE
from launcher.settings import ROOT

RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def rule_answers():
    """intent -> actions of its single-turn rule without the feedback question."""
    found = {}
    for rule in RULES:
        steps = rule["steps"]
        if len(steps) >= 2 and "intent" in steps[0] and all("action" in s for s in steps[1:]) \
                and steps[-1]["action"] == "action_ask_feedback":
            acts = tuple(REGISTRATION_RESPONSE if s["action"] == REGISTRATION_ACTION else s["action"]
                         for s in steps[1:-1])
            found[steps[0]["intent"]] = acts
    return found


def test_every_content_rule_answers_as_the_actions_do():
    rules = rule_answers()
    rules.pop("inform_age")  # an age answer is no topic of its own
    behaviour = "ask_behaviour_normal"  # its rules depend on the age slot: checked below
    assert {i: a for i, a in ANSWERS.items() if i != behaviour} == rules


def behaviour_rule_actions(age_known):
    for rule in RULES:
        steps = rule["steps"]
        if steps[0].get("intent") == "ask_behaviour_normal":
            if (steps[1]["slot_was_set"][0]["age_band"] is not None) == age_known:
                return [s["action"] for s in steps if "action" in s and s["action"] != "action_ask_feedback"]


def test_behaviour_answer_follows_both_behaviour_rules():
    for age_known in (True, False):
        assert responses_for("ask_behaviour_normal", age_known) == behaviour_rule_actions(age_known)


def test_every_answer_is_a_response_of_the_domain():
    responses = set(DOMAIN["responses"])
    assert {r for acts in ANSWERS.values() for r in acts} <= responses
    for topic in ANSWERS:
        for kind in (SCHOOL, HOME, WHY, HOW, MORE, AGE):
            for age_known in (True, False):
                assert set(responses_for(follow_up_target(topic, kind), age_known)) <= responses


def test_the_last_topic_slot_is_set_for_every_content_intent():
    mappings = DOMAIN["slots"]["last_topic"]["mappings"]
    assert {m["intent"]: m["value"] for m in mappings} == {i: i for i in ANSWERS}


def test_follow_ups_never_answer_the_same_topic_again_where_the_page_has_more():
    same = [(t, k) for t in ANSWERS for k in (SCHOOL, HOME, WHY, MORE)
            if follow_up_target(t, k) == t]
    assert same == [("ask_practical_info", WHY)]  # the page says nothing about costs or waiting


@pytest.mark.parametrize("text, has_age, kind", [
    ("en in de klas?", False, SCHOOL), ("geldt dat ook voor de juf?", False, SCHOOL),
    ("en op de opvang?", False, SCHOOL), ("en thuis?", False, HOME), ("wat kan ik zelf doen?", False, HOME),
    ("waarom is dat zo?", False, WHY), ("hoe komt dat?", False, WHY), ("wrm", False, WHY),
    ("waar komt het vandaan?", False, WHY), ("hoe kan dat nou?", False, WHY),
    ("hoe doe ik dat dan?", False, HOW), ("wat moet ik dan doen", False, HOW), ("wat kunnen we dan doen", False, HOW),
    ("vertel eens meer", False, MORE), ("en verder?", False, MORE), ("en bij een puber?", True, AGE),
    ("waarom zou ik daar als moeder iets mee moeten?", False, WHY),  # opens with "why": not "home"
    ("maar hoezo in de klas?", False, WHY),
])
def test_kind_of_follow_up(text, has_age, kind):
    assert follow_up_kind(text, has_age) == kind


@pytest.mark.parametrize("topic, kind, target", [
    ("ask_signs_home", SCHOOL, "ask_signs_school"),
    ("ask_signs_home", WHY, "ask_causes"),
    ("ask_help_at_home", HOW, "ask_treatment"),
    ("ask_help_at_home", SCHOOL, "ask_teacher_tips"),
    ("ask_what_is_attachment", MORE, "ask_attachment_problems"),
    ("ask_signs_school", HOME, "ask_signs_home"),
    ("ask_seek_help", HOW, "ask_registration"),
    ("ask_cause_trauma", MORE, "ask_causes"),
    ("ask_behaviour_normal", AGE, AGE_NOTE),
    (None, AGE, AGE_NOTE),
])
def test_follow_up_target(topic, kind, target):
    assert follow_up_target(topic, kind) == target


def test_without_a_previous_topic_the_topics_are_offered():
    assert follow_up_target(None, MORE) is None
    assert responses_for(None, age_known=False) == ["utter_capabilities"]


def test_age_note_answers_an_age_follow_up():
    assert responses_for(AGE_NOTE, age_known=True) == ["utter_age_band_note", "utter_when_more_going_on"]


def test_the_table_has_a_row_for_every_topic():
    assert set(answers._FOLLOW_UPS) == set(ANSWERS)


@pytest.mark.parametrize("text", [
    "en in de klas?", "maar waarom?", "hoe kan ik dat voorkomen?", "waarom niet?", "wat bedoel je?",
    "en als hij niet wil?", "oké, en nu?",
])
def test_shaped_like_a_follow_up(text):
    assert follow_up_shaped(text)


@pytest.mark.parametrize("text", [
    "en hoe meld ik me aan?",  # names its own topic
    "en wat kost dat?",
    "waarom hecht een kind niet goed?",
    "mijn zoon slaat zijn zusje, wat moet ik doen?",  # starts with its own story
    "dat helpt me niet",  # an answer to the feedback question
    "wat kun je allemaal vertellen over hechting bij pleegkinderen en adoptie",  # long, own topic
    "",
])
def test_not_shaped_like_a_follow_up(text):
    assert not follow_up_shaped(text)
