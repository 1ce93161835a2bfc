"""The staff review tool on PostgreSQL: its tables created there, the list paged in SQL,
the overview, export, and erasure of every event of one conversation."""
import re

import pytest
import requests
from review_support import PASSWORD, post_form, python, signed_in

from bench.review_data import write
from launcher.stack import Stack, free_port

from services import Postgres

CONVERSATIONS = 400


@pytest.fixture(scope="module")
def postgres():
    server = Postgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pg_review(postgres, tmp_path_factory):
    """400 generated conversations in PostgreSQL (Rasa's own events table) and the review tool on them."""
    import sqlalchemy as sa

    url = (f"postgresql://{Postgres.user}:{postgres.password}@127.0.0.1:{postgres.port}/{Postgres.database}")
    write(sa.create_engine(url), CONVERSATIONS, seed=21)
    env = {"REVIEW_DB_URL": url}
    created = python("review.users", "add", "medewerker", env=env, stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    stack = Stack(tmp_path_factory.mktemp("pg-review"), with_actions=False)
    base = stack.start_review(free_port(), env)
    stack.wait_http(f"{base}/login", stack.review, timeout=60)
    yield base, signed_in(base, "medewerker")
    stack.stop(grace=10)


def _newest(postgres, limit, offset=0):
    with postgres.connect() as db, db.cursor() as cursor:
        cursor.execute("select sender_id from events group by sender_id order by min(timestamp) desc, "
                       "sender_id desc limit %s offset %s", (limit, offset))
        return [row[0] for row in cursor.fetchall()]


def test_the_review_tables_are_created_in_postgres(postgres, pg_review):
    with postgres.connect() as db, db.cursor() as cursor:
        cursor.execute("select table_name from information_schema.tables where table_name like 'review_%'")
        tables = {row[0] for row in cursor.fetchall()}
    assert {"review_accounts", "review_audit", "review_conversations", "review_corrections"} <= tables


@pytest.mark.parametrize("number", [1, 3, 16])
def test_list_pages_newest_first(postgres, pg_review, number):
    base, session = pg_review
    page = session.get(f"{base}/", params={"page": number}, timeout=30).text
    shown = re.findall(r'href="/conversations/([0-9a-f]+)"', page)
    assert shown == _newest(postgres, 25, (number - 1) * 25)
    assert f"{CONVERSATIONS} gesprekken" in page


def test_overview_counts_every_conversation_and_emergency(postgres, pg_review):
    base, session = pg_review
    with postgres.connect() as db, db.cursor() as cursor:
        # Every alarm (review/alarms.py): the emergency answer or the safety question.
        cursor.execute("select count(distinct sender_id) from events where action_name in "
                       "('utter_emergency', 'utter_safety_check') or intent_name in "
                       "('report_emergency', 'report_possible_emergency')")
        emergencies = cursor.fetchone()[0]
    page = session.get(f"{base}/summary", params={"periode": "alles"}, timeout=30).text
    assert f'<dt>Gesprekken</dt><dd><span class="figure">{CONVERSATIONS}</span>' in page
    assert f'<dt>Noodsituaties</dt><dd><span class="figure">{emergencies}</span>' in page
    assert f"Nog op te volgen: <strong>{emergencies}</strong>" in page
    assert emergencies > 0


def test_export_of_everything(pg_review):
    base, session = pg_review
    rows = session.get(f"{base}/export.json", timeout=60).json()
    assert len(rows) == CONVERSATIONS and all(row["messages"] for row in rows)


def test_erase_removes_every_event_from_postgres(postgres, pg_review):
    base, session = pg_review
    target = _newest(postgres, 1, 7)[0]
    response = post_form(session, base, f"/wissen?sender={target}", "/wissen", sender=target, confirm="ja")
    assert response.status_code == 303
    with postgres.connect() as db, db.cursor() as cursor:
        cursor.execute("select count(*) from events where sender_id = %s", (target,))
        assert cursor.fetchone()[0] == 0
        cursor.execute("select count(*) from review_conversations where sender_id = %s", (target,))
        assert cursor.fetchone()[0] == 0
        cursor.execute("select account, action from review_audit where target = %s", (target,))
        assert ("medewerker", "erase") in cursor.fetchall()
    assert session.get(f"{base}/conversations/{target}", timeout=30).status_code == 404
    assert requests.get(f"{base}/", timeout=10, allow_redirects=False).status_code == 303


def _database(postgres, name: str) -> str:
    """A new, empty database in the same PostgreSQL; its URL."""
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", port=postgres.port, user=Postgres.user,
                             password=postgres.password, dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    admin.close()
    return f"postgresql://{Postgres.user}:{postgres.password}@127.0.0.1:{postgres.port}/{name}"


@pytest.fixture(scope="module")
def audit_db(postgres):
    """A database of its own with an access log of an older version of the tool (no hash
    column, no triggers) holding two entries."""
    import psycopg2

    url = _database(postgres, "audit_guard")
    connection = psycopg2.connect(url)
    with connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE review_audit (id SERIAL PRIMARY KEY, at FLOAT NOT NULL, account VARCHAR(64) "
                       "NOT NULL, address VARCHAR(64), action VARCHAR(32) NOT NULL, target VARCHAR(255), details TEXT)")
        cursor.execute("INSERT INTO review_audit (at, account, action) VALUES (1.7e9, 'anna', 'login'), "
                       "(1.7e9 + 0.5, 'anna', 'list')")
    yield url, connection
    connection.close()


def test_postgres_refuses_changes_to_the_access_log_and_the_chain_shows_tampering(audit_db):
    import psycopg2

    from review import audit
    from review.db import review_engine

    url, connection = audit_db
    engine = review_engine(db_url=url)  # migrates the old log: hashes it, then the trigger function
    audit.log(engine, "anna", "transcript", "abc", "127.0.0.1")
    verdict = audit.verify(engine)
    assert verdict.ok and verdict.entries == 4, verdict.problems  # 2 old, the chain's start, the new one
    for statement in ("UPDATE review_audit SET account = 'iemand' WHERE id = 1", "DELETE FROM review_audit",
                      "DELETE FROM review_audit WHERE id = 1", "TRUNCATE review_audit"):
        with pytest.raises(psycopg2.Error, match="append-only"), connection, connection.cursor() as cursor:
            cursor.execute(statement)
    assert audit.delete_older(engine, 0, now=1.7e9 + 0.25) == 1  # retention may remove the oldest
    assert audit.verify(engine).ok
    with connection, connection.cursor() as cursor:
        cursor.execute("ALTER TABLE review_audit DISABLE TRIGGER review_audit_no_change")
        cursor.execute("UPDATE review_audit SET target = 'xyz' WHERE action = 'transcript'")
        cursor.execute("ALTER TABLE review_audit ENABLE TRIGGER review_audit_no_change")
    verdict = audit.verify(engine)
    assert not verdict.ok and len(verdict.problems) == 1 and "mismatch" in verdict.problems[0]


def test_postgres_writers_in_parallel_keep_one_chain(postgres):
    from review_support import write_audit_in_parallel

    from review import audit
    from review.db import review_engine

    engine = review_engine(db_url=_database(postgres, "audit_parallel"))
    write_audit_in_parallel(engine)
    verdict = audit.verify(engine)
    assert verdict.entries == 120 and verdict.ok, verdict.problems[:3]  # no two rows continue from one row


def test_postgres_sync_forgets_a_conversation_erased_in_the_chat(postgres):
    import sqlalchemy as sa

    from review import index
    from review.db import review_engine
    from tracker_store.database import erase_conversation

    url = _database(postgres, "sweep_check")
    write(sa.create_engine(url), 30, seed=23, rasa_model=False)
    engine = review_engine(db_url=url)
    assert index.sync(engine) == 30
    with engine.begin() as db:
        gone, kept = db.exec_driver_sql("SELECT DISTINCT sender_id FROM events ORDER BY 1 LIMIT 2").scalars()
        db.exec_driver_sql("INSERT INTO review_notes (sender_id, text, account, at) VALUES (%s, 'notitie', 'anna', 1)",
                           (gone,))
    assert erase_conversation(sa.create_engine(url), gone) > 0  # as the chat's erase button does
    index.sync(engine)
    with engine.connect() as db:
        left = {table: db.exec_driver_sql(f"SELECT count(*) FROM {table} WHERE sender_id = %s", (gone,)).scalar()
                for table in ("review_conversations", "review_topics", "review_notes")}
        logged = db.exec_driver_sql("SELECT account, action FROM review_audit WHERE target = %s", (gone,)).all()
        still = db.exec_driver_sql("SELECT count(*) FROM review_conversations WHERE sender_id = %s", (kept,)).scalar()
    assert left == dict.fromkeys(left, 0) and still == 1
    assert [tuple(row) for row in logged] == [("ouder (chat)", "erased_in_chat")]


def test_postgres_full_text_search_finds_the_message_and_shows_it(postgres, pg_review):
    """Search on the shared store: PostgreSQL's full-text index (review/search.py), the same
    matching as SQLite's FTS5: every word, as the start of a word, in one message."""
    import json
    import time

    from review_support import chat_events, sender

    base, session = pg_review
    start = time.time() - 7200
    talks = {"match": sender("pg-zoek"), "half": sender("pg-half")}
    texts = {"match": "Hij gooit met speelgoed naar zijn zusje op de zolderkamer",
             "half": "Het speelgoed ligt overal, maar niemand gooit iets"}
    with postgres.connect() as db, db.cursor() as cursor:
        for kind, name in talks.items():
            for event in chat_events(start, [(60, texts[kind], "ask_signs_home", 0.8, {}, ["utter_signs_home"])]):
                cursor.execute("insert into events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                               "values (%s, %s, %s, %s, %s, %s)",
                               (name, event["event"], event["timestamp"],
                                (event.get("parse_data") or {}).get("intent", {}).get("name"),
                                event.get("name"), json.dumps(event)))
        db.commit()
        cursor.execute("select indexdef from pg_indexes where indexname = 'ix_review_messages_search'")
        assert "gin" in cursor.fetchone()[0].lower()
    page = session.get(f"{base}/", params={"q": "Speelgoed ZOLDER"}, timeout=30).text
    shown = set(re.findall(r'data-sender="([^"]+)"', page))
    assert shown == {talks["match"]}
    assert "<mark>speelgoed</mark>" in page.lower()
    both = set(re.findall(r'data-sender="([^"]+)"', session.get(f"{base}/", params={"q": "gooit speel"},
                                                                timeout=30).text))
    assert both == set(talks.values())
