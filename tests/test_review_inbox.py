"""The staff tool as an inbox (issue 21): find a conversation by what the parent wrote, at
what time of day, and keep the filters while working through the list. Conversations are
written into a tracker store of its own (`own_store`: no Rasa, no trained model); every
check goes over HTTP as a browser would."""
import html
import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from review_support import chat_events, danger_parse, post_form, sender, store_events

YESTERDAY = datetime.now().replace(second=0, microsecond=0) - timedelta(days=1)


def at(hour: int, minute: int, days_ago: int = 1) -> float:
    return (YESTERDAY.replace(hour=hour, minute=minute) - timedelta(days=days_ago - 1)).timestamp()


# kind -> (start, turns)
TALKS = {
    "biting": (at(17, 38), [
        (60, "Mijn dochter van 4 heeft steeds driftbuien", "ask_behaviour_normal", 0.82, {},
         ["utter_behaviour_normal"]),
        (120, "Ze bijt andere kinderen op de opvang, wat kan ik doen?", "ask_help_at_home", 0.44, {},
         ["utter_help_at_home"])]),
    "sleep": (at(9, 5), [
        (60, "Onze zoon slaapt slecht sinds de verhuizing", "ask_signs_home", 0.91, {}, ["utter_signs_home"])]),
    "night": (at(23, 40), [
        (60, "Hij bijt zijn nagels tot bloedens toe", "ask_signs_home", 0.7, {}, ["utter_signs_home"])]),
    "buttons": (at(12, 0), [(60, "/ask_help_at_home", "ask_help_at_home", 1.0, {}, ["utter_help_at_home"])]),
    "emergency": (at(20, 15), [
        (60, "mijn man slaat me en de kinderen zien het", "report_emergency", 1.0,
         {**danger_parse("emergency", 0.93, "domestic_violence"), "safety_net": True}, ["utter_emergency"])]),
    "erase": (at(8, 30, days_ago=2), [
        (60, "Graag wissen: zoekwoord-fietsbelletje van mijn dochter", "out_of_scope", 0.3, {}, ["utter_fallback"])]),
}


@pytest.fixture(scope="module")
def review(own_store):
    return own_store.url


@pytest.fixture(scope="module")
def talks(own_store):
    senders = {kind: sender(kind) for kind in TALKS}
    for kind, (start, turns) in TALKS.items():
        store_events(own_store.db, senders[kind], chat_events(start, turns))
    return senders


def rows(page: str) -> dict:
    """sender -> the text of its row in the list, in page order."""
    found = {}
    for chunk in page.split('<tr class="conversation-row" data-sender="')[1:]:
        found[chunk.split('"', 1)[0]] = text(chunk.split("</tr>", 1)[0].split(">", 1)[1])
    return found


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def listed(staff, review, **params) -> dict:
    page = staff.get(f"{review}/", params=params, timeout=30)
    assert page.status_code == 200, page.text[:300]
    return rows(page.text)


def test_each_row_shows_the_first_message_and_the_time_of_day(staff, review, talks):
    shown = listed(staff, review)
    row = shown[talks["biting"]]
    assert "17:38" in row and YESTERDAY.strftime("%d-%m-%Y") in row
    assert "Mijn dochter van 4 heeft steeds driftbuien" in row and "bijt" not in row  # the first, not the second
    assert "/greet" not in row  # the widget's own greeting is not the parent's message
    assert "alleen knoppen" in shown[talks["buttons"]]


def test_search_finds_the_conversation_by_a_word_of_any_message_and_shows_that_message(staff, review, talks):
    page = staff.get(f"{review}/", params={"q": "bijt opvang"}, timeout=30).text
    found = rows(page)
    assert list(found) == [talks["biting"]]  # "night" has "bijt" but not "opvang" in one message
    assert "<mark>bijt</mark>" in page and "andere kinderen op de" in found[talks["biting"]]
    assert set(rows(staff.get(f"{review}/", params={"q": "BIJT"}, timeout=30).text)) == {
        talks["biting"], talks["night"]}  # case and word starts ("bijt" finds "bijten"? and "bijt")


