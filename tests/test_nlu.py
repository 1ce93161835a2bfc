"""Intent accuracy of the trained model on the held-out test file (never trained on)."""
from collections import Counter
from pathlib import Path

import pytest

from conftest import nlu_examples

HELDOUT = Path(__file__).parent / "nlu_heldout.yml"
TRAINING = Path(__file__).parents[1] / "data" / "nlu.yml"


@pytest.fixture(scope="module")
def predictions(parse):
    return [(text, intent, parse(text)["intent"]["name"]) for text, intent in nlu_examples(HELDOUT)]


def test_heldout_is_not_in_training_data():
    training = {text.lower() for text, _ in nlu_examples(TRAINING)}
    leaked = [text for text, _ in nlu_examples(HELDOUT) if text.lower() in training]
    assert leaked == []


def test_heldout_covers_every_intent_with_five_examples():
    import yaml
    domain = yaml.safe_load((Path(__file__).parents[1] / "domain.yml").read_text())
    counts = Counter(intent for _, intent in nlu_examples(HELDOUT))
    assert {i: counts[i] for i in domain["intents"] if counts[i] < 5} == {}


def test_intent_accuracy_is_at_least_95_percent(predictions):
    wrong = [(text, want, got) for text, want, got in predictions if want != got]
    accuracy = 1 - len(wrong) / len(predictions)
    print(f"\nheld-out intent accuracy: {accuracy:.3f} on {len(predictions)} messages")
    for text, want, got in wrong:
        print(f"  {want:>26} -> {got:<26} {text}")
    assert accuracy >= 0.95


def test_every_heldout_emergency_gets_the_emergency_intent(predictions):
    emergencies = [(text, got) for text, want, got in predictions if want == "report_emergency"]
    missed = [text for text, got in emergencies if got != "report_emergency"]
    print(f"\nheld-out emergency recall: {1 - len(missed) / len(emergencies):.3f} of {len(emergencies)}")
    assert missed == []
