"""Several questions in one message: how a message is cut, and when it counts as several."""
import pytest

from components.questions import MIN_CONFIDENCE, focus_intent, focus_question, several_questions, split_questions


@pytest.mark.parametrize("text, questions", [
    ("Wat kost een behandeling? Hoe lang is de wachtlijst?",
     ["Wat kost een behandeling?", "Hoe lang is de wachtlijst?"]),
    ("wat is hechting en hoe merk je dat het misgaat",
     ["wat is hechting", "hoe merk je dat het misgaat"]),
    ("hoe ontstaat het, wat kan ik doen?", ["hoe ontstaat het", "wat kan ik doen?"]),
    ("wat zijn kenmerken en bij wie kan ik terecht?", ["wat zijn kenmerken", "bij wie kan ik terecht?"]),
    # a story stays with the question after it
    ("Mijn zoon van 6 slaat zijn zusje. Is dat normaal? Wat kan ik thuis doen?",
     ["Mijn zoon van 6 slaat zijn zusje. Is dat normaal?", "Wat kan ik thuis doen?"]),
    # the conjunction that joins a question to the one before is not part of it
    ("Welke signalen zie je in de klas?\nEn wat kan de leerkracht doen?",
     ["Welke signalen zie je in de klas?", "wat kan de leerkracht doen?"]),
    ("Wat is hechting? Hoe herken je het? Waar kan ik terecht? Wat kost het?",
     ["Wat is hechting?", "Hoe herken je het?", "Waar kan ik terecht?"]),
])
def test_cuts_a_message_into_its_questions(text, questions):
    assert split_questions(text) == questions


@pytest.mark.parametrize("text", [
    "wat is hechting?",
    "Mijn dochter huilt elke ochtend. Ik weet niet meer wat ik moet doen. Is dat normaal?",
    "ik weet niet wat ik moet doen",
    "hoe en wanneer?",
    "hoe groot is de invloed van afwijzing op hoe een kind zich hecht",  # no comma, no conjunction
    "kun je hechtingsproblemen bij een puber herkennen, en hoe dan?",  # too short to stand alone
    "Wat is onveilige hechting? En waarom?",
    # "zijn" starting a sentence is mostly "his": a story, not a question
    "zijn moeder was er nooit, hij zat vaak alleen. kan dat zijn hechting verstoord hebben?",
    "/inform_age{\"age_band\": \"baby\"}",
    "",
    None,
])
def test_one_question_is_not_cut(text):
    assert split_questions(text) == []


def q(intent, confidence=0.9, text="..."):
    return {"text": text, "intent": intent, "confidence": confidence}


def test_two_different_answers_make_several_questions():
    found = several_questions([q("ask_what_is_attachment"), q("ask_registration")])
    assert [x["intent"] for x in found] == ["ask_what_is_attachment", "ask_registration"]


def test_a_follow_up_with_an_aspect_asks_about_the_question_before_it():
    found = several_questions([q("ask_signs_home", text="hoe herken je het"),
                               q("ask_follow_up", text="en wat kan ik zelf thuis doen")])
    # The follow-up stays a follow-up of its kind; the answer action answers it (actions/answers.py).
    assert [x["intent"] for x in found] == ["ask_signs_home", "ask_follow_up"]
    assert found[1]["asked"] == "ask_follow_up" and found[1]["kind"] == "home"


@pytest.mark.parametrize("follow_up", ["welke factoren spelen daarbij een rol", "en waarom is dat belangrijk"])
def test_a_follow_up_asking_why_or_more_only_explains_the_question_before_it(follow_up):
    assert several_questions([q("ask_causes", text="hoe ontstaat het"), q("ask_follow_up", text=follow_up)]) is None


def test_a_follow_up_without_a_question_before_it_is_not_answered_here():
    assert several_questions([q("ask_follow_up", text="en op school?"), q("ask_causes")]) is None


@pytest.mark.parametrize("questions", [
    [q("ask_practical_info"), q("ask_practical_info")],  # one answer covers both
    [q("greet"), q("ask_what_is_attachment")],  # a greeting needs no answer of its own
    [q("ask_causes"), q("ask_registration", MIN_CONFIDENCE - 0.01)],  # not understood
    [q("ask_causes"), q("nlu_fallback")],
    [q("ask_cause_violence"), q("report_emergency")],  # the safety net decides on the whole text
])
def test_not_several_questions(questions):
    assert several_questions(questions) is None


def test_the_same_answer_twice_is_given_once():
    found = several_questions([q("ask_causes"), q("ask_causes"), q("ask_help_at_home")])
    assert [x["intent"] for x in found] == ["ask_causes", "ask_help_at_home"]


STORY = ("Sinds een half jaar woont ons pleegkind bij ons. Hij is vaak boos en wil niet getroost worden. "
         "We doen ons best maar twijfelen steeds meer of we het goed doen. Bij wie kunnen we terecht?")


def test_the_focus_of_a_long_story_is_its_last_question():
    assert focus_question(STORY) == "Bij wie kunnen we terecht?"


@pytest.mark.parametrize("text", ["Bij wie kunnen we terecht?", "Hij is vaak boos. Wat kan ik doen?",
                                  STORY.replace("?", ".").replace("Bij wie", "En bij wie")])
def test_short_messages_and_stories_without_a_question_have_no_focus(text):
    assert focus_question(text) is None


def test_the_focus_decides_when_it_is_understood_better_than_the_whole_story():
    question = q("ask_seek_help", 0.8)
    assert focus_intent("nlu_fallback", 0.3, question) == "ask_seek_help"
    assert focus_intent("ask_signs_home", 0.6, question) == "ask_seek_help"
    assert focus_intent("ask_signs_home", 0.85, question) is None
    assert focus_intent("nlu_fallback", 0.3, q("ask_seek_help", MIN_CONFIDENCE - 0.1)) is None
    assert focus_intent("nlu_fallback", 0.3, q("greet", 0.9)) is None


def test_the_focus_never_replaces_an_emergency():
    assert focus_intent("report_emergency", 0.5, q("ask_seek_help", 1.0)) is None


def test_a_sure_question_shaped_like_a_follow_up_keeps_its_own_answer():
    found = several_questions([q("ask_cause_many_caregivers", text="is het erg als er steeds andere verzorgers zijn"),
                               q("ask_treatment", 0.7, text="en wat doen jullie dan?")])
    assert [x["intent"] for x in found] == ["ask_cause_many_caregivers", "ask_treatment"]
    unsure = several_questions([q("ask_cause_many_caregivers", text="is het erg als er steeds andere verzorgers zijn"),
                                q("ask_treatment", 0.45, text="en wat doen jullie dan?")])
    assert [(x["intent"], x.get("kind")) for x in unsure] == [("ask_cause_many_caregivers", None),
                                                              ("ask_follow_up", "how")]  # the table decides
