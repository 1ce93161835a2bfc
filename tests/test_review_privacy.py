"""The privacy officer's findings on the staff review tool, each checked where it shows: over
HTTP against a review server on a tracker store of its own (`own_store`: no Rasa, no trained
model), or on the database itself.

1. Erasure leaves nothing: after the parent erases in the chat (the events go on the Rasa
   side) and after staff erase in the tool, the tool's summary, mark, note, tags, follow-up
   and corrections go too, with one access-log line, and no readable copy of the text stays
   in the SQLite files (.db, -wal, -shm).
2. Sender ids are exact: " abc", "abc ", "ABC" and "abc" are four conversations.
3. The access log is tamper-evident: the database refuses UPDATE and DELETE, ids are never
   given twice, and a hash chain shows a row changed behind the triggers' back.
4. Failed logins with unknown names are counted per address and quarter, not a row each.
5. The login's `next` never starts an export.
6. The session cookie is Secure over https, and plain http on 127.0.0.1 still works.
"""
import json
import re
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
import sqlalchemy as sa
from review_support import (
    CSRF,
    PASSWORD,
    ROOT,
    csrf_token,
    events_of,
    login,
    post_form,
    python,
    sender,
    signed_in,
    store_events,
    write_audit_in_parallel,
)

from bench.review_data import Generator, write
from review import audit, index
from review.db import review_engine
from review.schema import NOTES
from tracker_store.database import erase_conversation

GENERATOR = Generator(seed=5)
TOOL_TABLES = ("review_conversations", "review_topics", "review_reviewed", "review_notes", "review_tags",
               "review_followups", "review_corrections")


@pytest.fixture(scope="module")
def review(own_store):
    """This module's review server: on its own tracker store (tests/review_support.py)."""
    return own_store.url


def marker(kind: str) -> str:
    """A word found nowhere else: letters only, so the redaction rules leave it alone."""
    return kind + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:14])


def talk(db: Path, sender_id: str, text: str, at: float = None, emergency: bool = False) -> None:
    """A conversation as the widget and Rasa store it: the session start, then the parent's
    typed `text` and the bot's answer (the emergency answer with `emergency`)."""
    g, at = GENERATOR, at or time.time() - 600
    events = [g._action(at, "action_session_start"), g._event("session_started", at + 0.001),
              g._action(at + 0.002, "action_listen")]
    events += g._turn(at + 1, g._user(at + 1, text, "ask_help_at_home", 0.9), ["utter_help_at_home"])
    if emergency:
        events += g._turn(at + 60, g._user(at + 60, "hij slaat haar en ik ben bang", "report_emergency", 1.0),
                          ["utter_emergency"])
    store_events(db, sender_id, events)


def page(sender_id: str) -> str:
    return f"/conversations/{quote(sender_id, safe='')}"


def first_message(db: Path, sender_id: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select min(id) from events where sender_id = ? and type_name = 'user'",
                                  (sender_id,)).fetchone()[0]


def tool_rows(db: Path, sender_id: str) -> dict:
    """table -> rows the tool keeps about `sender_id` (compared exactly)."""
    with sqlite3.connect(db) as connection:
        return {table: connection.execute(f"select count(*) from {table} where sender_id = ?",
                                          (sender_id,)).fetchone()[0] for table in TOOL_TABLES}


def annotate(staff, review, db: Path, sender_id: str, words: dict) -> None:
    """Everything staff can record about a conversation, over HTTP: the mark, a note, tags,
    a follow-up and a correction; `words` has the note's and the follow-up's unique words."""
    staff.get(f"{review}/", timeout=30)  # the summary row
    there = page(sender_id)
    for to, data in (("/act/reviewed", {"value": "1"}), ("/act/note", {"text": f"belde terug {words['note']}"}),
                     ("/act/tags", {"tag": ["inhoud", "voorbeeld"]}),
                     ("/act/followup", {"note": f"opgevolgd {words['followup']}"}),
                     ("/act/correction", {"event": str(first_message(db, sender_id)), "intent": "ask_causes"})):
        assert post_form(staff, review, there, to, sender=sender_id, **data).status_code == 303, to
    assert all(tool_rows(db, sender_id).values()), tool_rows(db, sender_id)  # each table has its row


