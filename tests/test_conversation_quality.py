"""The held-out conversations (tests/data/conversations_heldout/, seven independent writers)
held against the real bot, one sender id per conversation (bench/conversation_eval.py).

Goals of the conversations issue: turns on the right topic >= 0.90 overall, no
word-for-word repeat, no question the parent already answered asked again. Repeats and
questions asked again are held at 0. The on-topic goal is not reached yet (2026-12-08:
0.884 over six writers, worst 0.821; sealed, measured once: conv_f 0.898, conv_g 0.840):
the test reports the goal and holds a floor just under the measurement, so a change that
loses ground fails (docs/testing.md). The sentences of these sets are never a reason to
change a rule or code; a miss is answered with training data for its category, measured on
a set written later.
"""
import pytest

from bench import conversation_eval

ON_TOPIC_GOAL = 0.90
ON_TOPIC_FLOOR = 0.85


@pytest.fixture(scope="module")
def writers(bot):
    return conversation_eval.run(bot.send, lambda s: bot.tracker(s)["events"], conversation_eval.load_sets())


def test_the_set_is_big_enough_and_by_four_writers():
    sets = conversation_eval.load_sets()
    conversations = [c for s in sets for c in s["conversations"]]
    assert len(sets) >= 4 and len(conversations) >= 60
    assert sum(len(c["turns"]) for c in conversations) >= 300


def test_conversations_stay_on_topic(writers, figures):
    for line in conversation_eval.table(writers):
        figures(line)
    overall = conversation_eval.overall(writers).figures()
    figures(f"conversations on topic {overall['on_topic']:.3f} (goal {ON_TOPIC_GOAL}, floor {ON_TOPIC_FLOOR})")
    assert overall["on_topic"] >= ON_TOPIC_FLOOR, conversation_eval.misses(writers)


def test_no_word_for_word_repeats(writers):
    assert conversation_eval.overall(writers).figures()["repeats"] == 0


def test_no_question_the_parent_answered_is_asked_again(writers):
    assert conversation_eval.overall(writers).figures()["asked_again"] == 0
