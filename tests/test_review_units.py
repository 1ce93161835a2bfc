"""The staff review tool's parts without servers: the SQL list and overview over a few
hundred generated conversations, the summary index, the lockout's atomic count, login
sessions, names, filters, the training and story exports."""
import math
import re
import threading
import time

import pytest
import sqlalchemy as sa
import yaml

from bench.review_data import write
from launcher.settings import ROOT
from review import index, login, training, users
from review.alarms import Alarms, basis_of, of_senders, shorten
from review.app import create_app, safe_next
from review.conversations import Filters, alarmed, by_last_alarm, count, emergency_open, page, parse_date
from review.db import review_engine
from review.events import parent_message
from review.export import BATCH, cell, records
from review.overview import overview
from review.schema import CONVERSATIONS, STATE
from review.stories import annotate, sessions
from review.topics import DANGER_KIND_NAMES, TOPIC_NAMES, correction_choices


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """300 generated conversations in a fresh SQLite database, summarised."""
    path = tmp_path_factory.mktemp("review") / "tracker.db"
    engine = review_engine(db_url=f"sqlite:///{path}", prepare=False)
    write(engine, 300, seed=11, rasa_model=False)
    engine = review_engine(db_url=f"sqlite:///{path}")
    assert index.sync(engine) == 300
    return engine


def _starts(engine):
    """(started, sender) of every conversation, straight from the events table."""
    query = "select min(timestamp), sender_id from events group by sender_id"
    with engine.connect() as db:
        return sorted(((row[0], row[1]) for row in db.exec_driver_sql(query)), reverse=True)


# --- the list in SQL ----------------------------------------------------------------------------
def test_paging_returns_the_right_page_newest_first(generated):
    expected = _starts(generated)
    assert count(generated, Filters(), 0.6) == 300
    for number in (1, 2, 12):
        rows = page(generated, Filters(), 0.6, number, 25)
        assert [r.sender_id for r in rows] == [s for _, s in expected[(number - 1) * 25: number * 25]]


def test_the_list_query_pages_in_sql_and_reads_no_events(generated):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(generated, "before_cursor_execute", remember)
    try:
        rows = page(generated, Filters(flags=("emergency",)), 0.6, 1, 25)
    finally:
        sa.event.remove(generated, "before_cursor_execute", remember)
    assert rows and all("emergency" in r.flags for r in rows)
    assert any("LIMIT" in s and "review_conversations" in s for s in statements)
    assert not [s for s in statements if re.search(r"\bFROM events\b", s)]


ALARMS_SQL = ("select distinct sender_id from events where action_name in ('utter_emergency', 'utter_safety_check') "
              "or intent_name in ('report_emergency', 'report_possible_emergency')")


def test_flag_filter_and_count_agree_with_the_events(generated):
    with generated.connect() as db:
        emergencies = {s for (s,) in db.exec_driver_sql(ALARMS_SQL)}
    assert count(generated, Filters(flags=("emergency",)), 0.6) == len(emergencies) > 0
    figures = overview(generated, Filters(), 0.6)
    assert figures.conversations == 300 and figures.flagged["emergency"] == len(emergencies)
    assert figures.emergencies_open == len(emergencies)  # nothing followed up yet
    assert sum(n for _, n in figures.per_day) == 300


ANSWER_SQL = ("select distinct sender_id from events where action_name = 'utter_emergency' "
              "or intent_name = 'report_emergency'")
QUESTION_SQL = "select distinct sender_id from events where action_name = 'utter_safety_check'"


def test_the_emergency_count_is_its_parts(generated):
    """One count, split by what the chat did, each part straight from the events: the
    emergency answer at least once, else only the safety question."""
    with generated.connect() as db:
        alarmed_senders = {s for (s,) in db.exec_driver_sql(ALARMS_SQL)}
        answered = {s for (s,) in db.exec_driver_sql(ANSWER_SQL)} & alarmed_senders
        question = {s for (s,) in db.exec_driver_sql(QUESTION_SQL)} - answered
    figures = overview(generated, Filters(), 0.6)
    assert figures.emergencies == len(alarmed_senders)
    assert (figures.emergency_answered, figures.safety_question_only) == (len(answered), len(question))
    assert figures.emergency_neither == len(alarmed_senders - answered - question) == 0
    assert answered and question  # the bench data has both