def log_lines(db: Path, target: str, since: int) -> list:
    """(account, action, details) of the access-log lines about `target` after id `since`."""
    with sqlite3.connect(db) as connection:
        return connection.execute("select account, action, details from review_audit where target = ? and id > ? "
                                  "order by id", (target, since)).fetchall()


def last_id(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select coalesce(max(id), 0) from review_audit").fetchone()[0]


def raw_files(db: Path) -> bytes:
    """The bytes of the database file and its -wal and -shm files, as anyone could read them."""
    return b"".join(path.read_bytes() for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
                    if path.exists())


def widget_erasure(db: Path, sender_id: str) -> None:
    """What the chat's "Gesprek wissen" does on the Rasa side (channels/socketio.py)."""
    engine = sa.create_engine(f"sqlite:///{db}")
    assert erase_conversation(engine, sender_id) > 0
    engine.dispose()


# --- 1. erasure -------------------------------------------------------------------------------------
def test_staff_erasure_removes_everything_and_leaves_no_readable_copy(staff, review, own_store):
    db, target = own_store.db, sender("erase")
    words = {"parent": marker("ouder"), "note": marker("notitie"), "followup": marker("opvolging")}
    talk(db, target, f"mijn zoon wil niet knuffelen {words['parent']}", emergency=True)
    annotate(staff, review, db, target, words)
    with sqlite3.connect(db) as connection:  # the correction quotes the parent
        assert words["parent"] in connection.execute("select text from review_corrections where sender_id = ?",
                                                     (target,)).fetchone()[0]
    found = raw_files(db)
    assert all(word.encode() in found for word in words.values())  # the scan sees them while they are there
    before = last_id(db)
    done = post_form(staff, review, f"/wissen?sender={quote(target)}", "/wissen", sender=target, confirm="ja")
    assert done.status_code == 303
    assert events_of(db, target) == 0
    assert tool_rows(db, target) == dict.fromkeys(TOOL_TABLES, 0)
    assert staff.get(review + page(target), timeout=30).status_code == 404
    assert target not in staff.get(f"{review}/", timeout=30).text
    lines = log_lines(db, target, before)
    assert [(account, action) for account, action, _ in lines] == [("medewerker", "erase")]
    assert set(json.loads(lines[0][2])) == {"events"}  # how many, never what
    with sqlite3.connect(db) as connection:
        everything = " ".join(str(row) for row in connection.execute("select * from review_audit"))
    assert not any(word in everything for word in words.values())
    found = raw_files(db)
    assert [word for word in words.values() if word.encode() in found] == []


def test_a_widget_erasure_is_noticed_and_the_tool_forgets_it(staff, review, own_store):
    db, target = own_store.db, sender("widget")
    words = {"note": marker("notitie"), "followup": marker("opvolging")}
    talk(db, target, "hoe help ik mijn dochter bij het afscheid op school", emergency=True)
    annotate(staff, review, db, target, words)
    assert target in staff.get(f"{review}/", timeout=30).text
    before = last_id(db)
    widget_erasure(db, target)
    listing = staff.get(f"{review}/", timeout=30).text  # the next page view syncs
    assert target not in listing
    assert tool_rows(db, target) == dict.fromkeys(TOOL_TABLES, 0)
    assert staff.get(review + page(target), timeout=30).status_code == 404
    staff.get(f"{review}/noodsituaties", timeout=30)
    assert [(a, action, d) for a, action, d in log_lines(db, target, before)] == \
        [(audit.PARENT_IN_CHAT, "erased_in_chat", None)]  # once, whatever is viewed after
    found = raw_files(db)
    assert [word for word in words.values() if word.encode() in found] == []


def test_staff_can_erase_what_the_tool_kept_after_a_widget_erasure(staff, review, own_store):
    db, target = own_store.db, sender("widget-staff")
    talk(db, target, "wat doe ik als mijn kind niet wil praten", emergency=True)
    annotate(staff, review, db, target, {"note": marker("notitie"), "followup": marker("opvolging")})
    token = csrf_token(staff, f"{review}/")  # before the erasure: a page view would sync
    before = last_id(db)
    widget_erasure(db, target)
    done = staff.post(f"{review}/wissen", data={"csrf_token": token, "sender": target, "confirm": "ja"},
                      allow_redirects=False, timeout=30)
    assert done.status_code == 303
    assert tool_rows(db, target) == dict.fromkeys(TOOL_TABLES, 0)
    staff.get(f"{review}/", timeout=30)
    lines = log_lines(db, target, before)
    assert [(account, action) for account, action, _ in lines] == [("medewerker", "erase")]
    assert json.loads(lines[0][2]) == {"events": 0}


def test_a_parent_who_goes_on_after_erasing_starts_a_new_conversation(staff, review, own_store):
    db, target = own_store.db, sender("again")
    old_words = {"note": marker("notitie"), "followup": marker("opvolging")}
    talk(db, target, f"eerste gesprek {marker('eerste')}", at=time.time() - 3600, emergency=True)
    annotate(staff, review, db, target, old_words)
    before = last_id(db)
    widget_erasure(db, target)
    new_text = f"tweede gesprek {marker('tweede')}"
    talk(db, target, new_text)  # the same id again, before the tool looked
    staff.get(f"{review}/", timeout=30)
    assert tool_rows(db, target) == {**dict.fromkeys(TOOL_TABLES, 0), "review_conversations": 1, "review_topics": 1}
    shown = staff.get(review + page(target), timeout=30).text
    assert new_text in shown and "eerste gesprek" not in shown and old_words["note"] not in shown
    assert "hulplijnen getoond" not in shown and "Noodsituatie opvolgen" not in shown  # the old alarm went too
    assert [(a, action) for a, action, _ in log_lines(db, target, before) if action != "transcript"] == \
        [(audit.PARENT_IN_CHAT, "erased_in_chat")]


def test_the_sweep_finds_every_erased_conversation_in_rounds(tmp_path, monkeypatch):
    path = tmp_path / "tracker.db"
    engine = review_engine(db_url=f"sqlite:///{path}", prepare=False)
    write(engine, 120, seed=13, rasa_model=False)
    engine = review_engine(db_url=f"sqlite:///{path}")
    assert index.sync(engine) == 120
    with engine.connect() as db:
        senders = list(db.exec_driver_sql("select distinct sender_id from events order by sender_id").scalars())
    gone = [senders[5], senders[60], senders[-1]]
    with engine.begin() as db:
        db.execute(NOTES.insert().values(sender_id=gone[1], text="notitie", account="anna", at=time.time()))
        for name in gone:
            db.exec_driver_sql("delete from events where sender_id = ?", (name,))
    monkeypatch.setattr(index, "SWEEP", 25)
    rounds = 0
    while rounds < 6 and _summaries(engine, gone):
        index.sync(engine)
        rounds += 1
    assert _summaries(engine, gone) == 0 and rounds >= 3  # in rounds of 25, not all at once
    with engine.connect() as db:
        assert db.exec_driver_sql("select count(*) from review_notes").scalar() == 0
        logged = sorted(db.exec_driver_sql("select target from review_audit where action = 'erased_in_chat'")
                        .scalars())
        assert logged == sorted(gone)
        assert db.exec_driver_sql("select count(*) from review_conversations").scalar() == 117


def test_ids_given_again_after_erasing_the_newest_conversation_are_read(tmp_path):
    """SQLite gives the ids of erased newest events to the next ones (Rasa's events table
    has no AUTOINCREMENT): the next conversation must still be summarised at once."""
    path = tmp_path / "tracker.db"
    engine = review_engine(db_url=f"sqlite:///{path}", prepare=False)
    write(engine, 30, seed=17, rasa_model=False)
    engine = review_engine(db_url=f"sqlite:///{path}")
    index.sync(engine)
    with engine.begin() as db:
        newest = db.exec_driver_sql("select sender_id from events order by id desc limit 1").scalar()
        top = db.exec_driver_sql("select max(id) from events").scalar()
        db.exec_driver_sql("delete from events where sender_id = ?", (newest,))
    talk(path, "nieuw-na-wissen", "mijn dochter huilt veel bij het wegbrengen")
    with engine.connect() as db:
        assert db.exec_driver_sql("select max(id) from events").scalar() <= top  # the same ids again
    index.sync(engine)
    assert _summaries(engine, ["nieuw-na-wissen"]) == 1 and _summaries(engine, [newest]) == 0


def _summaries(engine, senders) -> int:
    with engine.connect() as db:
        return db.execute(sa.text("select count(*) from review_conversations where sender_id in :s")
                          .bindparams(sa.bindparam("s", expanding=True)), {"s": senders}).scalar()


# --- 2. exact sender ids ------------------------------------------------------------------------------
def test_look_alike_sender_ids_are_other_conversations(staff, review, own_store):
    db, base = own_store.db, "abc" + uuid.uuid4().hex[:6]
    ids = {"plain": base, "leading": " " + base, "trailing": base + " ", "upper": base.upper()}
    words = {kind: marker(kind) for kind in ids}
    for kind, name in ids.items():
        talk(db, name, f"vraag over mijn kind {words[kind]}")
    for kind, name in ids.items():
        shown = staff.get(review + page(name), timeout=30)
        assert shown.status_code == 200 and words[kind] in shown.text
        assert [other for other in ids if other != kind and words[other] in shown.text] == []
    assert post_form(staff, review, page(ids["leading"]), "/act/note", sender=ids["leading"],
                     text="over de spatie").status_code == 303
    with sqlite3.connect(db) as connection:
        noted = [row[0] for row in connection.execute("select sender_id from review_notes "
                                                      "where text = 'over de spatie'")]
    assert noted == [ids["leading"]]
    form = staff.get(f"{review}/wissen", params={"sender": ids["leading"]}, timeout=30)
    assert f'name="sender" value="{ids["leading"]}"' in form.text
    done = post_form(staff, review, page(ids["leading"]), "/wissen", sender=ids["leading"], confirm="ja")
    assert done.status_code == 303
    assert {kind: events_of(db, name) > 0 for kind, name in ids.items()} == \
        {"plain": True, "leading": False, "trailing": True, "upper": True}
    for kind, name in ids.items():
        assert staff.get(review + page(name), timeout=30).status_code == (404 if kind == "leading" else 200)
    with sqlite3.connect(db) as connection:
        erased = [row[0] for row in connection.execute("select target from review_audit where action = 'erase' "
                                                       "and target like ?", (f"%{base}%",))]
    assert erased == [ids["leading"]]


def test_erase_from_the_command_line_takes_the_id_exactly(own_store):
    db, base = own_store.db, "cli" + uuid.uuid4().hex[:6]
    for name in (base, base + " "):
        talk(db, name, "hoe lang duurt een behandeling")
    erased = python("review.erase", base + " ", "--yes", "--db-url", f"sqlite:///{db}")
    assert erased.returncode == 0, erased.stderr
    assert (events_of(db, base) > 0, events_of(db, base + " ")) == (True, 0)


# --- 3. the access log -----------------------------------------------------------------------------------
@pytest.mark.parametrize("statement", [
    "update review_audit set account = 'iemand anders' where id = (select max(id) from review_audit)",
    "update review_audit set details = null",
    "delete from review_audit where id = (select max(id) from review_audit)",
    "delete from review_audit",
])
def test_the_database_refuses_to_change_the_log(own_store, statement):
    db = own_store.db
    with sqlite3.connect(db) as connection:
        before = connection.execute("select * from review_audit order by id").fetchall()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute(statement)
        connection.rollback()
        assert connection.execute("select * from review_audit order by id").fetchall()[:len(before)] == before


def _copy(db: Path, to: Path) -> Path:
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    return to


def _logged_copy(staff, review, db: Path, to: Path) -> Path:
    """A copy of the running tool's database, after a few more page views were logged."""
    for path in ("/", "/summary", "/noodsituaties"):
        staff.get(review + path, timeout=30)
    return _copy(db, to)


def _verify(path: Path) -> subprocess.CompletedProcess:
    return python("review.audit", "verify", "--db-url", f"sqlite:///{path}")


def test_a_row_changed_behind_the_triggers_back_is_found(staff, review, own_store, tmp_path):
    copy = _logged_copy(staff, review, own_store.db, tmp_path / "copy.db")
    intact = _verify(copy)
    assert intact.returncode == 0, intact.stderr
    assert "in orde" in intact.stdout and "intact" in intact.stdout
    with sqlite3.connect(copy) as connection:
        rows = [row[0] for row in connection.execute("select id from review_audit order by id")]
        changed = rows[len(rows) // 2]
        connection.execute("drop trigger review_audit_no_update")
        connection.execute("update review_audit set account = 'iemand anders' where id = ?", (changed,))
    tampered = _verify(copy)
    assert tampered.returncode == 1
    assert "GEWIJZIGD" in tampered.stderr and f"row {changed}:" in tampered.stderr
    assert f"row {changed + 1}:" not in tampered.stderr  # the row changed, not every one after it


def test_a_row_removed_behind_the_triggers_back_is_found(staff, review, own_store, tmp_path):
    copy = _logged_copy(staff, review, own_store.db, tmp_path / "copy.db")
    with sqlite3.connect(copy) as connection:
        rows = [row[0] for row in connection.execute("select id from review_audit order by id")]
        connection.execute("drop trigger review_audit_no_delete")
        connection.execute("delete from review_audit where id in (?, ?)", (rows[3], rows[-1]))
    tampered = _verify(copy)
    assert tampered.returncode == 1
    assert f"row {rows[4]}:" in tampered.stderr  # the row after the hole
    assert f"{rows[-1]}-{rows[-1]}" in tampered.stderr  # the newest row: an id given but missing


def test_ids_are_never_given_twice(tmp_path):
    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    for n in range(3):
        audit.log(engine, "anna", "list", page=n)
    with engine.begin() as db:
        db.exec_driver_sql("drop trigger review_audit_no_delete")
        newest = db.exec_driver_sql("select max(id) from review_audit").scalar()
        db.exec_driver_sql("delete from review_audit where id = ?", (newest,))
    audit.log(engine, "anna", "list", page=4)
    with engine.connect() as db:
        assert db.exec_driver_sql("select max(id) from review_audit").scalar() == newest + 1


def test_parallel_writers_keep_one_chain(tmp_path):
    engine = review_engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    write_audit_in_parallel(engine)
    verdict = audit.verify(engine)
    assert verdict.entries == 120 and verdict.ok, verdict.problems


def test_retention_of_the_log_keeps_the_chain_checkable(tmp_path):
    path = tmp_path / "db.sqlite"
    engine = review_engine(db_url=f"sqlite:///{path}")
    for n in range(6):
        audit.log(engine, "anna", "list", page=n)
        time.sleep(0.01)
    with engine.connect() as db:
        times = list(db.exec_driver_sql("select at from review_audit order by id").scalars())
    now = time.time() + 10 * 86400
    assert audit.delete_older(engine, (now - (times[2] + times[3]) / 2) / 86400, now=now) == 3
    verdict = audit.verify(engine)
    assert verdict.ok and verdict.entries == 4, verdict.problems  # three kept, and the retention's entry
    with sqlite3.connect(path) as connection:  # outside retention, still refused, even for an old row
        connection.execute("insert into review_audit (at, account, action) values (0, 'oud', 'login')")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("delete from review_audit where at = 0")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("delete from review_audit")
    assert not audit.verify(engine).ok  # the row added behind the tool's back has no hash
    assert audit.delete_older(engine, 0, now=time.time() + 1) == 5  # everything: a new chain begins
    verdict = audit.verify(engine)
    assert verdict.ok and verdict.entries == 1, verdict.problems


OLD_AUDIT = """CREATE TABLE review_audit (id INTEGER NOT NULL, at FLOAT NOT NULL, account VARCHAR(64) NOT NULL,
    address VARCHAR(64), action VARCHAR(32) NOT NULL, target VARCHAR(255), details TEXT, PRIMARY KEY (id))"""


def test_an_existing_log_is_migrated_and_chained(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:  # as the tool before this version left it
        connection.execute(OLD_AUDIT)
        connection.execute("create index ix_review_audit_at on review_audit (at)")
        connection.executemany("insert into review_audit (id, at, account, address, action, target, details) "
                               "values (?, ?, ?, ?, ?, ?, ?)",
                               [(1, 1700000000, "anna", "127.0.0.1", "login", None, None),
                                (2, 1.7e9 + 5.25, "anna", "127.0.0.1", "transcript", "abc", None),
                                (4, 1.7e9 + 9, "anna", None, "note", "abc", '{"characters": 3}')])
    engine = review_engine(db_url=f"sqlite:///{path}")
    with engine.connect() as db:
        table = db.exec_driver_sql("select sql from sqlite_master where name = 'review_audit'").scalar()
        rows = db.exec_driver_sql("select id, at, account, action, target, details from review_audit "
                                  "order by id").all()
    assert "AUTOINCREMENT" in table.upper()
    assert [tuple(row) for row in rows[:3]] == [(1, 1.7e9, "anna", "login", None, None),
                                                (2, 1.7e9 + 5.25, "anna", "transcript", "abc", None),
                                                (4, 1.7e9 + 9, "anna", "note", "abc", '{"characters": 3}')]
    assert rows[3].action == "audit_chain_start" and json.loads(rows[3].details) == {"earlier_entries": 3}
    audit.log(engine, "anna", "list")
    assert audit.verify(engine).ok and audit.verify(engine).entries == 5
    with sqlite3.connect(path) as connection:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute("update review_audit set account = 'x' where id = 1")


def test_the_summaries_of_an_older_version_get_their_new_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    review_engine(db_url=url).dispose()
    with sqlite3.connect(tmp_path / "db.sqlite") as connection:  # as the tool before `first_event`
        connection.execute("alter table review_conversations drop column first_event")
    with review_engine(db_url=url).connect() as db:
        assert "first_event" in [row[1] for row in db.exec_driver_sql("pragma table_info(review_conversations)")]


def test_make_audit_verify_is_a_target():
    makefile = (ROOT / "Makefile").read_text()
    assert "\naudit-verify: setup ## " in makefile and "-m review.audit verify" in makefile


# --- 4. failed logins with unknown names ------------------------------------------------------------------
def _rows(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return sum(connection.execute(f"select count(*) from {table}").fetchone()[0]
                   for table in ("review_audit", "review_login_attempts", "review_login_unknown"))


def test_fifty_unknown_names_from_one_address_add_a_couple_of_rows(review, own_store, admin):
    db, address = own_store.db, "198.51.100.50"
    if time.time() % 900 > 870:  # not across two quarters of an hour (they would be counted apart)
        time.sleep(900 - time.time() % 900 + 1)
    before = _rows(db)
    names = [f"gok{uuid.uuid4().hex[:10]}" for _ in range(50)]
    codes = [login(review, name, "geen goed wachtwoord", address=address).status_code for name in names]
    assert codes == [401] * 20 + [429] * 30  # the address is still locked after 20
    assert _rows(db) - before <= 2
    running = admin.get(f"{review}/toegangslog", timeout=30).text  # the quarter still running is shown
    assert re.search(rf"{re.escape(address)} sinds [^:]+:\d\d: 20 mislukt, 30 geblokkeerd", running)
    with sqlite3.connect(db) as connection:
        stored = " ".join(str(row) for table in ("review_audit", "review_login_attempts", "review_login_unknown")
                          for row in connection.execute(f"select * from {table}"))
        assert not any(name in stored for name in names)
        # The quarter is over: its count goes to the access log as one entry.
        connection.execute("update review_login_unknown set started = started - 1800 where address = ?",
                           (address,))
    page = admin.get(f"{review}/toegangslog", params={"action": "login_failed_unknown"}, timeout=30).text
    assert "Inloggen mislukt met onbekende naam" in page
    with sqlite3.connect(db) as connection:
        entries = connection.execute("select account, details from review_audit where action = "
                                     "'login_failed_unknown' and address = ?", (address,)).fetchall()
    assert len(entries) == 1 and entries[0][0] == "(onbekende naam)"
    assert {key: value for key, value in json.loads(entries[0][1]).items() if key in ("failed", "blocked")} == \
        {"failed": 20, "blocked": 30}


def test_an_unknown_name_locks_like_an_account_and_known_failures_are_logged(review, own_store):
    db, name = own_store.db, f"onbekend{uuid.uuid4().hex[:6]}"
    codes = [login(review, name, "fout wachtwoord", address=f"198.51.100.{60 + n}").status_code for n in range(6)]
    assert codes == [401] * 5 + [429]  # the same as a real account: the lockout tells nothing
    before = last_id(db)
    assert login(review, "medewerker", "fout wachtwoord", address="198.51.100.70").status_code == 401
    with sqlite3.connect(db) as connection:
        logged = connection.execute("select account, address, action from review_audit where id > ?",
                                    (before,)).fetchall()
    assert logged == [("medewerker", "198.51.100.70", "login_failed")]


# --- 5. next ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("account, next_page", [
    ("medewerker", "/export.csv"), ("medewerker", "/export.json?emergency=1"), ("beheer", "/toegangslog.csv"),
    ("medewerker", "/act/note"),
])
def test_next_never_starts_an_export(review, own_store, account, next_page):
    before = last_id(own_store.db)
    response = login(review, account, next_page=next_page, address="192.0.2.90")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    again = response.session.get(f"{review}/login", params={"next": next_page}, allow_redirects=False, timeout=30)
    assert again.status_code == 303 and again.headers["Location"] == "/"
    with sqlite3.connect(own_store.db) as connection:
        actions = {row[0] for row in connection.execute("select action from review_audit where id > ?", (before,))}
    assert actions == {"login"}


def test_next_to_a_page_of_the_tool_is_kept(review):
    response = login(review, "medewerker", next_page="/summary?emergency=1", address="192.0.2.91")
    assert response.headers["Location"] == "/summary?emergency=1"


# --- 6. the cookie over https -------------------------------------------------------------------------------
def login_form(review: str, headers: dict) -> requests.Response:
    """GET the login form with `headers`: the response, with its session and CSRF token."""
    session = requests.Session()
    response = session.get(f"{review}/login", headers=headers, timeout=30)
    response.session = session
    response.token = CSRF.search(response.text).group(1)
    return response


def test_the_cookie_is_secure_over_https_behind_the_proxy(review):
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.95"}
    form = login_form(review, https)
    assert "; Secure" in form.headers["Set-Cookie"] and "; HttpOnly" in form.headers["Set-Cookie"]
    # The proxy speaks https with the browser, http with the tool: the cookie goes along as it would.
    cookie = f"ocrn_review={form.cookies['ocrn_review']}"
    done = requests.post(f"{review}/login", data={"csrf_token": form.token, "name": "medewerker",
                                                  "password": PASSWORD, "next": "/"},
                         headers={**https, "Cookie": cookie, "Referer": review.replace("http:", "https:") + "/login"},
                         allow_redirects=False, timeout=30)
    assert done.status_code == 303 and "; Secure" in done.headers["Set-Cookie"]
    cookie = done.headers["Set-Cookie"].split(";")[0]
    assert requests.get(f"{review}/", headers={**https, "Cookie": cookie}, allow_redirects=False,
                        timeout=30).status_code == 200  # logged in over https


def test_plain_http_on_loopback_still_works(review):
    form = login_form(review, {})
    assert "Secure" not in form.headers["Set-Cookie"]
    session = signed_in(review, "medewerker")
    assert session.get(f"{review}/", allow_redirects=False, timeout=30).status_code == 200