def test_search_finds_nothing_for_a_word_nobody_wrote(staff, review, talks):
    page = staff.get(f"{review}/", params={"q": "olifant"}, timeout=30)
    assert page.status_code == 200 and rows(page.text) == {} and "Geen gesprekken gevonden" in page.text


def test_search_without_a_word_gets_a_dutch_message(staff, review, talks):
    page = staff.get(f"{review}/", params={"q": "?!"}, timeout=30)
    assert page.status_code == 400 and "Zoek op een woord" in page.text


@pytest.mark.parametrize("params, expected", [
    ({"time_from": "17:00", "time_to": "18:00"}, {"biting"}),
    ({"time_from": "20:00"}, {"emergency", "night"}),
    ({"time_from": "22:00", "time_to": "9:30"}, {"night", "sleep", "erase"}),  # over midnight
    ({"time_to": "08.45"}, {"erase"}),
])
def test_time_of_day_filter(staff, review, talks, params, expected):
    assert set(listed(staff, review, **params)) == {talks[kind] for kind in expected}


def test_a_wrong_time_gets_a_dutch_message(staff, review, talks):
    page = staff.get(f"{review}/", params={"time_from": "25:00"}, timeout=30)
    assert page.status_code == 400 and "De tijd bij ‘van’ klopt niet" in page.text


def test_date_and_search_together(staff, review, talks):
    day = YESTERDAY.date().isoformat()
    assert set(listed(staff, review, q="bijt", since=day, until=day)) == {talks["biting"], talks["night"]}
    assert listed(staff, review, q="zoekwoord", since=day) == {}


def test_the_filters_stay_in_every_link(staff, review, talks):
    page = staff.get(f"{review}/", params={"q": "bijt", "time_from": "17:00"}, timeout=30).text
    link = re.search(r'href="(/conversations/[^"]+)"', page).group(1)
    assert "q=bijt" in link and "time_from=17%3A00" in link
    conversation = staff.get(review + html.unescape(link), timeout=30).text
    back = re.search(r'<a href="([^"]*)">« Alle gesprekken</a>', conversation).group(1)
    assert html.unescape(back) == "/?time_from=17%3A00&q=bijt"


def test_paging_keeps_the_search(staff, review, talks, own_store):
    extra = [sender("many") for _ in range(27)]
    for n, name in enumerate(extra):
        store_events(own_store.db, name, chat_events(at(6, n), [(60, f"veel vragen over paarse kousen {n}",
                                                                    "ask_causes", 0.8, {}, ["utter_causes"])]))
    page = staff.get(f"{review}/", params={"q": "paarse"}, timeout=30).text
    assert "27 gesprekken" in page and "page=2" in page
    second = re.search(r'href="([^"]*page=2)"', page).group(1)
    assert "q=paarse" in html.unescape(second)
    assert len(rows(staff.get(review + html.unescape(second), timeout=30).text)) == 2


def test_next_conversation_follows_the_list_order_and_filters(staff, review, talks):
    page = staff.get(f"{review}/", params={"q": "bijt"}, timeout=30).text
    first, second = list(rows(page))
    conversation = staff.get(f"{review}/conversations/{first}", params={"q": "bijt"}, timeout=30).text
    following = re.search(r'href="([^"]+)">Volgende gesprek', conversation).group(1)
    assert html.unescape(following) == f"/conversations/{second}?q=bijt"
    last = staff.get(f"{review}/conversations/{second}", params={"q": "bijt"}, timeout=30).text
    assert "Volgende gesprek" not in last


def test_an_erased_conversation_is_gone_from_the_search_and_the_file(staff, review, talks, own_store):
    target = talks["erase"]
    assert set(listed(staff, review, q="fietsbelletje")) == {target}
    page = f"/wissen?sender={target}"
    response = post_form(staff, review, page, "/wissen", sender=target, confirm="ja")
    assert response.status_code == 303
    assert listed(staff, review, q="fietsbelletje") == {}
    with sqlite3.connect(own_store.db) as db:
        assert db.execute("select count(*) from review_messages where sender_id = ?", (target,)).fetchone() == (0,)
    raw = b"".join(path.read_bytes() for path in own_store.db.parent.glob(own_store.db.name + "*"))
    assert b"fietsbelletje" not in raw


