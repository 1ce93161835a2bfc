"""Every alarm reaches the emergency queue, with why: conversations written into a tracker
store of its own (as Rasa 3.6 stores them, with the danger model's `danger` key or as an
older bot stored them), then the review tool over HTTP. An alarm (review/alarms.py) is the
emergency answer or the safety question, whatever raised it: a danger rule, the model, the
button "Er is nu gevaar", or an older version of the bot.

Needs no trained model: the review server reads `own_store`, not the bot's database.
"""
import html
import json
import re
import sqlite3
import time

import pytest
from review_support import sender, store_events

from bench.review_data import Generator

GENERATOR = Generator(seed=3)
LONG_TAIL = "SLOTZIN-DIE-NIET-IN-DE-LIJST-MAG"
LONG_TEXT = ("Ik weet niet meer wat ik moet doen, mijn dochter van vijftien sluit zich op in haar kamer en "
             "zegt dat niemand haar zou missen. " * 6 + LONG_TAIL)


def danger(level, probability, kind, rule=None):
    return {"danger": {"probability": probability, "kind": kind, "rule": rule, "level": level}}


# kind -> [(text, intent, confidence, extra parse data, the bot's answer[, seconds after the
# start])], and the alarms the queue must show for it: (what the bot did, why, the parent's
# message).
CASES = {
    "rule": (
        [("hij staat met een mes in de keuken en schreeuwt", "report_emergency", 1.0,
          {**danger("emergency", 0.61, "threat_weapon", "weapon_now"), "safety_net": True}, ["utter_emergency"])],
        [("Noodantwoord gegeven", "Dreiging of wapen · vaste regel: weapon_now",
          "hij staat met een mes in de keuken en schreeuwt")]),
    "model": (
        [("mijn man slaat me en de kinderen zien het", "report_emergency", 1.0,
          {**danger("emergency", 0.93, "domestic_violence"), "safety_net": True}, ["utter_emergency"])],
        [("Noodantwoord gegeven", "Geweld tussen volwassenen thuis · model: zeker 93 %",
          "mijn man slaat me en de kinderen zien het")]),
    "question": (
        [("er is al dagen niemand die voor de kleine zorgt", "report_possible_emergency", 0.45,
          {**danger("question", 0.45, "neglect"), "safety_check": True}, ["utter_safety_check"])],
        [("Veiligheidsvraag gesteld", "Verwaarlozing · model: twijfelt 45 %",
          "er is al dagen niemand die voor de kleine zorgt")]),
    "button": (
        [("hij heeft hem weer hard geslagen vanavond", "report_possible_emergency", 0.52,
          {**danger("question", 0.52, "child_physical_abuse"), "safety_check": True}, ["utter_safety_check"]),
         ("/report_emergency", "report_emergency", 1.0, {}, ["utter_emergency"])],
        [("Veiligheidsvraag gesteld", "Mishandeling van een kind · model: twijfelt 52 %",
          "hij heeft hem weer hard geslagen vanavond"),
         ("Noodantwoord gegeven", "Mishandeling van een kind · knop 'Er is nu gevaar'", "Knop: Er is nu gevaar")]),
    "old": (
        [("ik ben bang dat ik mijn baby iets aandoe", "report_emergency", 1.0, {"safety_net": True},
          ["utter_emergency"])],
        [("Noodantwoord gegeven", "eerdere versie", "ik ben bang dat ik mijn baby iets aandoe")]),
    "old_question": (
        [("het gaat thuis helemaal mis met hem", "report_possible_emergency", 0.4, {"safety_check": True},
          ["utter_safety_check"])],
        [("Veiligheidsvraag gesteld", "eerdere versie", "het gaat thuis helemaal mis met hem")]),
    "long": (
        [(LONG_TEXT, "report_emergency", 1.0, {**danger("emergency", 0.88, "self_harm_suicide"), "safety_net": True},
          ["utter_emergency"])],
        None),  # checked on its own: the message is cut
    "late": (  # began first of all, but its alarm is the newest
        [("wat is hechting eigenlijk", "ask_what_is_attachment", 0.9, danger(None, 0.02, "neglect"),
          ["utter_what_is_attachment"]),
         ("ze ligt op de grond en reageert niet meer", "report_emergency", 1.0,
          {**danger("emergency", 0.97, "medical_emergency"), "safety_net": True}, ["utter_emergency"],
          30 * 3600 - 300)],
        [("Noodantwoord gegeven", "Medisch noodgeval · model: zeker 97 %",
          "ze ligt op de grond en reageert niet meer")]),
    "reopened": (  # followed up after its first alarm (see `talks`), then a new one: leads with the new one
        [("hij dreigt haar iets aan te doen", "report_possible_emergency", 0.38,
          {**danger("question", 0.38, "domestic_violence"), "safety_check": True}, ["utter_safety_check"]),
         ("hij heeft een mes gepakt en staat in de gang", "report_emergency", 1.0,
          {**danger("emergency", 0.74, "threat_weapon", "weapon_now"), "safety_net": True}, ["utter_emergency"],
          600)],
        [("Noodantwoord gegeven", "Dreiging of wapen · vaste regel: weapon_now",
          "hij heeft een mes gepakt en staat in de gang"),
         ("Veiligheidsvraag gesteld", "Geweld tussen volwassenen thuis · model: twijfelt 38 %",
          "hij dreigt haar iets aan te doen")]),
    "none": (
        [("wat helpt thuis als mijn zoon niet wil knuffelen", "ask_help_at_home", 0.91,
          danger(None, 0.04, "neglect"), ["utter_help_at_home"])],
        []),
}
ALARMED = [kind for kind, (_, shown) in CASES.items() if shown != []]


