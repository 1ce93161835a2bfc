"""The overview (issue 21): this week by default, the period shortcuts, the comparison with
the period before of the same length, one emergency count with its parts, one "niet
begrepen" rate. Conversations are written into a tracker store of its own (`own_store`: no
Rasa, no trained model) at known days; every check goes over HTTP as a browser would."""
import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from review_support import chat_events, danger_parse, sender, store_events

from review.overview import shortcut

TODAY = date.today()


def at(day: date, minute: int = 1) -> float:
    """Early on `day` (after midnight, so every turn of a conversation stays on that day)."""
    return datetime.combine(day, time(0, minute)).timestamp()


EMERGENCY = ("mijn man slaat me en de kinderen zien het", "report_emergency", 1.0,
             {**danger_parse("emergency", 0.93, "domestic_violence"), "safety_net": True}, ["utter_emergency"])
QUESTION = ("er is al dagen niemand die voor de kleine zorgt", "report_possible_emergency", 0.45,
            {**danger_parse("question", 0.45, "neglect"), "safety_check": True}, ["utter_safety_check"])
BUTTON = ("/report_emergency", "report_emergency", 1.0, {}, ["utter_emergency"])
UNDERSTOOD = ("wat helpt thuis als hij niet wil slapen", "ask_help_at_home", 0.9, {}, ["utter_help_at_home"])
NOT_UNDERSTOOD = ("de fiets van de buurman is kapot", "nlu_fallback", 0.2, {}, ["action_default_fallback"])

# kind -> (day, turns): (seconds after the start, *turn)
CHATS = {
    # this week (today): 3 conversations, 2 with an alarm answered (one after the safety
    # question and the button), 1 with only the safety question; 6 messages (a button counts), 1 not understood
    "answered": (TODAY, [EMERGENCY]),
    "question": (TODAY, [QUESTION]),
    "escalated": (TODAY, [QUESTION, BUTTON]),
    "plain": (TODAY, [UNDERSTOOD, NOT_UNDERSTOOD]),
    # the same weekday last week: 2 conversations, 1 emergency, 2 messages, none not understood
    "last_week_emergency": (TODAY - timedelta(days=7), [EMERGENCY]),
    "last_week_plain": (TODAY - timedelta(days=7), [UNDERSTOOD]),
    # long ago: only under "alles"
    "old": (TODAY - timedelta(days=60), [NOT_UNDERSTOOD]),
}


@pytest.fixture(scope="module")
def review(own_store):
    return own_store.url


@pytest.fixture(scope="module")
def chats(own_store):
    senders = {kind: sender(kind) for kind in CHATS}
    for kind, (day, turns) in CHATS.items():
        timed = [(60 * (n + 1), *turn) for n, turn in enumerate(turns)]
        store_events(own_store.db, senders[kind], chat_events(at(day), timed))
    return senders


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def figure(page: str, name: str) -> str:
    """The text of one figure of the overview: its value, the comparison and the explanation."""
    found = re.search(rf"<dt>{name}</dt><dd>(.*?)</dd>", page, re.S)
    assert found, f"no figure {name}"
    return text(found.group(1))


def overview(staff, review, **params) -> str:
    response = staff.get(f"{review}/summary", params=params, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_the_overview_shows_this_week_compared_with_the_same_days_last_week(staff, review, chats):
    page = overview(staff, review)
    assert 'aria-current="page">Deze week</a>' in page
    assert figure(page, "Gesprekken") == "4 (vorige week 2)"
    assert figure(page, "Noodsituaties").startswith("3 (vorige week 1)")
    assert figure(page, "Niet begrepen").startswith("16,7% (vorige week 0,0%)")  # 1 of 6, 0 of 2


def test_one_emergency_count_with_its_parts_in_plain_dutch(staff, review, chats):
    explained = figure(overview(staff, review), "Noodsituaties")
    # The conversation that got the safety question and then, after the button, the
    # emergency answer counts once, as answered.
    assert "Bij 2 gaf de chat het noodantwoord (112, Veilig Thuis, 113)" in explained
    assert "Bij 1 stelde de chat alleen de veiligheidsvraag" in explained
    assert "Nog op te volgen: 3" in explained and "niet bewaard" not in explained


def test_one_not_understood_rate_explained_with_its_figures(staff, review, chats):
    page = overview(staff, review)
    explained = figure(page, "Niet begrepen")
    assert "Van de 6 berichten van ouders begreep de chat er 1 niet" in explained
    assert "staan in 1 gesprek." in explained
    assert "Gesprekken met een niet-begrepen vraag" not in page and "terugvalpercentage" not in page
    link = html.unescape(re.search(r'id="niet-begrepen".*?href="([^"]+)">Bekijk', page, re.S).group(1))
    listed = staff.get(review + link, timeout=30).text
    assert chats["plain"] in listed and chats["old"] not in listed and chats["answered"] not in listed


def test_the_shortcuts_choose_the_period_and_its_comparison(staff, review, chats):
    everything = overview(staff, review, periode="alles")
    assert figure(everything, "Gesprekken") == "7" and "(vorige" not in everything
    assert figure(everything, "Noodsituaties").startswith("4 ")
    last_week = overview(staff, review, periode="vorige-week")
    assert figure(last_week, "Gesprekken") == "2 (de week ervoor 0)"
    assert figure(last_week, "Noodsituaties").startswith("1 (de week ervoor 0)")
    assert "Bij 1 gaf de chat het noodantwoord" in figure(last_week, "Noodsituaties")


def test_dates_of_the_filter_form_are_compared_with_as_many_days_before(staff, review, chats):
    # 40 days up to today (longer than any shortcut): the one of 60 days ago is in the 40 before.
    since = TODAY - timedelta(days=39)
    page = overview(staff, review, since=since.isoformat(), until=TODAY.isoformat())
    assert figure(page, "Gesprekken") == "6 (de 40 dagen ervoor 1)"
    assert "Eigen periode" in page
    # The dates of a shortcut are that shortcut, compared as it is.
    week = shortcut("vorige-week", TODAY)
    page = overview(staff, review, since=week.since.isoformat(), until=week.until.isoformat())
    assert 'aria-current="page">Vorige week</a>' in page and "(de week ervoor 0)" in figure(page, "Gesprekken")


def test_the_shortcuts_keep_the_other_filters(staff, review, chats):
    page = overview(staff, review, topic="ask_help_at_home", periode="alles")
    links = [html.unescape(link) for link in re.findall(r'<a href="(/summary\?[^"]+)"', page)]
    shortcuts = [link for link in links if "periode=" in link]
    assert len(shortcuts) == 5 and all("topic=ask_help_at_home" in link for link in shortcuts)
    assert all("since=" not in link for link in shortcuts)
    assert figure(page, "Gesprekken") == "2"  # this week's and last week's conversation about it


def test_a_wrong_date_still_gets_the_dutch_message(staff, review, chats):
    response = staff.get(f"{review}/summary", params={"since": "31-02-2026"}, timeout=30)
    assert response.status_code == 400 and "De datum bij ‘van’ klopt niet" in html.unescape(response.text)
