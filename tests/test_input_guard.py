"""The input guard: messages without readable words get a fixed intent."""
import pytest

from components.input_guard import looks_dutch, unreadable_intent


@pytest.mark.parametrize("text", [
    "", "   ", "😀😀😀", "x" * 20000, "\x00\x07\x1b", "12345", "?!?!", "....",
])
def test_unreadable_input_goes_to_the_fallback(text):
    assert unreadable_intent(text) == "nlu_fallback"


@pytest.mark.parametrize("text", ["何か質問があります", "Привет, как дела", "مرحبا كيف حالك"])
def test_other_scripts_are_another_language(text):
    assert unreadable_intent(text) == "other_language"


@pytest.mark.parametrize("text", [
    "wat is hechting", "Wat is hechting?", "hoe oud moet je zijn 😀", "ok",
    "<script>alert(1)</script>", "hallo 何か", "👍", "👎👎", "🙏",
])
def test_readable_messages_and_feedback_emoji_go_to_the_classifier(text):
    assert unreadable_intent(text) is None


def test_component_forces_the_fallback(parse):
    assert parse("😀😀😀")["intent"]["name"] == "nlu_fallback"
    assert parse("何か質問があります")["intent"]["name"] == "other_language"


@pytest.mark.parametrize("text", [
    "mijn zoon heeft in de oorlog bombardementen meegemaakt, kan dat zijn hechting raken?",
    "wij zijn gevlucht en hij is nu heel stil, is dat erg",
    "ze praat thuis alleen Arabisch, maar ik wil weten hoe het met de hechting zit",
])
def test_a_dutch_message_is_dutch(text):
    assert looks_dutch(text)


@pytest.mark.parametrize("text", [
    "my son does not listen to me, what can I do", "Hallo, ich habe eine Frage zu meiner Tochter",
    "bonjour, mon fils ne dort pas bien", "hoi", "wat is hechting",
])
def test_other_languages_and_short_messages_are_not_called_dutch(text):
    assert not looks_dutch(text)