# --- the emergency inbox ----------------------------------------------------------------------
def message_id(db, sender_id: str, text_start: str) -> int:
    with sqlite3.connect(db) as connection:
        for event_id, data in connection.execute("select id, data from events where sender_id = ? and "
                                                 "type_name = 'user' order by id", (sender_id,)):
            if text_start in data:
                return event_id
    raise AssertionError(f"no message {text_start!r}")


def queue_row(page: str, sender_id: str) -> str:
    chunk = page.split(f'<tr class="alarm-row" data-sender="{sender_id}">', 1)[1]
    return chunk.split("</tr>", 1)[0]


def test_opvolgen_opens_the_conversation_at_the_message_with_the_form_beside_it(staff, review, talks, own_store):
    target = talks["emergency"]
    row = queue_row(staff.get(f"{review}/noodsituaties", timeout=30).text, target)
    event_id = message_id(own_store.db, target, "mijn man slaat me")
    alarm_time = datetime.fromtimestamp(TALKS["emergency"][0] + 60).strftime("%d-%m-%Y %H:%M")
    assert alarm_time in text(row) and "mijn man slaat me en de kinderen zien het" in text(row)
    assert "Geweld tussen volwassenen thuis · model: zeker 93 %" in text(row) and "Noodantwoord gegeven" in text(row)
    link = html.unescape(re.search(r'<a href="([^"]+)">Opvolgen</a>', row).group(1))
    assert link == f"/conversations/{target}?bron=nood#m{event_id}"
    page = staff.get(review + link.split("#")[0], timeout=30).text
    message = page.split(f'id="m{event_id}"', 1)[1].split("</li>", 1)[0]
    assert 'action="/act/followup"' in message and "Markeer als opgevolgd" in message  # beside the message
    assert page.count('action="/act/followup"') == 1
    assert html.unescape(re.search(r'<a href="([^"]*)">« Alle noodsituaties</a>', page).group(1)) == "/noodsituaties"


def test_assign_an_emergency_shows_in_the_inbox_and_the_log(staff, review, talks, own_store):
    target = talks["emergency"]
    assert text(queue_row(staff.get(f"{review}/noodsituaties", timeout=30).text, target)).count("niemand") == 1
    event_id = message_id(own_store.db, target, "mijn man slaat me")
    response = post_form(staff, review, f"/conversations/{target}", "/act/assign", sender=target, account="ik",
                         anchor=f"#m{event_id}", terug="bron=nood")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/conversations/{target}?bron=nood#m{event_id}"
    row = queue_row(staff.get(f"{review}/noodsituaties", timeout=30).text, target)
    assert re.search(r'class="alarm-assigned">medewerker<', row)
    with sqlite3.connect(own_store.db) as db:
        logged = db.execute("select account, details from review_audit where action = 'assign' and target = ?",
                            (target,)).fetchall()
    assert logged == [("medewerker", '{"to": "medewerker"}')]
    refused = post_form(staff, review, f"/conversations/{target}", "/act/assign", sender=target, account="niemand-x")
    assert refused.status_code == 400


def test_follow_up_from_beside_the_message_comes_back_to_it(staff, review, talks, own_store):
    target = talks["emergency"]
    event_id = message_id(own_store.db, target, "mijn man slaat me")
    response = post_form(staff, review, f"/conversations/{target}", "/act/followup", sender=target,
                         note="Ouder gebeld, Veilig Thuis ingeschakeld.", anchor=f"#m{event_id}", terug="bron=nood")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#m{event_id}")
    assert target not in staff.get(f"{review}/noodsituaties", timeout=30).text


# --- one workflow -------------------------------------------------------------------------------
def test_one_status_and_one_note(staff, review, talks, own_store):
    """After the follow-up above: the emergency is `opgevolgd`, its note is the one note."""
    assert set(listed(staff, review, status="opgevolgd")) == {talks["emergency"]}
    new = set(listed(staff, review, status="nieuw"))
    assert talks["emergency"] not in new and talks["sleep"] in new
    with sqlite3.connect(own_store.db) as db:
        note = db.execute("select text from review_notes where sender_id = ?", (talks["emergency"],)).fetchall()
        kept = db.execute("select note from review_followups where sender_id = ?", (talks["emergency"],)).fetchall()
    assert note == [("Ouder gebeld, Veilig Thuis ingeschakeld.",)] and kept == [("",)]
    page = staff.get(f"{review}/conversations/{talks['emergency']}", timeout=30).text
    assert "Status: Opgevolgd" in page and page.count("<textarea") == 1


