"""Whole conversations through the real servers over the REST channel."""
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

HELP_LINES = ["112", "0800-2000", "0800-0432", "0800-0113"]


def new_sender():
    return f"test-{uuid.uuid4().hex[:10]}"


def test_greeting_offers_the_topics(bot):
    text, payloads = bot.say(new_sender(), "hoi")
    assert "OCRN" in text
    assert "/ask_registration" in payloads and "/ask_what_is_attachment" in payloads


def test_worried_parent_path_asks_age_then_tailors_and_offers_registration(bot):
    sender = new_sender()
    text, payloads = bot.say(sender, "mijn kind krijgt steeds driftbuien, is dat normaal?")
    assert "leeftijd" in text and "Hoe oud is je kind?" in text
    assert any("peuter_kleuter" in p for p in payloads)
    text, payloads = bot.say(sender, "hij is 3")
    assert "peuter of kleuter" in text
    assert "huisarts" in text and "/ask_registration" in payloads
    assert bot.tracker(sender)["slots"]["age_band"] == "peuter_kleuter"
    text, _ = bot.say(sender, "/ask_registration")
    assert "https://example.org/aanmelden-test" in text


def test_age_in_the_first_message_is_not_asked_again(bot):
    text, _ = bot.say(new_sender(),
                      "mijn dochter van 15 sluit zich de hele dag op haar kamer op, hoort dat bij die leeftijd?")
    assert "Hoe oud is je kind?" not in text
    assert "puber" in text


def test_emergency_in_the_middle_of_the_age_question(bot):
    sender = new_sender()
    bot.say(sender, "mijn zoon luistert nooit, is dat normaal")
    text, _ = bot.say(sender, "mijn man slaat ons, ik ben bang")
    for line in HELP_LINES:
        assert line in text


def test_safety_net_catches_what_the_classifier_may_not(bot):
    text, _ = bot.say(new_sender(), "zijn vriendin heeft een mes gepakt en de kinderen zijn thuis")
    assert all(line in text for line in HELP_LINES)


def test_no_diagnosis(bot):
    text, _ = bot.say(new_sender(), "heeft mijn kind een hechtingsstoornis?")
    assert "Dat kan ik niet zeggen" in text and "huisarts" in text


@pytest.mark.parametrize("message", [
    "", "   ", "😀😀😀", "x" * 20000, "<script>alert(1)</script>", "\x00\x07\x1b",
    "何か質問があります", "hoe laat gaat de trein naar utrecht",
])
def test_bad_input_gets_a_clear_dutch_answer(bot, message):
    replies = bot.send(new_sender(), message)
    text = " ".join(r.get("text", "") for r in replies)
    assert text.strip(), f"no reply to {message[:30]!r}"
    assert any(word in text for word in ("Sorry", "helaas", "Nederlands", "Waar wil je")), text


def test_english_gets_the_only_dutch_answer_in_both_languages(bot):
    text, _ = bot.say(new_sender(), "Hello, can you tell me what attachment disorder is?")
    assert "alleen Nederlands" in text and "only speak Dutch" in text


def test_unrelated_question_gets_no_attachment_content(bot):
    text, _ = bot.say(new_sender(), "wat wordt het weer morgen in nijmegen?")
    assert "helaas niet mee helpen" in text
    assert "Hechting is het proces" not in text


def test_feedback_is_stored_in_the_conversation(bot):
    sender = new_sender()
    text, payloads = bot.say(sender, "wat helpt thuis voor een kind met hechtingsproblemen")
    assert "/feedback_negative" in payloads
    bot.say(sender, "/feedback_negative")
    assert bot.tracker(sender)["slots"]["feedback"] == "negative"


def test_feedback_is_asked_at_most_once_per_topic(bot):
    sender = new_sender()

    def asked(message):
        text, payloads = bot.say(sender, message)
        assert text, message  # the answer itself always comes
        return "/feedback_positive" in payloads

    assert asked("/ask_what_is_attachment")
    assert not asked("/ask_attachment_problems")  # the same topic (hechting)
    assert not asked("/ask_what_is_attachment")  # the same answer again
    assert asked("/ask_signs_home")  # another topic
    assert not asked("/ask_signs_school")
    assert asked("/ask_cause_trauma")
    assert not asked("/ask_is_it_my_fault")  # guilt belongs with the causes
    assert bot.tracker(sender)["slots"]["feedback_topics"] == ["hechting", "herkennen", "oorzaken"]


