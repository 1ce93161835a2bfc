"""Staff review: real conversations through the bot into the redacting SQLite store, then the
review server over HTTP, the export command and the retention command on that database."""
import json
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
RAW = ["06-12345678", "0612345678", "fatima.bakker@example.nl", "Fatima", "Daan", "Kerkstraat 12", "1234 AB"]
PASSWORD = "een lang wachtwoord 42"


def _sender(kind: str) -> str:
    return f"review-{kind}-{uuid.uuid4().hex[:8]}"


def _python(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def talks(bot):
    """Conversations with personal data and every flag; returns {kind: sender_id} and the replies."""
    senders = {kind: _sender(kind) for kind in ("emergency", "feedback", "registration", "fallback", "xss")}
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


# --- the review server ----------------------------------------------------------------
@pytest.fixture(scope="module")
def review(stack, talks, tmp_path_factory):
    """The review server on a free port, reading the bot's database, with one staff account."""
    env = {"REVIEW_USERS_FILE": str(tmp_path_factory.mktemp("review") / "users.json")}
    created = _python("review.users", "add", "Medewerker", env=env, stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    url = stack.start_review(free_port(), env)
    stack.wait_http(f"{url}/login", stack.review, timeout=60)
    yield url
    stack.end(stack.review, grace=10)


@pytest.fixture(scope="module")
def staff(review):
    session = requests.Session()
    response = session.post(f"{review}/login", data={"name": "medewerker", "password": PASSWORD, "next": "/"},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return session


@pytest.mark.parametrize("path", ["/", "/summary", "/conversations/abc"])
def test_pages_redirect_to_login_without_a_session(review, path):
    response = requests.get(review + path, allow_redirects=False, timeout=10)
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/export.csv", "/export.json"])
def test_export_needs_a_session(review, path):
    assert requests.get(review + path, timeout=10).status_code == 401


def test_wrong_password_is_rejected(review):
    response = requests.post(f"{review}/login", data={"name": "medewerker", "password": "fout wachtwoord!!"},
                             allow_redirects=False, timeout=30)
    assert response.status_code == 401 and "Set-Cookie" not in response.headers
    assert "Onjuiste naam of wachtwoord" in response.text


def test_login_from_our_own_page_as_a_browser_sends_it(review):
    response = requests.post(f"{review}/login", data={"name": "medewerker", "password": PASSWORD},
                             headers={"Origin": review, "Referer": f"{review}/login"},
                             allow_redirects=False, timeout=30)
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_login_from_another_site_is_refused(review):
    response = requests.post(f"{review}/login", data={"name": "medewerker", "password": PASSWORD},
                             headers={"Origin": "http://evil.example"}, allow_redirects=False, timeout=30)
    assert response.status_code == 403


def test_list_shows_every_conversation_with_its_flags(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/", timeout=30)
    assert page.status_code == 200 and "Gesprekken" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for sender in senders.values():
        assert f"/conversations/{sender}" in page.text
    assert "Noodsituatie" in page.text and "Negatieve feedback" in page.text and "Aanmelden" in page.text


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


def test_date_filter(staff, review, talks):
    senders, _ = talks
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert f"/conversations/{senders['emergency']}" in staff.get(
        f"{review}/", params={"since": today.isoformat(), "until": today.isoformat()}, timeout=30).text
    later = staff.get(f"{review}/", params={"since": tomorrow.isoformat()}, timeout=30)
    assert "Geen gesprekken gevonden" in later.text


def test_transcript_shows_redacted_text_intents_and_replies(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['emergency']}", timeout=30).text
    assert "Hoi, ik ben [naam]. Bel me op [telefoon] of mail [e-mail]" in page
    assert "report_emergency" in page and "0800-2000" in page and "Noodsituatie" in page
    assert not [raw for raw in RAW if raw in page]


def test_transcript_marks_feedback_and_pressed_buttons(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['feedback']}", timeout=30).text
    assert "Negatieve feedback" in page and "feedback_negative" in page and "Knop:" in page


def test_text_from_a_parent_is_escaped(staff, review, talks):
    senders, _ = talks
    page = staff.get(f"{review}/conversations/{senders['xss']}", timeout=30).text
    assert "<script>alert" not in page and "<b>mijn" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page and "[telefoon]" in page


def test_unknown_conversation_is_not_found(staff, review):
    assert staff.get(f"{review}/conversations/nobody-{uuid.uuid4().hex}", timeout=30).status_code == 404


def test_export_csv_and_json_of_the_filtered_list(staff, review, talks):
    senders, _ = talks
    csv_text = staff.get(f"{review}/export.csv", params={"registration": "1"}, timeout=30).text
    assert senders["registration"] in csv_text and senders["emergency"] not in csv_text
    assert "mijn zoon [naam] is 3 en we wonen op de [adres], [postcode] Utrecht" in csv_text
    rows = staff.get(f"{review}/export.json", params={"emergency": "1"}, timeout=30).json()
    mine = [row for row in rows if row["sender_id"] == senders["emergency"]]
    assert len(mine) == 1 and mine[0]["emergency"] is True
    assert any(m["text"].startswith("Hoi, ik ben [naam].") for m in mine[0]["messages"])
    assert not [raw for raw in RAW if raw in csv_text + json.dumps(rows)]


def test_summary_page_has_figures_and_a_chart(staff, review, talks):
    page = staff.get(f"{review}/summary", timeout=30).text
    assert "<svg" in page and "Gesprekken per dag" in page and "Aanmelden bereikt" in page
    assert "Meest gevraagde onderwerpen" in page and "ask_help_at_home" in page


def test_logout_ends_the_session(review):
    session = requests.Session()
    session.post(f"{review}/login", data={"name": "medewerker", "password": PASSWORD}, timeout=30)
    assert session.get(f"{review}/", allow_redirects=False, timeout=10).status_code == 200
    session.post(f"{review}/logout", timeout=10)
    assert session.get(f"{review}/", allow_redirects=False, timeout=10).status_code == 303


# --- command-line export and retention ----------------------------------------------------
def test_export_command(bot, talks):
    senders, _ = talks
    result = _python("review.export", "--format", "json", "--flag", "emergency",
                     "--since", date.today().isoformat(), "--db-url", f"sqlite:///{bot.db}")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert senders["emergency"] in {row["sender_id"] for row in rows}
    assert senders["feedback"] not in {row["sender_id"] for row in rows}


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
        before = {s for (s,) in db.execute("select distinct sender_id from events")}
    result = _python("review.retention", "--db-url", f"sqlite:///{copy}")  # default: 90 days
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 conversation(s)" in result.stdout
    with sqlite3.connect(copy) as db:
        after = {s for (s,) in db.execute("select distinct sender_id from events")}
    assert after == before - {senders["emergency"]}


# --- units -------------------------------------------------------------------------------
def test_sessions_expire_when_idle_and_after_the_maximum():
    from review.sessions import Sessions

    now = [0.0]
    sessions = Sessions(idle=30 * 60, maximum=8 * 3600, clock=lambda: now[0])
    token = sessions.start("anna")
    for _ in range(20):  # active every 25 minutes: kept alive, until 8 hours have passed
        now[0] += 25 * 60
        if now[0] > 8 * 3600:
            break
        assert sessions.user(token) == "anna"
    assert sessions.user(token) is None
    idle = sessions.start("anna")
    now[0] += 31 * 60
    assert sessions.user(idle) is None and sessions.user("made-up") is None


def test_passwords_are_salted_hashes(tmp_path):
    from review import users

    path = tmp_path / "users.json"
    users.add_user("Anna", "een lang wachtwoord", path=path)
    stored = users.load_users(path)
    assert "een lang wachtwoord" not in path.read_text()
    assert users.verify_password(stored, "anna", "een lang wachtwoord")
    assert not users.verify_password(stored, "anna", "een ander wachtwoord")
    assert not users.verify_password(stored, "bob", "een lang wachtwoord")
    with pytest.raises(ValueError):
        users.add_user("bob", "kort", path=path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_csv_cells_are_never_formulas():
    from review.export import _cell

    assert _cell("=HYPERLINK(\"x\")").startswith("'=") and _cell("gewoon") == "gewoon"
