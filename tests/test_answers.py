"""The one place that chooses the answer (actions/answers.py): `choose` on conversation states,
and the follow-up kinds the NLU components extract (components/follow_up.py)."""
import pytest
import yaml

from actions.answers import (
    AGE_NOTE,
    CONTENT_INTENTS,
    REPEATABLE,
    TURNS,
    State,
    audience,
    choose,
    follow_up_answer,
    follow_up_target,
)
from components.follow_up import AGE, EXPLAIN, HOME, HOW, MORE, SCHOOL, WHY, follow_up_kind, follow_up_shaped
from launcher.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = set(DOMAIN["responses"])


def answer(intent, **state):
    return choose(State(intent=intent, available=RESPONSES, **state)).names()


# --- a question answered once, for this reader -----------------------------------------

def test_a_content_question_gets_its_answer_then_the_feedback_question():
    assert answer("ask_what_is_attachment") == ["utter_what_is_attachment", "utter_ask_feedback"]


def test_the_feedback_question_comes_once_per_group():
    assert answer("ask_signs_school", feedback_asked=["herkennen"]) == ["utter_signs_school"]
    plan = choose(State(intent="ask_causes", available=RESPONSES, feedback_asked=["herkennen"]))
    assert plan.feedback_asked == ["herkennen", "oorzaken"]


def test_the_privacy_answer_asks_no_feedback():
    assert answer("ask_chat_privacy") == ["utter_chat_privacy"]


@pytest.mark.parametrize("role, country, band, reader", [
    (None, None, None, None), ("teacher", "be", "puber", "teacher"), ("professional", None, None, "teacher"),
    ("foster_parent", "be", None, "be"), (None, None, "puber", "older"), (None, None, "schoolkind", "older"),
    (None, None, "baby", None), ("grandparent", None, "peuter_kleuter", None),
])
def test_the_reader(role, country, band, reader):
    assert audience(State(intent=None, role=role, country=country, age_band=band)) == reader


def test_who_to_talk_to_fits_the_reader():
    assert answer("ask_seek_help") == ["utter_seek_help", "utter_talk_to_others", "utter_ask_feedback"]
    assert answer("ask_seek_help", age_band="puber")[1] == "utter_talk_to_others_older"
    assert answer("ask_seek_help", country="be")[1] == "utter_talk_to_others_be"
    assert answer("ask_seek_help", role="teacher")[:2] == ["utter_seek_help_teacher", "utter_talk_to_others_teacher"]


def test_no_consultatiebureau_for_a_teenager_and_no_talk_with_the_teacher_for_a_teacher():
    texts = lambda names: " ".join(DOMAIN["responses"][n][0]["text"] for n in names)  # noqa: E731
    for intent in ("ask_signs_home", "ask_seek_help", "ask_diagnosis"):
        assert "consultatiebureau" not in texts(answer(intent, age_band="puber"))
        assert "de leerkracht" not in texts(answer(intent, role="teacher"))
        assert "consultatiebureau" not in texts(answer(intent, country="be"))


def test_a_teacher_asking_what_helps_gets_the_teacher_tips_and_registration_through_parents():
    assert answer("ask_help_at_home", role="teacher")[0] == "utter_teacher_tips"
    assert answer("ask_registration", role="teacher")[0] == "utter_registration_teacher"
    assert answer("ask_registration")[0] == "utter_registration"


# --- the age: asked once at most, never when known ---------------------------------------

def test_behaviour_without_an_age_acknowledges_and_asks_it_without_feedback():
    assert answer("ask_behaviour_normal") == ["utter_acknowledge_worry", "utter_ask_child_age"]


def test_behaviour_with_a_known_age_gets_the_note_and_who_to_talk_to():
    assert answer("ask_behaviour_normal", age_band="peuter_kleuter") == [
        "utter_acknowledge_worry", "utter_age_band_note", "utter_seek_help", "utter_talk_to_others",
        "utter_ask_feedback"]


def test_the_age_question_is_never_asked_twice():
    sent = {"utter_acknowledge_worry", "utter_ask_child_age"}
    names = answer("ask_behaviour_normal", sent=sent)
    assert "utter_ask_child_age" not in names and "utter_age_band_note" in names


def test_an_age_answer_gets_the_note_for_that_age():
    assert answer("inform_age", age_band="baby")[:3] == ["utter_age_band_note", "utter_seek_help",
                                                          "utter_talk_to_others"]


