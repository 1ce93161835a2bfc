"""components/signs.py: a described sign of attachment problems gets the signs answer."""
import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.signs import SingleSign, is_single_sign
from launcher.settings import ROOT

from conftest import nlu_examples


@pytest.mark.parametrize("text", [
    "hij laat zich door niemand troosten",
    "ons meiske zoekt nooit steun bij mij",
    "ze houdt iedereen op een afstand",
    "mijn zoon vertrouwt geen enkele volwassene",
    "ze manipuleert iedereen om haar heen",
    "hij gaat zomaar met vreemden mee",
    "vriendschappen lopen bij hem altijd stuk",
])
def test_a_sign_from_the_page_is_a_single_sign(text):
    assert is_single_sign(text)


@pytest.mark.parametrize("text", [
    "ze laat zich niet troosten, is dat normaal voor een peuter?",  # asks about normality
    "hoort het bij de leeftijd dat hij niemand vertrouwt",
    "mijn dochter van 2 heeft elke dag driftbuien",  # ordinary behaviour, no sign named
    "hij is bang voor de kerstman",
    "",
    None,
])
def test_no_single_sign(text):
    assert not is_single_sign(text)


def test_no_training_example_of_an_intent_it_moves_from_would_move():
    from components.signs import _moves

    examples = nlu_examples(ROOT / "data" / "nlu.yml")
    assert [(i, t) for t, i in examples if _moves(i, t)] == []


@pytest.mark.parametrize("intent, text, expected", [
    ("ask_behaviour_normal", "ze laat zich nooit troosten", "ask_signs_home"),
    ("nlu_fallback", "hij heeft totaal geen vertrouwen in grote mensen", "ask_signs_home"),
    ("ask_behaviour_normal", "hij heeft driftbuien", "ask_behaviour_normal"),
    ("report_emergency", "ze vertrouwt haar stiefvader niet, hij slaat haar", "report_emergency"),
    ("ask_teacher_tips", "hoe help ik een leerling die niemand vertrouwt", "ask_teacher_tips"),
    ("ask_teacher_tips", "mijn leerling speelt iedereen tegen elkaar uit", "ask_signs_home"),
    # Asking for activities or ways to build trust asks what to do, even without "hoe".
    ("ask_teacher_tips", "welke activiteiten geven een leerling die niemand vertrouwt houvast?", "ask_teacher_tips"),
    ("ask_teacher_tips", "zijn er spelletjes voor een kleuter die zich niet laat troosten?", "ask_teacher_tips"),
    # Asking what one should do ("moet ik", "zal ik", "kan ik beter") asks what to do too.
    ("ask_teacher_tips", "zal ik een leerling die iedereen tegen elkaar uitspeelt apart zetten?", "ask_teacher_tips"),
    ("ask_teacher_tips", "kan ik beter niet reageren als ze de klas manipuleert?", "ask_teacher_tips"),
    ("ask_cause_neglect", "hij doet alles om aandacht", "ask_signs_home"),
    ("ask_cause_neglect", "kan een kind dat aandacht tekort kwam alle aandacht opeisen?", "ask_cause_neglect"),
])
def test_the_component_moves_only_behaviour_and_fallback(intent, text, expected):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.6}})
    SingleSign().process([message])
    assert message.get(INTENT)["name"] == expected
