"""The danger model on writers it never saw: leave-one-writer-out over data/danger/.

Trains one model per independent writer (about a minute, no Rasa): the headline
figures of docs/benchmarks.md. The gates sit a little under what was measured
(docs/decisions.md, "The danger model"), so that a change that loses recall or adds
false alarms fails here; the goals (help lines for 97 %, the emergency answer for at
most 3 % of the look-alikes) are reported by `make quality`, not asserted.
"""
import pytest

from bench import danger_eval
from components.danger_model import KINDS

# Measured with the thresholds of config.yml on twelve writers (docs/benchmarks.md): help
# lines 0.996 (worst writer 0.989, lowest kind 0.985), emergency answer on 0.029 of the
# look-alikes and everyday messages, safety question on 0.079. Gates just under (over) that.
MIN_HELP_RECALL = 0.98
MIN_HELP_RECALL_WORST_WRITER = 0.97
MIN_HELP_RECALL_PER_KIND = 0.95
MAX_LOOKALIKE_EMERGENCY = 0.04
MAX_LOOKALIKE_QUESTION = 0.10


@pytest.fixture(scope="module")
def result(figures):
    scored = danger_eval.leave_one_writer_out(danger_eval.corpus())
    lower, upper = danger_eval.config_thresholds()
    table = danger_eval.table(scored, lower, upper)
    overall, worst = table["all"]["mean"], table["all"]["worst"]
    figures(f"danger model, leave-one-writer-out: help lines for {overall['help_recall']:.3f} of "
            f"{overall['emergencies']} emergencies (worst writer {worst['help_recall']:.3f}); emergency answer "
            f"for {overall['lookalike_emergency']:.3f} and safety question for {overall['lookalike_question']:.3f} "
            f"of {overall['lookalikes']} look-alikes")
    return table


def test_help_lines_for_emergencies_of_writers_the_model_never_saw(result):
    assert result["all"]["mean"]["help_recall"] >= MIN_HELP_RECALL
    assert result["all"]["worst"]["help_recall"] >= MIN_HELP_RECALL_WORST_WRITER


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_danger_gets_the_help_lines(result, kind):
    assert result[kind]["mean"]["emergencies"] > 0
    assert result[kind]["mean"]["help_recall"] >= MIN_HELP_RECALL_PER_KIND


def test_few_look_alikes_get_the_alarm(result):
    assert result["all"]["mean"]["lookalike_emergency"] <= MAX_LOOKALIKE_EMERGENCY
    assert result["all"]["mean"]["lookalike_question"] <= MAX_LOOKALIKE_QUESTION
