"""The danger rules (data), the corpus, the SafetyNet's decision, the country marker,
the cut of long messages, and the trained pipeline's emergency answers.

How well the danger model generalises is measured leave-one-writer-out in
tests/test_danger_quality.py (bench/danger_eval.py); here are the parts that do not
need that training.
"""
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.names import DANGER_KEY
from bench.danger_eval import CORPUS, TEAM_PREFIX, nlu_examples
from bench.quality import long_message
from channels.messages import MAX_MESSAGE_CHARS, cap
from components.country import country
from components.danger_model import ANSWER_FOR_KIND, KINDS, level, load_corpus, normalise, tail
from components.danger_rules import matching_rule, matching_rules, rules
from components.safety_net import SafetyNet, _next_intent
from launcher.settings import ROOT

EMERGENCY, POSSIBLE = "report_emergency", "report_possible_emergency"
LONG = yaml.safe_load((Path(__file__).parent / "data" / "long_messages.yml").read_text(encoding="utf-8"))
EXAMPLES = load_corpus(CORPUS)
WRITERS = sorted({e.writer for e in EXAMPLES if not e.writer.startswith(TEAM_PREFIX)})


# -- the rules are data ------------------------------------------------------------
@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.id)
def test_a_rule_matches_its_positives_and_none_of_its_negatives(rule):
    assert len(rule.positives) >= 3, "a rule that matches one sentence is not a rule"
    assert len(rule.negatives) >= 3
    assert [p for p in rule.positives if not rule.pattern.search(normalise(p))] == []
    assert [n for n in rule.negatives if matching_rules(n)] == []


def test_rule_ids_are_unique_and_few():
    ids = [rule.id for rule in rules()]
    assert len(ids) == len(set(ids))
    assert len(ids) <= 12  # general rules for the unmistakable only; the rest is learned


def test_no_rule_fires_on_an_ordinary_question_of_the_training_data():
    fired = [(e.text, matching_rule(e.text).id) for e in nlu_examples() if not e.danger and matching_rule(e.text)]
    assert fired == []


# -- the corpus --------------------------------------------------------------------
def test_the_corpus_has_enough_writers_messages_and_every_kind_on_both_sides():
    independent = [e for e in EXAMPLES if not e.writer.startswith(TEAM_PREFIX)]
    assert len(WRITERS) >= 6
    assert sum(e.danger for e in independent) >= 1000
    assert sum(not e.danger for e in independent) >= 1000
    # Writers of per-kind sets label each look-alike with the kind it resembles; the others wrote
    # everyday messages or one theme (w13: exhausted parents, kind "none" on the safe side).
    look_alike_writers = {e.writer for e in independent if not e.danger and e.kind in KINDS}
    assert len(look_alike_writers) >= 6
    for writer in sorted(look_alike_writers):
        sides = Counter((e.danger, e.kind) for e in independent if e.writer == writer)
        missing = [(d, k) for d in (True, False) for k in KINDS if sides[(d, k)] < 5]
        assert missing == [], writer