def test_nagekeken_and_next_goes_to_the_next_conversation_of_the_list(staff, review, talks):
    first, second = list(listed(staff, review, q="bijt"))
    response = post_form(staff, review, f"/conversations/{first}?q=bijt", "/act/reviewed", sender=first, value="1",
                         then="next", terug="q=bijt")
    assert response.status_code == 303 and response.headers["Location"] == f"/conversations/{second}?q=bijt"
    assert first in listed(staff, review, status="nagekeken")
    last = post_form(staff, review, f"/conversations/{second}", "/act/reviewed", sender=second, value="1",
                     then="next", terug="q=bijt")
    assert last.headers["Location"] == "/?q=bijt"  # the end of the list: back to it, with its filters


def test_bulk_nagekeken_marks_the_filtered_list_but_not_its_emergencies(staff, review, talks, own_store):
    day = YESTERDAY.date().isoformat()
    page = staff.get(f"{review}/", params={"since": day, "until": day, "status": "nieuw"}, timeout=30).text
    assert "Zet deze lijst op nagekeken" in page
    waiting = set(rows(page))
    refused = staff.post(f"{review}/act/nagekeken", data={"since": day, "until": day}, allow_redirects=False,
                         timeout=30)
    assert refused.status_code == 400  # no CSRF token
    response = post_form(staff, review, f"/?since={day}", "/act/nagekeken", since=day, until=day, status="nieuw")
    assert response.status_code == 303 and response.headers["Location"] == f"/?since={day}&until={day}&status=nieuw"
    assert listed(staff, review, since=day, until=day, status="nieuw") == {}
    with sqlite3.connect(own_store.db) as db:
        marked = {s for (s,) in db.execute("select sender_id from review_reviewed")}
        details = db.execute("select details from review_audit where action = 'bulk_reviewed'").fetchone()[0]
    assert waiting <= marked and talks["erase"] not in marked  # another day
    assert talks["emergency"] not in marked  # followed up, not marked in bulk
    assert '"marked": ' in details and '"since": "' + day in details


def test_the_two_old_notes_become_one(tmp_path):
    import sqlalchemy as sa

    from review.db import review_engine
    from review.schema import FOLLOWUPS, NOTES
    from review.workflow import migrate_notes

    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as db:
        db.execute(NOTES.insert().values(sender_id="a", text="belt terug", account="anna", at=1.7e9))
        db.execute(FOLLOWUPS.insert(), [
            {"sender_id": "a", "covers": 1.7e9, "note": "gelezen", "account": "bas", "at": 1.7e9},
            {"sender_id": "b", "covers": 1.7e9, "note": "Veilig Thuis gebeld", "account": "anna", "at": 1.7e9}])
    assert migrate_notes(engine) == 2 and migrate_notes(engine) == 0
    with engine.connect() as db:
        notes = dict(db.execute(sa.select(NOTES.c.sender_id, NOTES.c.text)).all())
        left = set(db.execute(sa.select(FOLLOWUPS.c.note)).scalars())
    day = "14-11-2023"
    assert notes == {"a": f"belt terug\n\nOpvolging (bas, {day}): gelezen",
                     "b": f"Opvolging (anna, {day}): Veilig Thuis gebeld"}
    assert left == {""}


