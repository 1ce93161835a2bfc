"""Staff review: real conversations through the bot into the redacting SQLite store, then the
review server over HTTP (what staff read), the export command and the retention command."""
import json
import re
import sqlite3
import time
from datetime import date, timedelta

import pytest
import requests
from review_support import PASSWORD, audit_rows, login, python, sender, signed_in

RAW = ["06-12345678", "0612345678", "fatima.bakker@example.nl", "Fatima", "Daan", "Kerkstraat 12", "1234 AB"]


@pytest.fixture(scope="module")
def talks(bot):
    """Conversations with personal data, every flag, a widget greeting, buttons and a cut message."""
    senders = {kind: sender(kind) for kind in ("emergency", "feedback", "registration", "fallback", "xss",
                                               "widget", "long")}
    replies = {}
    replies["emergency"] = [
        bot.say(senders["emergency"], "Hoi, ik ben Fatima. Bel me op 06-12345678 of mail fatima.bakker@example.nl")[0],
        bot.say(senders["emergency"], "mijn man slaat ons, ik ben bang")[0],
    ]
    bot.say(senders["feedback"], "wat helpt thuis voor een kind met hechtingsproblemen")
    bot.say(senders["feedback"], "/feedback_negative")
    bot.say(senders["registration"], "mijn zoon Daan is 3 en we wonen op de Kerkstraat 12, 1234 AB Utrecht")
    bot.say(senders["registration"], "/ask_registration")
    bot.say(senders["fallback"], "hoe laat gaat de trein naar utrecht")
    bot.say(senders["xss"], "<script>alert('xss')</script> <b>mijn zoon</b> bel 0612345678")
    bot.say(senders["widget"], "/greet")  # what the widget sends when the chat opens
    bot.say(senders["widget"], "/ask_help_at_home")  # the "Wat helpt thuis?" button of the greeting
    bot.say(senders["widget"], "mag ik vragen wat hechting nou eigenlijk is")
    long_text = "Ik maak me zorgen over mijn dochter. " * 80
    replies["long"] = (bot.say(senders["long"], long_text)[0], len(long_text.strip()))  # REST strips it
    return senders, replies


# --- the database -------------------------------------------------------------------
def test_the_bot_still_answers_with_the_raw_message(talks):
    _, replies = talks
    assert "0800-2000" in replies["emergency"][1] and "112" in replies["emergency"][1]


def test_no_raw_personal_data_in_any_column_of_the_events_table(bot, talks):
    senders, _ = talks
    with sqlite3.connect(bot.db) as db:
        rows = db.execute("select * from events where sender_id in (%s)" % ",".join("?" * len(senders)),
                          list(senders.values())).fetchall()
    assert len(rows) > 20
    cells = [str(cell) for row in rows for cell in row]
    for raw in RAW:
        assert not [cell for cell in cells if raw in cell], f"{raw!r} stored"
    stored = "\n".join(cells)
    for placeholder in ("[telefoon]", "[e-mail]", "[naam]", "[adres]", "[postcode]"):
        assert placeholder in stored


def test_the_tracker_reloaded_from_the_database_is_redacted(bot, talks):
    senders, _ = talks
    texts = [e.get("text") or "" for e in bot.tracker(senders["emergency"])["events"] if e["event"] == "user"]
    assert texts[0] == "Hoi, ik ben [naam]. Bel me op [telefoon] of mail [e-mail]"


# --- logging in -------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/summary", "/noodsituaties", "/conversations/abc"])
def test_pages_redirect_to_login_without_a_session(review, path):
    response = requests.get(review + path, allow_redirects=False, timeout=10)
    assert response.status_code == 303 and response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/export.csv", "/export.json"])
def test_export_needs_a_session(review, path):
    assert requests.get(review + path, timeout=10).status_code == 401