@pytest.mark.parametrize("today, key, since, until, previous", [
    # this week so far, compared with the same days of last week (also over a year's end)
    ("2026-12-09", "deze-week", "2026-12-07", "2026-12-09", ("2026-11-30", "2026-12-02")),
    ("2026-01-03", "deze-week", "2025-12-29", "2026-01-03", ("2025-12-22", "2025-12-27")),
    ("2026-12-07", "vorige-week", "2026-11-30", "2026-12-06", ("2026-11-23", "2026-11-29")),
    # this month so far: the same days of last month, at most its last day
    ("2026-12-07", "deze-maand", "2026-12-01", "2026-12-07", ("2026-11-01", "2026-11-07")),
    ("2026-03-31", "deze-maand", "2026-03-01", "2026-03-31", ("2026-02-01", "2026-02-28")),
    ("2026-01-15", "vorige-maand", "2025-12-01", "2025-12-31", ("2025-11-01", "2025-11-30")),
    ("2026-12-07", "alles", None, None, None),
])
def test_the_period_shortcuts(today, key, since, until, previous):
    from datetime import date

    from review.overview import shortcut

    def as_text(day):
        return day.isoformat() if day else None

    period = shortcut(key, date.fromisoformat(today))
    assert (as_text(period.since), as_text(period.until)) == (since, until)
    assert (tuple(map(as_text, period.previous)) if period.previous else None) == previous


def test_the_overview_defaults_to_this_week_and_knows_a_shortcut_by_its_dates():
    from datetime import date

    from review.overview import period_of

    today = date(2026, 12, 9)
    assert period_of({}, Filters(), today).key == "deze-week"
    assert period_of({"periode": "alles"}, Filters(since=date(2026, 1, 1)), today).key == "alles"
    assert period_of({}, Filters(since=date(2026, 11, 1), until=date(2026, 11, 30)), today).key == "vorige-maand"
    own = period_of({}, Filters(since=date(2026, 11, 3), until=date(2026, 11, 12)), today)
    assert (own.key, own.previous, own.previous_name) == ("eigen", (date(2026, 10, 24), date(2026, 11, 2)),
                                                         "de 10 dagen ervoor")
    assert period_of({}, Filters(until=date(2026, 11, 12)), today).previous is None  # nothing to compare


def test_the_flag_and_the_queue_are_the_same_conversations(generated):
    """Every alarm of the generated data (a rule, the model sure, the safety question, the
    button after it) is flagged and queued: one definition, review/alarms.py."""
    with generated.connect() as db:
        expected = {s for (s,) in db.exec_driver_sql(ALARMS_SQL)}
    flagged = {r.sender_id for r in page(generated, Filters(flags=("emergency",)), 0.6, 1, 300)}
    queued = {r.sender_id for r in page(generated, Filters(), 0.6, 1, 300, [emergency_open()], by_last_alarm())}
    everything = {r.sender_id for r in page(generated, Filters(), 0.6, 1, 300, [alarmed()])}
    assert flagged == queued == everything == expected
    found = [alarm for sender, alarms in of_senders(generated, sorted(expected)).items() for alarm in alarms]
    bases = {alarm.basis.split(":")[0].split(" ")[0] for alarm in found}
    answers = {alarm.answer_name for alarm in found}
    assert bases == {"vaste", "model", "knop"}  # the bench data has every source of an alarm
    assert answers == {"Noodantwoord gegeven", "Veiligheidsvraag gesteld"}
    assert not [alarm for alarm in found if alarm.kind and alarm.kind_name == alarm.kind]  # all in Dutch


def test_summaries_of_an_older_version_are_made_again(generated):
    assert index.sync(generated) == 0
    with generated.begin() as db:  # as the tool before VERSION left them
        db.execute(STATE.delete().where(STATE.c.key == index.VERSION_KEY))
        db.execute(CONVERSATIONS.update().values(emergency_at=None))
    assert index.sync(generated) == count(generated, Filters(), 0.6)
    assert index.sync(generated) == 0
    assert count(generated, Filters(), 0.6, [alarmed()]) == count(generated, Filters(flags=("emergency",)), 0.6) > 0


