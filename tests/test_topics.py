"""The topic table (content/topics.yml) is the source; everything it needs elsewhere exists.

Each failure names the file to edit and what to add there (docs/changing-content.md).
"""
import pytest
import yaml

from actions.answers import CONTENT_INTENTS, TURNS
from actions.names import ANSWER_ACTION
from content.topics import AUDIENCES, answer_responses, topics
from launcher.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
NLU = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
REGISTER = yaml.safe_load((ROOT / "content" / "register.yml").read_text(encoding="utf-8"))
TOPICS = topics()
MIN_EXAMPLES = 20  # training examples a topic needs before the classifier can learn it


def answered_by_rule():
    """intent -> the actions of its one-step rule."""
    found = {}
    for rule in RULES:
        steps = rule["steps"]
        if len(steps) == 2 and "intent" in steps[0]:
            found[steps[0]["intent"]] = steps[1].get("action")
    return found


def examples_of(intent):
    return sum(len([line for line in block["examples"].splitlines() if line.strip().startswith("- ")])
               for block in NLU if block.get("intent") == intent)


@pytest.mark.parametrize("intent", sorted(TOPICS))
def test_the_topic_is_an_intent_of_the_domain(intent):
    assert intent in DOMAIN["intents"], f"domain.yml: add `  - {intent}` under `intents:`"


@pytest.mark.parametrize("intent", sorted(TOPICS))
def test_the_topic_has_a_rule_to_the_answer_action(intent):
    assert answered_by_rule().get(intent) == ANSWER_ACTION, (
        f"data/rules.yml: add a rule with the steps `- intent: {intent}` and `- action: {ANSWER_ACTION}`")


@pytest.mark.parametrize("intent", sorted(TOPICS))
def test_the_topic_has_training_examples(intent):
    assert examples_of(intent) >= MIN_EXAMPLES, (
        f"data/nlu.yml: `- intent: {intent}` needs at least {MIN_EXAMPLES} examples (has {examples_of(intent)}), "
        "written by independent writers (docs/changing-content.md)")


@pytest.mark.parametrize("response", sorted(answer_responses(DOMAIN["responses"])
                                            | {r for t in TOPICS.values() for r in (*t.answer, t.explain) if r}))
def test_every_response_of_a_topic_is_in_the_domain_and_the_register(response):
    assert response in DOMAIN["responses"], f"domain.yml: add the response `{response}` under `responses:`"
    assert response in REGISTER, (
        f"content/register.yml: add `{response}:` with `source:` (the page's sentences) and/or `addition:`")


def test_every_variant_for_a_reader_belongs_to_a_topic_response():
    base = {r for t in TOPICS.values() for r in (*t.answer, t.explain) if r}
    for name in DOMAIN["responses"]:
        for audience in AUDIENCES:
            if name.endswith(f"_{audience}"):
                assert name[:-len(audience) - 1] in base, (
                    f"domain.yml: `{name}` looks like a variant of a response no topic in content/topics.yml sends")


def test_every_rule_to_the_answer_action_is_a_topic_or_a_turn_it_answers():
    turns = {"ask_follow_up", "ask_several_questions", "inform_age", "deny_danger", *TURNS}
    unknown = {i for i, action in answered_by_rule().items() if action == ANSWER_ACTION} - CONTENT_INTENTS - turns
    assert unknown == set(), f"content/topics.yml: add an entry for {sorted(unknown)}"


def test_topic_names_are_short_dutch_phrases_for_ik_noemde_al():
    for topic in TOPICS.values():
        assert 1 <= len(topic.name.split()) <= 12 and topic.name[0].islower(), topic.intent