def test_after_thumbs_down_the_bot_asks_what_was_missing_and_keeps_the_reply_redacted(bot):
    sender = new_sender()
    bot.say(sender, "/ask_help_at_home")
    text, _ = bot.say(sender, "/feedback_negative")
    assert "Wat miste je" in text
    comment = "ik miste wat ik kan doen als hij niet wil slapen, mijn nummer is 0612345678"
    text, _ = bot.say(sender, comment)
    assert text and "Wat miste je" not in text
    events = bot.tracker(sender)["events"]
    asked = max(i for i, e in enumerate(events) if e["event"] == "bot" and "Wat miste je" in (e.get("text") or ""))
    reply = next(e for e in events[asked:] if e["event"] == "user")
    assert reply["text"].startswith("ik miste wat ik kan doen") and "0612345678" not in reply["text"]
    assert bot.tracker(sender)["slots"]["feedback"] == "negative"


def test_a_reply_to_what_was_missing_the_bot_cannot_place_is_thanked(bot):
    sender = new_sender()
    bot.say(sender, "/ask_causes")
    bot.say(sender, "/feedback_negative")
    text, payloads = bot.say(sender, "/nlu_fallback")
    assert "dank je dat je het laat weten" in text and "/ask_causes" in payloads
    assert "begreep ik niet" not in text


def test_rapid_repeats_are_all_answered_and_kept(bot):
    sender = new_sender()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: bot.send(sender, "wat is hechting"), range(8)))
    assert all(results)
    users = [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert len(users) == 8


def test_malformed_request_is_a_clear_client_error(bot):
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", data="not json", timeout=10,
                             headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500


def test_http_api_needs_the_token(bot):
    sender = new_sender()
    bot.say(sender, "hoi")
    response = requests.get(f"{bot.url}/conversations/{sender}/tracker", timeout=10)
    assert response.status_code == 401


def test_conversation_is_kept_in_the_sqlite_tracker_store(bot):
    sender = new_sender()
    bot.say(sender, "wat zijn de oorzaken van hechtingsproblemen")
    with sqlite3.connect(bot.db) as db:
        rows = db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()
    assert rows[0] > 0


# --- answers that lean on the conversation (the issue's own examples) -------------------

def ask_age(bot, sender):
    text, _ = bot.say(sender, "mijn kind is erg dwars de laatste tijd, is dat normaal?")
    assert "Hoe oud is je kind?" in text


@pytest.mark.parametrize("answer, band_text", [
    ("12", "puber"), ("3,5", "peuter of kleuter"), ("bijna 7", "basisschool"),
    ("tien maanden", "baby"), ("18 mnd", "peuter of kleuter"), ("groep 3", "basisschool"),
    ("eerste klas", "puber"), ("zit op de middelbare", "puber"), ("tiener", "puber"),
    ("dreumes", "peuter of kleuter"), ("pas 4", "peuter of kleuter"),
    ("ze is 9 en ze heeft het moeilijk op school sinds de verhuizing", "basisschool"),
])
def test_any_plain_answer_to_the_age_question_gets_the_tailored_sentence(bot, answer, band_text):
    sender = new_sender()
    ask_age(bot, sender)
    text, _ = bot.say(sender, answer)
    assert band_text in text and "Sorry, dat begreep ik niet" not in text


# The feedback question comes once per topic (actions/feedback.py): not again when the
# follow-up's answer is of the topic just asked about (signs at home, then at school).
@pytest.mark.parametrize("first, follow_up, expected, asks_feedback", [
    ("hoe herken ik hechtingsproblemen?", "en in de klas?", "In de klas zijn er signalen", False),
    ("wat zijn kenmerken van hechtingsproblemen", "waarom is dat zo?", "Er zijn veel dingen die kunnen bijdragen",
     True),
    ("wat kan ik thuis doen?", "hoe doe ik dat dan?", "Bij OCRN kijken we samen", True),
    ("wat is hechting?", "vertel eens meer", "Soms gaat het hechten niet goed", False),
])
def test_a_follow_up_is_answered_on_the_previous_topic(bot, first, follow_up, expected, asks_feedback):
    sender = new_sender()
    _, first_payloads = bot.say(sender, first)
    text, payloads = bot.say(sender, follow_up)
    assert "/feedback_positive" in first_payloads
    assert expected in text and ("/feedback_positive" in payloads) == asks_feedback


def test_a_follow_up_about_another_age_gets_that_age(bot):
    sender = new_sender()
    bot.say(sender, "mijn zoon van 4 heeft vaak driftbuien, is dat normaal?")
    text, _ = bot.say(sender, "en bij een puber?")
    assert "Je kind is een puber" in text


def test_two_questions_in_one_message_get_both_answers_in_order(bot):
    text, _ = bot.say(new_sender(), "wat is hechting en hoe kan ik mijn kind aanmelden?")
    assert text.index("Hechting is het proces") < text.index("https://example.org/aanmelden-test")


@pytest.mark.parametrize("message", [
    "laat zich niet knuffelen", "gaat met iedereen mee", "kan slecht tegen veranderingen",
    "doet alles om aandacht",
])
def test_a_single_symptom_gets_the_signs(bot, message):
    text, _ = bot.say(new_sender(), message)
    assert "Enkele kenmerken van hechtingsproblemen" in text