def test_sync_reads_only_new_conversations(generated, tmp_path):
    assert index.sync(generated) == 0
    write(generated, 20, seed=12, rasa_model=False)
    again = index.sync(generated)  # the new ones, and the senders of the LOOKBACK ids before them
    assert 20 < again <= 20 + index.LOOKBACK // 10 and again < 320
    assert count(generated, Filters(), 0.6) == 320


def test_export_streams_in_batches(generated):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(generated, "before_cursor_execute", remember)
    try:
        items = list(records(generated, Filters()))
    finally:
        sa.event.remove(generated, "before_cursor_execute", remember)
    assert len(items) == count(generated, Filters(), 0.6)
    reads = [s for s in statements if re.search(r"\bFROM events\b", s)]
    assert len(reads) == math.ceil(len(items) / BATCH)


@pytest.fixture(scope="module")
def client(generated):
    """A logged-in Flask test client of the app over the generated conversations."""
    users.add_account(generated, "anna", "een lang wachtwoord", "beheerder", "test", replace=True)
    app = create_app(generated, "secret")
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"csrf_token": token, "name": "anna",
                                       "password": "een lang wachtwoord"}).status_code == 303
    return client


@pytest.mark.parametrize("path", ["/", "/noodsituaties", "/noodsituaties?alle=1", "/summary"])
@pytest.mark.parametrize("query", [
    "", "emergency=1&fallback=1", "reviewed=ja", "reviewed=nee", "tag=test", "topic=ask_causes", "low=1",
    "since=2020-01-01&until=2030-12-31", "page=7", "note=1",
    "emergency=1&reviewed=nee&tag=inhoud&topic=ask_causes&low=1&note=1",
])
def test_every_filter_renders_on_every_listing(client, path, query):
    separator = "&" if "?" in path else "?"
    assert client.get(path + (separator + query if query else "")).status_code == 200