ALARM_ANSWERS = {"utter_emergency", "utter_safety_check"}


def conversation(at, turns):
    """The events Rasa stores for a conversation opened by the widget at `at`, then `turns`;
    and the time of its last alarm (None without one)."""
    g = GENERATOR
    events = [g._action(at, "action_session_start"), g._event("session_started", at + 0.001),
              g._action(at + 0.002, "action_listen")]
    events += g._turn(at + 1, g._user(at + 1, "/greet", "greet", 1.0), ["utter_greet"])
    last_alarm = None
    for n, (text, intent, confidence, parse, answer, *after) in enumerate(turns):
        t = at + (after[0] if after else 60 * (n + 1))
        events += g._turn(t, g._user(t, text, intent, confidence, **parse), answer)
        last_alarm = t if ALARM_ANSWERS & set(answer) else last_alarm
    return events, last_alarm


@pytest.fixture(scope="module")
def review(own_store):
    """This module's review server: on its own tracker store (tests/review_support.py)."""
    return own_store.url


@pytest.fixture(scope="module")
def talks(own_store):
    """kind -> sender; each conversation begins an hour before the one before it ("late": 30 h
    ago). Also, under "last alarm", kind -> the time of its last alarm."""
    senders = {kind: sender(kind) for kind in CASES}
    now, last = time.time(), {}
    for n, (kind, (turns, _)) in enumerate(CASES.items()):
        at = now - 3600 * (30 if kind == "late" else n + 1)
        events, last[kind] = conversation(at, turns)
        store_events(own_store.db, senders[kind], events)
        if kind == "reopened":  # a follow-up of the first alarm (its turn: 60 s after the start)
            with sqlite3.connect(own_store.db) as connection:
                connection.execute("insert into review_followups (sender_id, covers, note, account, at) "
                                   "values (?, ?, 'gelezen', 'medewerker', ?)", (senders[kind], at + 61, at + 120))
    return {**senders, "last alarm": last}


def links(page: str) -> set:
    return set(re.findall(r'href="/conversations/([^"#?]+)', page))