def test_wrong_password_is_rejected(review):
    response = login(review, "medewerker", "fout wachtwoord!!", address="198.51.100.1")
    assert response.status_code == 401 and "Onjuiste naam of wachtwoord" in response.text
    assert requests.get(review + "/", cookies=response.session.cookies, allow_redirects=False,
                        timeout=10).status_code == 303


def test_login_sets_a_strict_session_cookie_and_goes_to_next(review):
    response = login(review, "medewerker", next_page="/summary?emergency=1")
    assert response.status_code == 303 and response.headers["Location"] == "/summary?emergency=1"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert response.session.get(review + "/summary", timeout=30).status_code == 200


def test_logout_ends_the_session_on_the_server(review):
    session = signed_in(review, "medewerker")
    stolen = dict(session.cookies)
    assert session.get(f"{review}/", allow_redirects=False, timeout=10).status_code == 200
    token = session.get(f"{review}/", timeout=10).text.split('name="csrf_token" value="')[1].split('"')[0]
    assert session.post(f"{review}/logout", data={"csrf_token": token}, allow_redirects=False,
                        timeout=10).status_code == 303
    # The old cookie, replayed (e.g. copied before logout), no longer works.
    assert requests.get(f"{review}/", cookies=stolen, allow_redirects=False, timeout=10).status_code == 303