# --- lockout and sessions ------------------------------------------------------------------------
@pytest.mark.parametrize("known", [True, False])
def test_parallel_attempts_are_counted_atomically(tmp_path, known):
    """For an account (rows in the database) as for a name that is none (in memory, so the
    lockout does not tell which names exist)."""
    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    if known:
        for name in ("anna", "bob"):
            users.add_account(engine, name, "een lang wachtwoord", "medewerker", "test")
    results, barrier = [], threading.Barrier(16)

    def attempt(n):
        barrier.wait()
        results.append(login.reserve_attempt(engine, "anna", f"10.0.0.{n}")[1])

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Never more than the limit reach the password check (a burst may even see fewer: each
    # attempt counts every row visible after its own, which is the safe side).
    assert results.count(True) <= login.MAX_ACCOUNT_FAILURES
    one_by_one = [login.reserve_attempt(engine, "bob", "10.0.1.1")[1] for _ in range(7)]
    assert one_by_one == [True] * login.MAX_ACCOUNT_FAILURES + [False, False]


def test_login_sessions_end_at_logout_and_after_eight_hours(tmp_path):
    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    users.add_account(engine, "anna", "een lang wachtwoord", "medewerker", "test")
    with engine.begin() as db:
        sid = login.start_session(db, "anna", "127.0.0.1")
        old = login.start_session(db, "anna", "127.0.0.1")
        db.execute(sa.text("update review_logins set started = :t where sid = :s"),
                   {"t": time.time() - 8 * 3600 - 1, "s": old})
    assert login.session_user(engine, sid) == ("anna", "medewerker") and login.session_user(engine, old) is None
    with engine.begin() as db:
        login.end_session(db, sid)
    assert login.session_user(engine, sid) is None


def test_accounts_hash_passwords_and_keep_one_beheerder(tmp_path):
    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    users.add_account(engine, "Anna", "een lang wachtwoord", "beheerder", "test")
    assert users.verify_password(engine, "anna", "een lang wachtwoord")
    assert not users.verify_password(engine, "anna", "een ander wachtwoord")
    assert not users.verify_password(engine, "bob", "een lang wachtwoord")
    with pytest.raises(ValueError):
        users.add_account(engine, "bob", "kort", "medewerker", "test")
    with pytest.raises(ValueError, match="laatste beheerder"):
        users.set_role(engine, "anna", "medewerker", "test")
    with engine.connect() as db:
        stored = db.exec_driver_sql("select password from review_accounts").scalar()
    assert "een lang wachtwoord" not in stored and '"salt"' in stored


# --- names, filters, redirects ---------------------------------------------------------------------
def test_every_intent_has_a_dutch_name():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert [intent for intent in domain["intents"] if intent not in TOPIC_NAMES] == []
    assert "nlu_fallback" not in dict(correction_choices())


def test_every_kind_of_danger_has_a_dutch_name():
    from components.danger_model import KINDS

    assert [kind for kind in KINDS if kind not in DANGER_KIND_NAMES] == []
    assert len(set(DANGER_KIND_NAMES.values())) == len(DANGER_KIND_NAMES)


@pytest.mark.parametrize("danger, expected", [
    ({"probability": 0.93, "kind": "domestic_violence", "rule": None, "level": "emergency"}, "model: zeker 93 %"),
    ({"probability": 0.454, "kind": "neglect", "rule": None, "level": "question"}, "model: twijfelt 45 %"),
    ({"probability": 0.2, "kind": "threat_weapon", "rule": "weapon_now", "level": "emergency"},
     "vaste regel: weapon_now"),
    ({"probability": 0.1, "kind": "neglect", "rule": None, "level": None}, "reden niet vastgelegd (model: 10 %)"),
    (None, "eerdere versie"),
])
def test_why_an_alarm_was_raised(danger, expected):
    assert basis_of(danger) == expected


def test_an_alarm_is_one_turn_and_the_emergency_answer_counts():
    """A parent's message with an alarm intent, then both answers: one alarm, the emergency answer."""
    alarms = Alarms()
    event = {"text": "hij slaat haar", "parse_data": {"intent": {"name": "report_emergency", "confidence": 1.0},
                                                      "danger": {"level": "emergency", "probability": 0.8,
                                                                 "kind": "domestic_violence", "rule": None}}}
    alarms.user(7, 100.0, parent_message(event))
    alarms.action(100.5, "utter_safety_check")
    alarms.action(100.6, "utter_emergency")
    alarms.action(100.7, "action_listen")
    assert len(alarms.found) == 1 and alarms.last_at == 100.6
    alarm = alarms.found[0]
    assert (alarm.event_id, alarm.at, alarm.answer_name, alarm.reason) == (
        7, 100.0, "Noodantwoord gegeven", "Geweld tussen volwassenen thuis · model: zeker 80 %")


@pytest.mark.parametrize("text", ["kort bericht", "woord " * 100, "x" * 500, " ".join(["lang"] * 49) + " " + "y" * 30])
def test_a_shown_message_is_never_more_than_the_stored_text(text):
    shown = shorten(text)
    assert len(shown) <= 201
    assert text.strip().startswith(shown[:-1] if shown.endswith("…") else shown)
    assert shown.endswith("…") == (len(text.strip()) > 200)


def test_the_truncation_key_is_the_channel_s():
    source = (ROOT / "channels" / "messages.py").read_text(encoding="utf-8")
    from review.events import TRUNCATED_KEY

    assert f'TRUNCATED_KEY = "{TRUNCATED_KEY}"' in source


@pytest.mark.parametrize("text, expected", [
    ("2025-01-31", "2025-01-31"), ("31-01-2025", "2025-01-31"), ("1-2-2025", "2025-02-01"),
    ("2025-02-30", None), ("31/01/2025", None), ("morgen", None),
])
def test_dates_in_iso_or_dutch_order(text, expected):
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == expected


def test_a_reversed_range_is_an_error_not_ignored():
    filters = Filters.from_query({"since": "10-03-2025", "until": "01-03-2025"})
    assert filters.errors and "Draai de datums om" in filters.errors[0]


@pytest.mark.parametrize("target, expected", [
    ("/", "/"), ("/summary", "/summary"), ("/conversations/abc?x=1", "/conversations/abc?x=1"),
    ("/\t/evil.example", "/"), ("/\r\nSet-Cookie: a=b", "/"), ("//evil.example", "/"), ("/\\evil", "/"),
    ("https://evil.example", "/"), ("/nope", "/"), (None, "/"),
])
def test_safe_next(target, expected, tmp_path):
    app = create_app(review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}"), "secret")
    assert safe_next(target, app) == expected


def test_the_access_log_has_no_route_that_changes_it(tmp_path):
    app = create_app(review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}"), "secret")
    for rule in app.url_map.iter_rules():
        if "toegangslog" in rule.rule or "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_csv_cells_are_never_formulas():
    assert cell("=HYPERLINK(\"x\")").startswith("'=") and cell("gewoon") == "gewoon" and cell(True) == "ja"


# --- training and story exports ---------------------------------------------------------------------
def test_training_export_writes_each_text_once_and_flags_conflicts():
    rows = [(1, "mag mijn kind bij [naam](6) logeren", "ask_practical_info"),
            (2, "mag mijn kind bij [naam](6) logeren", "ask_practical_info"),
            (3, "wat is hechting", "ask_what_is_attachment"),
            (4, "hoe lang duurt het", "ask_treatment")]
    known = {"wat is hechting": "ask_what_is_attachment", "hoe lang duurt het": "ask_practical_info"}
    text = training.render([(i, training.example_text(t), intent) for i, t, intent in rows], known)
    data = yaml.safe_load(text)["nlu"]
    examples = {b["intent"]: b["examples"].split("\n- ")[0].strip("- \n") for b in data}
    assert examples == {"ask_practical_info": "mag mijn kind bij [naam] (6) logeren",
                        "ask_treatment": "hoe lang duurt het"}
    assert "LET OP" in text and "bij ask_practical_info" in text


def test_story_steps_follow_the_events_and_mark_the_age():
    def event(kind, **fields):
        import json

        return kind, json.dumps({"event": kind, **fields})

    rows = [event("action", name="action_session_start"), event("session_started"),
            event("action", name="action_listen"),
            event("user", text="mijn dochter van 4 huilt veel",
                  parse_data={"intent": {"name": "ask_behaviour_normal"}}),
            event("slot", name="age_band", value="peuter_kleuter"),
            event("action", name="utter_acknowledge_worry"), event("action", name="action_listen"),
            event("action", name="action_session_start"), event("session_started"),
            event("user", text="/greet", parse_data={"intent": {"name": "greet"}}), event("action", name="utter_greet")]

    def find_age(text):
        found = re.search(r"van 4", text)
        return {"start": found.start(), "end": found.end(), "value": "peuter_kleuter"} if found else None

    first, second = sessions(rows, find_age)
    assert first == [{"user": 'mijn dochter [van 4]{"entity": "age_band", "value": "peuter_kleuter"} huilt veel',
                      "intent": "ask_behaviour_normal"},
                     {"slot_was_set": [{"age_band": "peuter_kleuter"}]}, {"action": "utter_acknowledge_worry"}]
    assert second == [{"user": "/greet", "intent": "greet"}, {"action": "utter_greet"}]
    assert annotate("hoi [naam](6)", lambda text: None) == "hoi [naam] (6)"


def test_the_benchmark_section_is_replaced_and_kept(tmp_path):
    from bench import sections

    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nother figures\n")
    start, end = sections.REVIEW_SCALE
    sections.replace(page, sections.REVIEW_SCALE, f"{start}\nfirst\n{end}")
    sections.replace(page, sections.REVIEW_SCALE, f"{start}\nsecond\n{end}")
    text = page.read_text()
    assert text.count(start) == 1 and "second" in text and "first" not in text and "other figures" in text
    kept = sections.kept(page)
    assert kept.startswith(start) and kept.endswith(end) and "second" in kept and "first" not in kept
    assert kept.count("_Measured at commit") == 1