def queue_rows(page: str) -> dict:
    """sender -> {cell class: text} of the queue's rows, in page order."""
    rows = {}
    for chunk in page.split('<tr class="alarm-row" data-sender="')[1:]:
        found, row = chunk.split('"', 1)[0], chunk.split("</tr>", 1)[0]
        rows[found] = {name: _text(cell) for name, cell in
                       re.findall(r'<td[^>]*class="alarm-(\w+)"[^>]*>(.*?)</td>', row, re.S)}
        rows[found]["first"] = _text(re.search(r'<span class="text">(.*?)</span>', row, re.S).group(1)) \
            if '<span class="text">' in row else ""
        # The row's other alarms, without their time: "Noodantwoord gegeven · <why>[ · “<message>”]".
        rows[found]["others"] = [re.sub(r"^\d\d-\d\d-\d{4} \d\d:\d\d · ", "", _text(item))
                                 for item in re.findall(r"<li>(.*?)</li>", row, re.S)]
    return rows


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def stored_texts(db, sender_id) -> list:
    """(event id, stored text) of the conversation's parent messages."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select id, data from events where sender_id = ? and type_name = 'user' "
                                  "order by id", (sender_id,)).fetchall()
    return [(event_id, json.loads(data)["text"]) for event_id, data in rows]


@pytest.mark.parametrize("kind", [k for k in ALARMED if CASES[k][1] and k != "reopened"])
def test_every_alarm_is_in_the_queue_with_what_the_bot_did_and_why(staff, review, talks, kind):
    rows = queue_rows(staff.get(f"{review}/noodsituaties", timeout=30).text)
    assert talks[kind] in rows, f"{kind} not in the queue"
    row = rows[talks[kind]]
    (answer, reason, message), *later = CASES[kind][1]
    assert (row["answer"], row["reason"], row["first"]) == (answer, reason, message)
    assert (f"Daarna nog {len(later)} keer" in row["message"]) == bool(later)
    assert row["others"] == [f"{answer} · {reason}" + ("" if message.startswith("Knop: ") else f" · “{message}”")
                             for answer, reason, message in later]  # a button's title is in the reason already


def test_a_conversation_open_again_leads_with_its_new_alarm(staff, review, talks):
    row = queue_rows(staff.get(f"{review}/noodsituaties", timeout=30).text)[talks["reopened"]]
    (answer, reason, message), (old_answer, old_reason, old_message) = CASES["reopened"][1]
    assert (row["answer"], row["reason"], row["first"]) == (answer, reason, message)
    assert "Andere alarmen in dit gesprek (1): " in row["message"]
    assert row["others"] == [f"{old_answer} · {old_reason} · “{old_message}”"]


def test_a_conversation_without_alarm_is_neither_flagged_nor_queued(staff, review, talks):
    target = talks["none"]
    assert target in links(staff.get(f"{review}/", timeout=30).text)  # it is there, summarised
    assert target not in links(staff.get(f"{review}/", params={"emergency": "1"}, timeout=30).text)
    assert target not in links(staff.get(f"{review}/noodsituaties", params={"alle": "1"}, timeout=30).text)


def test_the_list_flag_the_queue_and_the_overview_agree(staff, review, talks):
    flagged = links(staff.get(f"{review}/", params={"emergency": "1"}, timeout=30).text)
    queued = set(queue_rows(staff.get(f"{review}/noodsituaties", timeout=30).text))
    everything = set(queue_rows(staff.get(f"{review}/noodsituaties", params={"alle": "1"}, timeout=30).text))
    expected = {talks[kind] for kind in ALARMED}
    assert flagged == queued == everything == expected
    # What staff reported: every "Mogelijke noodsituatie" conversation is in the queue.
    possible = links(staff.get(f"{review}/", params={"topic": "report_possible_emergency"}, timeout=30).text)
    assert possible == {talks[kind] for kind in ("question", "button", "old_question", "reopened")}
    summary = staff.get(f"{review}/summary", params={"periode": "alles"}, timeout=30).text
    assert f'<dt>Noodsituaties</dt><dd><span class="figure">{len(expected)}</span>' in summary
    assert f"Nog op te volgen: <strong>{len(expected)}</strong>" in summary
    assert f"{len(expected)} noodsituaties open om op te volgen" in staff.get(f"{review}/", timeout=30).text


def test_the_queue_shows_the_newest_alarm_first(staff, review, talks):
    order = list(queue_rows(staff.get(f"{review}/noodsituaties", timeout=30).text))
    newest_first = sorted(ALARMED, key=lambda kind: talks["last alarm"][kind], reverse=True)
    assert newest_first[0] == "late"  # began first of all: the list (newest start first) has it last
    assert order == [talks[kind] for kind in newest_first]


def test_the_queue_shows_never_more_than_the_stored_text(staff, review, talks, own_store):
    page = staff.get(f"{review}/noodsituaties", timeout=30).text
    row = queue_rows(page)[talks["long"]]
    (stored,) = [text for _, text in stored_texts(own_store.db, talks["long"]) if text != "/greet"]
    shown = row["first"]
    assert len(stored) > 600 and shown.endswith("…") and 150 <= len(shown) <= 201
    assert stored.startswith(shown[:-1].rstrip())
    assert LONG_TAIL not in page
    assert (row["answer"], row["reason"]) == ("Noodantwoord gegeven",
                                              "Zelfdoding of zelfbeschadiging · model: zeker 88 %")


@pytest.mark.parametrize("kind", [k for k in ALARMED if CASES[k][1]])
def test_the_transcript_shows_the_reason_next_to_the_message(staff, review, talks, own_store, kind):
    page = staff.get(f"{review}/conversations/{talks[kind]}", timeout=30).text
    ids = {text: event_id for event_id, text in stored_texts(own_store.db, talks[kind])}
    for answer, reason, message in CASES[kind][1]:
        text = "/report_emergency" if message.startswith("Knop: ") else message
        item = page.split(f'id="m{ids[text]}"', 1)[1].split("</li>", 1)[0]
        alarm = _text(item.split('<div class="alarm">', 1)[1].split("</div>", 1)[0])
        assert alarm == f"{answer} Waarom: {reason}"
    assert page.count('<div class="alarm">') == len(CASES[kind][1])


def test_the_transcript_of_a_conversation_without_alarm_shows_no_reason(staff, review, talks):
    page = staff.get(f"{review}/conversations/{talks['none']}", timeout=30).text
    assert "wat helpt thuis als mijn zoon niet wil knuffelen" in page and '<div class="alarm">' not in page