def test_corpus_files_name_their_writer_and_hold_no_duplicates():
    texts = [normalise(e.text) for e in EXAMPLES]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert len(duplicates) <= 0.005 * len(texts), duplicates[:10]
    for path in CORPUS.glob("*.yml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["writer"] == path.stem


def test_no_corpus_message_is_in_the_held_out_set():
    from conftest import nlu_examples as heldout_examples

    heldout = {normalise(text) for text, _ in heldout_examples(ROOT / "tests" / "nlu_heldout.yml")}
    assert [e.text for e in EXAMPLES if normalise(e.text) in heldout] == []


# -- the model's parts -------------------------------------------------------------
def test_a_story_is_also_scored_by_its_closing_sentences():
    assert tail("Hij slaapt slecht. Hij eet niet. Op school is het lastig. Nu is hij weg.") == \
        "Op school is het lastig. Nu is hij weg."
    assert tail("Een vraag. Nog een.") is None


@pytest.mark.parametrize("probability, rule, expected", [
    (0.95, None, "emergency"), (0.5, None, "question"), (0.1, None, None), (0.0, "weapon_now", "emergency"),
])
def test_level_follows_the_thresholds_or_a_rule(probability, rule, expected):
    assert level(probability, rule, lower=0.3, upper=0.7) == expected


def test_every_kind_has_an_emergency_answer_in_the_domain():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    values = {c["value"] for v in domain["responses"]["utter_emergency"] for c in v.get("condition", [])
              if c["name"] == "danger_answer"}
    assert set(ANSWER_FOR_KIND) == set(KINDS)
    assert set(ANSWER_FOR_KIND.values()) <= values
    assert set(domain["slots"]["danger_answer"]["values"]) == set(ANSWER_FOR_KIND.values())


def test_belgian_variants_name_the_belgian_lines_and_dutch_ones_do_not():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for variant in domain["responses"]["utter_emergency"]:
        belgian = {"name": "country", "value": "be", "type": "slot"} in variant.get("condition", [])
        assert all((line in variant["text"]) == belgian for line in ("1712", "1813", "Awel 102"))


# -- the decision (SafetyNet) ------------------------------------------------------
def _scored(text, ranking, danger):
    message = Message(data={TEXT: text})
    message.set(INTENT, dict(ranking[0]))
    message.set("intent_ranking", ranking)
    message.set(DANGER_KEY, danger)
    return message


def test_an_emergency_level_sets_the_emergency_intent_and_the_answer_family():
    ranking = [{"name": "ask_behaviour_normal", "confidence": 0.9}]
    danger = {"probability": 0.2, "kind": "overdose_collapse", "rule": "took_pills",
              "level": "emergency"}
    [message] = SafetyNet().process([_scored("x", ranking, danger)])
    assert message.get(INTENT) == {"name": EMERGENCY, "confidence": 1.0}
    assert message.get("safety_net") is True
    assert [e["value"] for e in message.get(ENTITIES) if e["entity"] == "danger_answer"] == ["medical"]


def test_a_question_level_asks_the_safety_question():
    ranking = [{"name": "ask_behaviour_normal", "confidence": 0.9}]
    danger = {"probability": 0.5, "kind": "missing_child", "rule": None, "level": "question"}
    [message] = SafetyNet().process([_scored("x", ranking, danger)])
    assert message.get(INTENT)["name"] == POSSIBLE and message.get("safety_check") is True
    entities = {e["entity"]: e["value"] for e in message.get(ENTITIES)}
    # The classifier's reading is kept for "geen gevaar" (action_answer_pending_topic).
    assert entities == {"danger_answer": "missing", "pending_topic": "ask_behaviour_normal"}


def test_a_classifier_alarm_without_danger_is_cleared_to_the_next_intent():
    ranking = [{"name": EMERGENCY, "confidence": 0.8}, {"name": "ask_behaviour_normal", "confidence": 0.15},
               {"name": "out_of_scope", "confidence": 0.05}]
    danger = {"probability": 0.05, "kind": "threat_weapon", "rule": None, "level": None}
    [message] = SafetyNet().process([_scored("x", ranking, danger)])
    assert message.get(INTENT)["name"] == "ask_behaviour_normal"
    assert message.get(INTENT)["confidence"] == pytest.approx(0.75)
    assert message.get("safety_net_cleared") is True and not message.get(ENTITIES)


def test_no_danger_and_no_alarm_leaves_the_intent_alone():
    ranking = [{"name": "ask_causes", "confidence": 0.9}]
    [message] = SafetyNet().process([_scored("x", ranking, {"probability": 0.01, "level": None})])
    assert message.get(INTENT) == {"name": "ask_causes", "confidence": 0.9}
    assert message.get("safety_net") is None and message.get("safety_check") is None


@pytest.mark.parametrize("ranking, expected", [
    ([{"name": EMERGENCY, "confidence": 0.6}, {"name": "greet", "confidence": 0.3},
      {"name": "nlu_fallback", "confidence": 0.1}], ("greet", 0.75)),
    ([{"name": EMERGENCY, "confidence": 0.6}, {"name": "greet", "confidence": 0.1},
      {"name": "thank", "confidence": 0.1}], ("nlu_fallback", 0.3)),
    ([{"name": EMERGENCY, "confidence": 1.0}], ("nlu_fallback", 1.0)),
])
def test_next_intent_is_the_best_share_of_what_is_left(ranking, expected):
    intent = _next_intent(ranking, threshold=0.3)
    assert (intent["name"], round(intent["confidence"], 3)) == expected


# -- Belgium -----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["wij wonen in Gent", "ons moeder zegt da ge moet bellen, amai",
                                  "het CLB van school belde", "we wonen in België sinds kort"])