# --- what staff read --------------------------------------------------------------------
def test_list_shows_every_conversation_with_dutch_topics_and_flags(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/", timeout=30)
    assert page.status_code == 200 and "Gesprekken" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for kind in ("emergency", "feedback", "registration", "fallback", "xss", "widget"):
        assert f"/conversations/{senders[kind]}" in page.text
    assert "Noodsituatie" in page.text and "Negatieve feedback" in page.text and "Aanmelden" in page.text
    table = page.text.split('<table class="list">')[1]
    assert "Wat helpt thuis?" in table and "ask_help_at_home" not in table


@pytest.mark.parametrize("flag, kind, not_flagged", [
    ("emergency", "emergency", ["feedback", "registration", "fallback"]),
    ("negative_feedback", "feedback", ["emergency", "registration", "fallback"]),
    ("registration", "registration", ["emergency", "feedback", "fallback"]),
    ("fallback", "fallback", ["feedback"]),
])
def test_flag_filters(staff, review, talks, flag, kind, not_flagged):
    senders, _ = talks
    page = staff.get(f"{review}/", params={flag: "1"}, timeout=30).text
    assert f"/conversations/{senders[kind]}" in page
    assert not [other for other in not_flagged if f"/conversations/{senders[other]}" in page]


def test_topic_filter_by_dutch_name(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/", params={"topic": "ask_help_at_home"}, timeout=30).text
    assert f"/conversations/{senders['widget']}" in page and f"/conversations/{senders['fallback']}" not in page
    assert '<option value="ask_help_at_home" selected>Wat helpt thuis?</option>' in page


def test_date_filter(staff, review, talks):
    senders, _ = talks
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert f"/conversations/{senders['emergency']}" in staff.get(
        f"{review}/", params={"since": today.isoformat(), "until": today.isoformat()}, timeout=30).text
    dutch = staff.get(f"{review}/", params={"since": today.strftime("%d-%m-%Y")}, timeout=30)
    assert dutch.status_code == 200 and f"/conversations/{senders['emergency']}" in dutch.text
    later = staff.get(f"{review}/", params={"since": tomorrow.isoformat()}, timeout=30)
    assert "Geen gesprekken gevonden" in later.text


@pytest.mark.parametrize("params, message", [
    ({"since": "2025-02-30"}, "De datum bij ‘van’ klopt niet"),
    ({"until": "gisteren"}, "De datum bij ‘tot en met’ klopt niet"),
    ({"since": "2025-03-10", "until": "2025-03-01"}, "ligt na ‘tot en met’"),
])
@pytest.mark.parametrize("path", ["/", "/summary", "/noodsituaties"])
def test_a_wrong_or_reversed_date_range_gets_a_dutch_message(staff, review, talks, path, params, message):
    senders, _ = talks
    page = staff.get(review + path, params=params, timeout=30)
    assert page.status_code == 400 and message in page.text
    assert f"/conversations/{senders['emergency']}" not in page.text  # not silently ignored


def test_export_with_a_wrong_date_is_refused_in_dutch(staff, review):
    response = staff.get(f"{review}/export.csv", params={"since": "31-02-2025"}, timeout=30)
    assert response.status_code == 400 and "klopt niet" in response.text


def test_transcript_shows_redacted_text_dutch_topics_and_replies(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['emergency']}", timeout=30).text
    assert "Hoi, ik ben [naam]. Bel me op [telefoon] of mail [e-mail]" in page
    # No intent name in what staff read (an option's value attribute is not shown).
    assert "Onderwerp: <strong>Noodsituatie</strong>" in page and "report_emergency" not in re.sub(r"<[^>]*>", "", page)
    assert "0800-2000" in page and "hulplijnen getoond" in page
    assert not [raw for raw in RAW if raw in page]


def test_widget_greeting_is_hidden_and_buttons_show_their_title(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['widget']}", timeout=30).text
    assert "/greet" not in page and "/ask_help_at_home" not in page
    assert '<span class="button-pressed">Knop:</span> Wat helpt thuis?' in page
    assert "mag ik vragen wat hechting nou eigenlijk is" in page
    assert "2 berichten van de ouder" in page  # the automatic greeting is not counted


def test_a_cut_message_is_marked(staff, review, talks):
    senders, replies = talks
    answer, length = replies["long"]
    assert "alleen een deel" in answer and length > 2000
    page = staff.get(f"{review}/conversations/{senders['long']}", timeout=30).text
    assert "bericht ingekort" in page and f"schreef {length} tekens" in page


def test_transcript_marks_feedback_and_pressed_buttons(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['feedback']}", timeout=30).text
    assert "Negatieve feedback" in page and "Had niets aan het antwoord" in page and "Knop:" in page


def test_text_from_a_parent_is_escaped(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['xss']}", timeout=30).text
    assert "<script>alert" not in page and "<b>mijn" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page and "[telefoon]" in page


def test_unknown_conversation_is_not_found(staff, review):
    assert staff.get(f"{review}/conversations/nobody-{time.time()}", timeout=30).status_code == 404


def test_export_csv_and_json_of_the_filtered_list(staff, review, talks, bot):
    senders, _ = talks
    csv_text = staff.get(f"{review}/export.csv", params={"registration": "1"}, timeout=30).text
    assert senders["registration"] in csv_text and senders["emergency"] not in csv_text
    assert "mijn zoon [naam] is 3 en we wonen op de [adres], [postcode] [plaats]" in csv_text
    rows = staff.get(f"{review}/export.json", params={"emergency": "1"}, timeout=30).json()
    mine = [row for row in rows if row["sender_id"] == senders["emergency"]]
    assert len(mine) == 1 and mine[0]["emergency"] is True and "Noodsituatie" in mine[0]["topics"]
    assert any(m["text"].startswith("Hoi, ik ben [naam].") for m in mine[0]["messages"])
    assert not [raw for raw in RAW if raw in csv_text + json.dumps(rows)]
    logged = audit_rows(bot.db, "export")[-1]
    assert logged[0] == "medewerker" and json.loads(logged[4])["rows"] == len(rows)


def test_export_json_shows_button_titles_and_hides_the_greeting(staff, review, talks):
    senders, _ = talks
    rows = staff.get(f"{review}/export.json", params={"topic": "ask_help_at_home"}, timeout=30).json()
    mine = [row for row in rows if row["sender_id"] == senders["widget"]][0]
    texts = [m["text"] for m in mine["messages"] if m["from"] == "ouder"]
    assert texts == ["Wat helpt thuis?", "mag ik vragen wat hechting nou eigenlijk is"]


def test_summary_page_has_figures_a_chart_and_dutch_topics(staff, review, talks):
    page = staff.get(f"{review}/summary", timeout=30).text
    assert "<svg" in page and "Gesprekken per dag" in page and "Aanmelden bereikt" in page
    assert "Meest gevraagde onderwerpen" in page and "Wat helpt thuis?" in page
    assert "Noodsituaties" in page and "Nog op te volgen" in page and "Niet begrepen" in page


# --- command-line export and retention ----------------------------------------------------
def test_export_command(bot, talks):
    senders, _ = talks
    result = python("review.export", "--format", "json", "--flag", "emergency",
                    "--since", date.today().isoformat(), "--db-url", f"sqlite:///{bot.db}")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert senders["emergency"] in {row["sender_id"] for row in rows}
    assert senders["feedback"] not in {row["sender_id"] for row in rows}
    assert audit_rows(bot.db, "export")[-1][0].startswith("shell")


def test_retention_deletes_exactly_the_old_conversations(bot, talks, tmp_path):
    senders, _ = talks
    copy = tmp_path / "tracker.db"
    with sqlite3.connect(bot.db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    day = 86400
    with sqlite3.connect(copy) as db:
        # Old: every event 100 days ago. Kept: began 120 days ago, last event 10 days ago.
        db.execute("update events set timestamp = timestamp - ? where sender_id = ?", (100 * day, senders["emergency"]))
        db.execute("update events set timestamp = timestamp - ? where sender_id = ?", (120 * day, senders["feedback"]))
        db.execute("update events set timestamp = ? where id = (select max(id) from events where sender_id = ?)",
                   (time.time() - 10 * day, senders["feedback"]))
        db.execute("insert into review_notes values (?, 'oud', 'medewerker', 0)", (senders["emergency"],))
        before = {s for (s,) in db.execute("select distinct sender_id from events")}
    result = python("review.retention", "--db-url", f"sqlite:///{copy}")  # default: 90 days
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 conversation(s)" in result.stdout
    with sqlite3.connect(copy) as db:
        after = {s for (s,) in db.execute("select distinct sender_id from events")}
        notes = db.execute("select count(*) from review_notes where sender_id = ?", (senders["emergency"],)).fetchone()
        summaries = db.execute("select count(*) from review_conversations where sender_id = ?",
                               (senders["emergency"],)).fetchone()
    assert after == before - {senders["emergency"]}
    assert notes == (0,) and summaries == (0,)
    assert audit_rows(copy, "retention")


def test_retention_keeps_the_access_log_longer(bot, tmp_path):
    copy = tmp_path / "tracker.db"
    with sqlite3.connect(bot.db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    year = 365 * 86400
    with sqlite3.connect(copy) as db:
        db.execute("insert into review_audit (at, account, action) values (?, 'oud', 'login')", (time.time() - year,))
        db.execute("insert into review_audit (at, account, action) values (?, 'ouder', 'login')",
                   (time.time() - 6 * year,))
    result = python("review.retention", "--db-url", f"sqlite:///{copy}")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as db:
        accounts = {a for (a,) in db.execute("select account from review_audit")}
    assert "oud" in accounts and "ouder" not in accounts  # default: 5 years, not 90 days
    refused = python("review.retention", "--days", "90", "--audit-days", "30", "--db-url", f"sqlite:///{copy}")
    assert refused.returncode != 0 and "audit-days" in refused.stderr


def test_staff_accounts_are_salted_hashes_with_a_role(bot, review):
    with sqlite3.connect(bot.db) as db:
        rows = dict(db.execute("select name, password from review_accounts").fetchall())
        roles = dict(db.execute("select name, role from review_accounts").fetchall())
    assert PASSWORD not in "".join(rows.values()) and '"salt"' in rows["medewerker"]
    assert roles["medewerker"] == "medewerker" and roles["beheer"] == "beheerder"