def test_a_second_child_of_another_age_gets_its_own_note_but_no_repeat_of_the_rest():
    sent = {"utter_age_band_note:baby", "utter_seek_help", "utter_talk_to_others", "utter_acknowledge_worry"}
    assert answer("inform_age", age_band="puber", sent=sent)[:2] == ["utter_age_band_note",
                                                                      "utter_talk_to_others_older"]
    assert answer("inform_age", age_band="baby", sent=sent)[0] == "utter_already_covered"


# --- no word-for-word repeats ------------------------------------------------------------

def test_a_topic_asked_again_says_so_and_explains_it_another_way():
    plan = choose(State(intent="ask_help_at_home", available=RESPONSES, sent={"utter_help_at_home"},
                        feedback_asked=["thuis"]))
    assert plan.names() == ["utter_already_covered", "utter_help_at_home_explain"]
    assert plan.responses[0][1] == {"topic_name": "wat thuis helpt"}


def test_a_topic_asked_a_third_time_offers_a_person():
    sent = {"utter_help_at_home", "utter_help_at_home_explain"}
    assert answer("ask_help_at_home", sent=sent, feedback_asked=["thuis"]) == [
        "utter_already_covered", "utter_offer_person"]


def test_only_what_was_not_said_yet_is_sent():
    sent = {"utter_signs_home", "utter_seek_help", "utter_talk_to_others"}
    assert answer("ask_diagnosis", sent=sent)[0] == "utter_no_diagnosis"
    assert "utter_talk_to_others" not in answer("ask_diagnosis", sent=sent)


@pytest.mark.parametrize("intent", sorted(CONTENT_INTENTS))
def test_no_topic_ever_repeats_a_response(intent):
    sent, asked = set(), []
    for _ in range(4):
        plan = choose(State(intent=intent, available=RESPONSES, sent=set(sent), feedback_asked=asked))
        repeated = [n for n in plan.names() if n in sent and n not in ("utter_ask_feedback",)]
        assert repeated == [] or set(repeated) == {"utter_already_covered"}
        sent |= {f"{n}:None" if n == "utter_age_band_note" else n for n in plan.names()}
        asked = plan.feedback_asked or asked


# --- follow-ups by kind ------------------------------------------------------------------

def test_hoe_bedoel_je_explains_the_topic_in_play():
    assert answer("ask_follow_up", follow_up_kind=EXPLAIN, last_topic="ask_teacher_tips")[0] == \
        "utter_teacher_tips_explain"


def test_an_explain_follow_up_on_a_topic_without_plain_words_goes_on_to_the_next_part():
    assert answer("ask_follow_up", follow_up_kind=EXPLAIN, last_topic="ask_cause_trauma")[0] == "utter_causes"


def test_what_can_i_do_gets_what_helps_for_the_topic():
    assert answer("ask_follow_up", follow_up_kind=HOW, last_topic="ask_signs_home")[0] == "utter_help_at_home"
    assert answer("ask_follow_up", follow_up_kind=HOW, last_topic="ask_signs_school")[0] == "utter_teacher_tips"


def test_another_setting_or_age():
    assert answer("ask_follow_up", follow_up_kind=SCHOOL, last_topic="ask_signs_home")[0] == "utter_signs_school"
    assert answer("ask_follow_up", follow_up_kind=AGE, last_topic="ask_signs_home",
                  age_band="puber")[0] == "utter_age_band_note"


def test_a_follow_up_without_a_topic_offers_the_topics_without_feedback():
    assert answer("ask_follow_up", follow_up_kind=MORE) == ["utter_capabilities"]


@pytest.mark.parametrize("topic, kind, target", [
    ("ask_signs_home", SCHOOL, "ask_signs_school"), ("ask_signs_home", WHY, "ask_causes"),
    ("ask_help_at_home", HOW, "ask_treatment"), ("ask_help_at_home", SCHOOL, "ask_teacher_tips"),
    ("ask_what_is_attachment", MORE, "ask_attachment_problems"), ("ask_signs_school", HOME, "ask_signs_home"),
    ("ask_seek_help", HOW, "ask_registration"), ("ask_cause_trauma", MORE, "ask_causes"),
])
def test_follow_up_target(topic, kind, target):
    assert follow_up_target(topic, kind) == target


def test_follow_up_answer_of_an_age_and_of_plain_words():
    assert follow_up_answer(None, AGE) == AGE_NOTE
    assert follow_up_answer("ask_help_at_home", EXPLAIN) == "ask_help_at_home"
    assert follow_up_answer(None, MORE) is None


# --- several questions and "geen gevaar" -------------------------------------------------