def test_belgian_messages_are_recognised(text):
    assert country(text) == "be"


@pytest.mark.parametrize("text", ["wij wonen in Utrecht", "mijn zoon is agent geworden",
                                  "hoe help ik mijn kind op het consultatiebureau", "hij is een regent"])
def test_dutch_messages_are_not_belgian(text):
    assert country(text) is None


# Writers who wrote Flemish parents on purpose (their persona in data/nlu.yml): their
# examples are Belgian, not by accident.
FLEMISH_WRITERS = {"nlu_u", "nlu_x"}


def test_no_training_example_of_the_intents_counts_as_belgian_by_accident():
    blocks = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text(encoding="utf-8"))["nlu"]
    texts = [line.strip()[2:] for block in blocks
             if (block.get("metadata") or {}).get("writer") not in FLEMISH_WRITERS
             and block["intent"] != "ask_help_belgium"
             for line in block["examples"].splitlines() if line.strip().startswith("- ")]
    hits = [text for text in texts if country(text)]
    assert len(hits) <= 0.01 * len(texts), hits[:10]


# -- long messages -----------------------------------------------------------------
@pytest.mark.parametrize("crisis", LONG["crises"])
def test_cap_keeps_the_end_of_a_long_story(crisis):
    text = long_message(LONG["stories"][0], 2400, crisis)
    kept, cut = cap(text)
    assert cut and len(kept) <= MAX_MESSAGE_CHARS and kept.endswith(crisis)


def test_cap_keeps_a_rule_match_from_the_middle():
    story = LONG["stories"][0]
    text = long_message(story, 1500, "hij ligt bewusteloos in de badkamer.") + " " + long_message(story, 1500, "")
    kept, cut = cap(text)
    assert cut and matching_rule(kept) and len(kept) <= MAX_MESSAGE_CHARS


# -- the trained pipeline ----------------------------------------------------------
def test_every_message_gets_a_danger_score(parse):
    result = parse("wat is hechting?")
    assert set(result[DANGER_KEY]) == {"probability", "kind", "rule", "level"}
    assert result[DANGER_KEY]["level"] is None
    assert result["intent"]["name"] == "ask_what_is_attachment"


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.id)
def test_a_rule_gives_the_emergency_answer_in_the_pipeline(parse, rule):
    result = parse(rule.positives[0])
    assert result["intent"]["name"] == EMERGENCY
    assert result[DANGER_KEY]["rule"] == rule.id and result[DANGER_KEY]["kind"] == rule.kind


def test_the_emergency_answer_fits_the_kind_and_the_country(bot):
    suicide, _ = bot.say("danger-suicide", "hij wil zichzelf ophangen, hij heeft het net gezegd")
    assert suicide.startswith("Goed dat je dit vertelt. Bel nu 113")
    medical, _ = bot.say("danger-medical", "mijn baby ademt bijna niet meer")
    assert medical.startswith("Dit klinkt als een noodgeval. Bel nu meteen 112")
    assert "1712" not in medical
    belgian, _ = bot.say("danger-belgium", "wij wonen in Gent en mijn man staat in de keuken met een mes")
    assert "1712" in belgian and "Veilig Thuis" in belgian