# --- export for Dutch Excel --------------------------------------------------------------------
def test_csv_export_opens_in_dutch_excel(staff, review, talks):
    import csv
    import io

    day = YESTERDAY.date().isoformat()
    response = staff.get(f"{review}/export.csv", params={"since": day, "until": day, "emergency": "1"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="ocrn-gesprekken-{day}-tot-en-met-{day}.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffGesprek;Begonnen;Laatste bericht;")
    table = list(csv.DictReader(io.StringIO(body[1:], newline=""), delimiter=";"))
    assert [row["Gesprek"] for row in table] == [talks["emergency"]]  # one row per conversation
    row = table[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Begonnen"]) and row["Begonnen"].endswith("20:15")
    assert row["Status"] == "Opgevolgd" and row["Opgevolgd door"] == "medewerker"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Opgevolgd op"])
    assert row["Notitie"] == "Ouder gebeld, Veilig Thuis ingeschakeld." and row["Toegewezen aan"] == "medewerker"
    transcript = row["Gesprek (tekst)"].split("\n")
    assert len(transcript) > 2 and "20:16 ouder: mijn man slaat me en de kinderen zien het" in transcript
    assert not [name for name in table[0] if "_" in name]  # no code words as column names


def test_csv_export_without_dates_names_the_period_up_to_today(staff, review, talks):
    from datetime import date

    response = staff.get(f"{review}/export.csv", params={"q": "bijt"}, timeout=30)
    assert f'ocrn-gesprekken-begin-tot-en-met-{date.today().isoformat()}.csv' in \
        response.headers["Content-Disposition"]


# --- accounts ------------------------------------------------------------------------------------
def test_removing_an_account_asks_for_confirmation_and_never_removes_ones_own(admin, review, own_store):
    added = post_form(admin, review, "/accounts", "/accounts", action="add", name="tijdelijk",
                      role="medewerker", password="een tijdelijk wachtwoord")
    assert added.status_code == 303
    page = admin.get(f"{review}/accounts", timeout=30).text
    assert 'name="confirm" value="ja" required' in page and "Ja, verwijder het account ‘tijdelijk’" in page
    post_form(admin, review, "/accounts", "/accounts", action="remove", name="tijdelijk")  # not confirmed
    assert "Vink eerst aan dat je het account ‘tijdelijk’ echt wilt verwijderen" in \
        admin.get(f"{review}/accounts", timeout=30).text
    with sqlite3.connect(own_store.db) as db:
        assert db.execute("select count(*) from review_accounts where name = 'tijdelijk'").fetchone() == (1,)
    post_form(admin, review, "/accounts", "/accounts", action="remove", name="beheer", confirm="ja")
    assert "Je kunt je eigen account niet verwijderen" in admin.get(f"{review}/accounts", timeout=30).text
    post_form(admin, review, "/accounts", "/accounts", action="remove", name="tijdelijk", confirm="ja")
    with sqlite3.connect(own_store.db) as db:
        names = {name for (name,) in db.execute("select name from review_accounts")}
    assert "beheer" in names and "tijdelijk" not in names


def test_account_name_rules_are_said_before_typing_and_a_space_gets_a_dutch_error(admin, review):
    page = admin.get(f"{review}/accounts", timeout=30).text
    form = page.split("Nieuw account", 1)[1]
    assert form.index("zonder spaties") < form.index('<input name="name"') and "pattern=" not in form
    post_form(admin, review, "/accounts", "/accounts", action="add", name="anna de vries", role="medewerker",
              password="een lang wachtwoord 12")
    shown = admin.get(f"{review}/accounts", timeout=30).text
    assert "De naam ‘anna de vries’ heeft een spatie." in shown


# --- plain words ---------------------------------------------------------------------------------
def test_a_conversation_shows_no_intent_names_and_certainty_in_words(staff, review, talks):
    page = staff.get(f"{review}/conversations/{talks['biting']}", timeout=30).text
    shown = text(page.split('<ol class="chat">', 1)[1].split("</ol>", 1)[0])
    assert "ask_help_at_home" not in shown and "ask_behaviour_normal" not in shown
    assert "Onderwerp: Wat helpt thuis? · de chat twijfelt" in shown  # confidence 0.44
    assert "· de chat is zeker" in shown and "0,82" not in shown


def test_the_erase_page_shows_which_conversation_it_is(staff, review, talks):
    page = text(staff.get(f"{review}/wissen", params={"sender": talks["sleep"]}, timeout=30).text)
    assert f"Dit is het gesprek van {YESTERDAY:%d-%m-%Y} om 09:05" in page
    assert "Het begon met: “Onze zoon slaapt slecht sinds de verhuizing”" in page
