"""The access log in plain Dutch sentences (issue 21): what a medewerker did, read back by
the beheerder on the log page and in its export, without codes such as `filters: {}; page: 1`.
Conversations are written into a tracker store of its own (`own_store`: no Rasa, no trained
model); every action and check goes over HTTP as a browser would."""
import csv
import html
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from review_support import chat_events, login, post_form, sender, store_events

from review.audit_words import filter_words
from review.words import moment_words

START = datetime.combine(date.today() - timedelta(days=1), time(17, 38))
TURN = (60, "Mijn dochter bijt andere kinderen op de opvang", "ask_help_at_home", 0.8, {}, ["utter_help_at_home"])


@pytest.fixture(scope="module")
def review(own_store):
    return own_store.url


@pytest.fixture(scope="module")
def chats(own_store):
    found = {kind: sender(kind) for kind in ("read", "erased")}
    for sender_id in found.values():
        store_events(own_store.db, sender_id, chat_events(START.timestamp(), [TURN]))
    return found


@pytest.fixture(scope="module")
def done(review, staff, chats):
    """What a medewerker did: a failed login, opening a conversation, a search with two
    words, a filtered list, a note, an erasure."""
    assert login(review, "medewerker", "geen goed wachtwoord", address="192.0.2.33").status_code == 401
    conversation = f"/conversations/{chats['read']}"
    assert staff.get(review + conversation, timeout=30).status_code == 200
    assert staff.get(f"{review}/", params={"q": "bijt opvang"}, timeout=30).status_code == 200
    assert staff.get(f"{review}/", params={"emergency": "1", "since": "2026-12-01", "until": "2026-12-07"},
                     timeout=30).status_code == 200
    assert post_form(staff, review, conversation, "/act/note", sender=chats["read"],
                     text="Moeder belt morgen terug").status_code == 303
    erase = f"/wissen?sender={chats['erased']}"
    staff.get(review + f"/conversations/{chats['erased']}", timeout=30)
    assert post_form(staff, review, erase, "/wissen", sender=chats["erased"], confirm="ja").status_code == 303
    return True


def sentences(page: str) -> list:
    cells = re.findall(r'<td data-label="Wat er gebeurde" class="sentence">(.*?)</td>', page, re.S)
    cells = [re.sub(r"<a [^>]*>.*?</a>", "", cell, flags=re.S) for cell in cells]  # the link to filter on it
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cell))).strip() for cell in cells]


def test_the_log_reads_as_sentences(admin, review, chats, done):
    page = admin.get(f"{review}/toegangslog", params={"account": "medewerker"}, timeout=30).text
    said = sentences(page)
    when = moment_words(START)
    assert f"medewerker opende gesprek van {when}" in said
    assert "medewerker zocht in de gesprekken met 2 woorden" in said
    assert ("medewerker bekeek de gesprekken (met een noodsituatie, van 1 december 2026 tot en met "
            "7 december 2026)") in said
    assert f"medewerker schreef een notitie bij gesprek van {when} (24 tekens)" in said
    assert f'href="/toegangslog?target={chats["read"]}">alles over dit gesprek</a>' in page
    assert "medewerker wiste een gesprek, met alles wat erover bewaard was" in said
    assert "Mislukte inlogpoging met de naam medewerker (fout wachtwoord)" in said
    # No codes: no JSON, no key names, no search words, no note text.
    for code in ("filters:", "page:", "{}", "search_words", "characters", "bijt", "Moeder belt"):
        assert code not in " ".join(said)


def test_an_erased_conversation_is_named_as_erased(admin, review, chats, done):
    page = admin.get(f"{review}/toegangslog", params={"target": chats["erased"]}, timeout=30).text
    assert "medewerker opende een gesprek dat nu gewist is" in sentences(page)


def test_the_export_has_the_sentences_too(admin, review, chats, done):
    export = admin.get(f"{review}/toegangslog.csv", params={"account": "medewerker"}, timeout=30)
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[0][-1] == "wat er gebeurde"
    assert f"medewerker opende gesprek van {moment_words(START)}" in [row[-1] for row in rows[1:]]


@pytest.mark.parametrize("filters, words", [
    ({}, ""),
    ({"fallback": "1", "topic": "ask_help_at_home"}, "met iets niet begrepen, over ‘Wat helpt thuis?’"),
    ({"since": "2026-12-07", "until": "2026-12-07", "status": "nieuw"}, "op 7 december 2026, status nieuw"),
    ({"time_from": "22:00", "reviewed": "nee", "tag": "test", "low": "1", "note": "1"},
     "begonnen tussen 22:00 en 23:59, nog niet nagekeken, met het label Test, met lage zekerheid, met notitie"),
    ("niet een dict", ""),
])
def test_filters_in_words(filters, words):
    assert filter_words(filters) == words


def test_every_action_of_the_log_has_a_sentence():
    from review.audit import ACTIONS
    from review.audit_words import _SENTENCES

    assert set(ACTIONS) == set(_SENTENCES)
