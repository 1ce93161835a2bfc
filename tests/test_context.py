"""Age answers decided by the conversation (components/context.py)."""
import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.context import (
    ANSWER_TO_AGE_QUESTION,
    FOLLOW_UP_ON_TOPIC,
    ONLY_AN_AGE,
    asks_meaning_of,
    intent_in_context,
    last_bot_response,
    last_bot_text,
)


@pytest.mark.parametrize("text", ["12", "bijna 7", "tien maanden", "groep 3", "pas 4", "tiener"])
def test_a_bare_age_is_an_age_answer_anywhere(text):
    assert intent_in_context(text, "nlu_fallback", has_age=True, asked_age=False) == ("inform_age", ONLY_AN_AGE)


def test_after_the_age_question_any_message_with_an_age_answers_it():
    text = "hij is 9 en heeft het moeilijk met vriendjes"
    assert intent_in_context(text, "ask_signs_home", has_age=True, asked_age=True) == (
        "inform_age", ANSWER_TO_AGE_QUESTION)
    assert intent_in_context(text, "ask_signs_home", has_age=True, asked_age=False) is None


def test_more_about_the_behaviour_with_the_age_is_an_age_answer_after_the_age_question():
    """The acknowledgement came just before the age question: now the age sentence."""
    assert intent_in_context("ze is 14 en wil niet meer naar school", "ask_behaviour_normal", has_age=True,
                             asked_age=True) == ("inform_age", ANSWER_TO_AGE_QUESTION)


@pytest.mark.parametrize("intent", ["ask_several_questions", "report_emergency"])
def test_some_intents_keep_their_own_answer_after_the_age_question(intent):
    assert intent_in_context("ze is 14 en wil niet meer naar school", intent, has_age=True, asked_age=True) is None


def test_no_age_no_age_answer():
    assert intent_in_context("dat wil ik liever niet zeggen", "feedback_negative", has_age=False,
                             asked_age=True) is None


def test_an_emergency_is_never_turned_into_an_age_answer():
    assert intent_in_context("12", "report_emergency", has_age=True, asked_age=True) is None


def tracker(*events):
    return DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), *events])


def test_last_bot_response_is_the_bots_last_message_before_the_user_answers():
    asked = tracker(UserUttered("is dit normaal?"), ActionExecuted("utter_ask_child_age"),
                    BotUttered("Hoe oud is je kind?", metadata={"utter_action": "utter_ask_child_age"}),
                    ActionExecuted("action_listen"))
    assert last_bot_response(asked) == "utter_ask_child_age"
    answered = tracker(*list(asked.events)[1:], UserUttered("12"))
    assert last_bot_response(answered) is None
    assert last_bot_response(tracker()) is None and last_bot_response(None) is None


def test_after_an_answer_a_message_that_leans_back_is_a_follow_up():
    assert intent_in_context("hoe kan ik dat voorkomen?", "ask_is_it_my_fault", has_age=False, asked_age=False,
                             topic="ask_causes") == ("ask_follow_up", FOLLOW_UP_ON_TOPIC)


@pytest.mark.parametrize("text, intent, topic", [
    ("hoe kan ik dat voorkomen?", "ask_is_it_my_fault", None),  # no answer before it
    ("waarom niet?", "feedback_negative", "ask_causes"),  # answers the feedback question
    ("en hoe meld ik me aan?", "ask_registration", "ask_causes"),  # a question of its own
])
def test_no_follow_up_without_a_topic_or_when_the_message_says_more(text, intent, topic):
    assert intent_in_context(text, intent, has_age=False, asked_age=False, topic=topic) is None


ANSWER = ("Als leerkracht kun je helpen: actief luisteren, complimenten geven en emotioneel neutraal "
          "reageren (kalm blijven, zonder sterke emoties).")


@pytest.mark.parametrize("text", [
    "wat bedoel je met emotioneel neutraal?", "Hoe bedoel je actief luisteren precies?",
    "oke, wat betekent complimenten geven dan in de praktijk", "wat wordt er bedoeld met kalm blijven, zonder emoties?",
])
def test_asking_what_words_of_the_last_answer_mean_is_a_follow_up(text):
    assert asks_meaning_of(text, ANSWER)
    assert intent_in_context(text, "ask_help_at_home", False, False, "ask_teacher_tips", ANSWER) == (
        "ask_follow_up", "explain_last_answer")


@pytest.mark.parametrize("text, answer", [
    ("wat bedoel je met hechting?", ANSWER),  # a word the answer did not use: a question of its own
    ("wat is emotioneel neutraal reageren?", ANSWER),  # no "bedoel/betekent": the classifier decides
    ("wat bedoel je met emotioneel neutraal?", ""),  # nothing said before
])
def test_a_question_that_does_not_quote_the_last_answer_is_left_alone(text, answer):
    assert not asks_meaning_of(text, answer)


def test_the_last_answer_is_everything_the_bot_said_after_the_last_message():
    tracker = DialogueStateTracker.from_events("t", [UserUttered("a"), BotUttered("eerste"), UserUttered("b"),
                                                     BotUttered("tweede"), BotUttered("derde")])
    assert last_bot_text(tracker) == "tweede derde"