def test_several_questions_are_answered_in_order_with_one_feedback_question():
    questions = [{"intent": "ask_what_is_attachment"}, {"intent": "ask_registration"}]
    plan = choose(State(intent="ask_several_questions", questions=questions, available=RESPONSES))
    assert plan.names() == ["utter_several_questions", "utter_what_is_attachment", "utter_registration",
                            "utter_ask_feedback"]
    assert plan.topic == "ask_registration" and plan.feedback_asked == ["hechting", "aanmelden"]


def test_a_follow_up_among_several_questions_leans_on_the_question_before_it():
    questions = [{"intent": "ask_signs_home"}, {"intent": "ask_follow_up", "kind": SCHOOL}]
    assert answer("ask_several_questions", questions=questions)[1:4] == [
        "utter_signs_home", "utter_talk_to_others", "utter_signs_school"]


def test_the_behaviour_question_with_the_age_question_goes_last():
    questions = [{"intent": "ask_behaviour_normal"}, {"intent": "ask_help_at_home"}]
    assert answer("ask_several_questions", questions=questions) == [
        "utter_several_questions", "utter_help_at_home", "utter_acknowledge_worry", "utter_ask_child_age"]


def test_two_questions_with_the_same_answer_get_it_once():
    questions = [{"intent": "ask_signs_home"}, {"intent": "ask_follow_up", "kind": WHY},
                 {"intent": "ask_causes"}]
    assert answer("ask_several_questions", questions=questions).count("utter_causes") == 1


def test_no_danger_goes_on_with_the_pending_question():
    assert answer("deny_danger", pending_topic="ask_signs_home")[:2] == ["utter_no_danger", "utter_signs_home"]
    assert answer("deny_danger", pending_topic="report_emergency") == ["utter_no_danger", "utter_capabilities"]


# --- the follow-up kinds (components/follow_up.py) --------------------------------------

@pytest.mark.parametrize("text, has_age, kind", [
    ("en in de klas?", False, SCHOOL), ("geldt dat ook voor de juf?", False, SCHOOL),
    ("en op de opvang?", False, SCHOOL), ("en thuis?", False, HOME), ("wat kan ik zelf doen?", False, HOME),
    ("waarom is dat zo?", False, WHY), ("hoe komt dat?", False, WHY), ("wrm", False, WHY),
    ("waar komt het vandaan?", False, WHY), ("hoe kan dat nou?", False, WHY),
    ("hoe doe ik dat dan?", False, HOW), ("wat moet ik dan doen", False, HOW), ("wat kunnen we dan doen", False, HOW),
    ("vertel eens meer", False, MORE), ("en verder?", False, MORE), ("en bij een puber?", True, AGE),
    ("waarom zou ik daar als moeder iets mee moeten?", False, WHY),  # opens with "why": not "home"
    ("maar hoezo in de klas?", False, WHY),
    ("hoe bedoel je dat precies?", False, EXPLAIN), ("wat betekent dat nou weer", False, EXPLAIN),
    ("klopt dat echt?", False, EXPLAIN), ("kun je dat in gewone woorden zeggen", False, EXPLAIN),
    ("snap ik niet, leg het eens uit", False, EXPLAIN),
])
def test_kind_of_follow_up(text, has_age, kind):
    assert follow_up_kind(text, has_age) == kind


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


@pytest.mark.parametrize("intent", sorted(TURNS))
def test_a_turn_of_the_conversation_twice_is_said_in_other_words(intent):
    first = answer(intent)
    second = answer(intent, sent=set(first))
    third = answer(intent, sent=set(first) | set(second))
    assert first != second and len(first) == len(second) == len(third) == 1
    assert "utter_ask_feedback" not in first + second + third


@pytest.mark.parametrize("response", sorted(REPEATABLE))
def test_every_response_that_may_come_again_is_short_enough(response):
    # The conversation judge counts a message of REPEAT_MIN_CHARS or more sent twice as a
    # word-for-word repeat; a response that may come again stays under it in every variant.
    from bench.conversation_eval import REPEAT_MIN_CHARS

    texts = [variant["text"] for variant in DOMAIN["responses"][response]]
    assert [t for t in texts if len(t) >= REPEAT_MIN_CHARS] == [], response


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope", "feedback_negative"])
def test_the_reply_to_what_was_missing_gets_thanks_not_dat_begreep_ik_niet(intent):
    sent = {"utter_ask_what_was_missing"}
    assert answer(intent, last_response="utter_ask_what_was_missing", sent=sent) == ["utter_feedback_negative"]


def test_a_page_question_after_what_was_missing_is_answered():
    assert answer("ask_causes", last_response="utter_ask_what_was_missing")[0] == "utter_causes"
