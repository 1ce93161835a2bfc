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
    page = session.get(f"{base}/summary", timeout=30).text
    assert f"<dt>Gesprekken</dt><dd>{CONVERSATIONS}</dd>" in page
    assert f"<dt>Noodsituaties</dt><dd>{emergencies} <small>({emergencies} nog op te volgen)" in page
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
