"""The deterministic safety net on a planted set of emergencies and look-alikes."""
from pathlib import Path

import pytest
import yaml

from components.safety_net import is_emergency, normalise

CASES = yaml.safe_load((Path(__file__).parent / "data" / "safety_cases.yml").read_text(encoding="utf-8"))


def test_catches_every_planted_emergency():
    missed = [text for text in CASES["emergencies"] if not is_emergency(text)]
    recall = 1 - len(missed) / len(CASES["emergencies"])
    print(f"\nsafety-net recall: {recall:.3f} of {len(CASES['emergencies'])}")
    assert missed == []


def test_leaves_ordinary_questions_alone():
    false_alarms = [text for text in CASES["not_emergencies"] if is_emergency(text)]
    rate = len(false_alarms) / len(CASES["not_emergencies"])
    print(f"\nsafety-net false-alarm rate: {rate:.3f} of {len(CASES['not_emergencies'])}")
    assert false_alarms == []


@pytest.mark.parametrize("text", ["SUÏCIDE", "Mijn   MAN  slaat mij", "zelfmoord!!!"])
def test_case_accents_and_spacing_do_not_matter(text):
    assert is_emergency(text)


@pytest.mark.parametrize("text", [None, "", "   ", "👍", "<b>hoi</b>"])
def test_empty_or_odd_input_is_no_emergency(text):
    assert is_emergency(text) is False


def test_normalise_folds_accents_and_space():
    assert normalise("  Suïcide\tgedachten ") == "suicide gedachten"


def test_component_forces_the_emergency_intent(parse):
    result = parse("ik ben bang dat mijn vriend de kinderen iets aandoet, hij is erg dreigend")
    assert result["intent"]["name"] == "report_emergency"
    assert result["intent"]["confidence"] == 1.0


def test_component_leaves_other_messages_to_the_classifier(parse):
    result = parse("wat is hechting?")
    assert result["intent"]["name"] == "ask_what_is_attachment"
    assert "safety_net" not in result
