"""tracker_store/database.py agrees with Rasa's own SQL tracker store (catches drift when
Rasa is upgraded), and reads the same endpoints files as the bot."""
import os

import pytest
import sqlalchemy as sa

from tracker_store.database import EVENTS, database_url, safe_url, url_from_endpoints


def test_events_table_has_rasas_columns_and_types():
    from rasa.core.tracker_store import SQLTrackerStore

    rasa = SQLTrackerStore.SQLEvent.__table__
    assert rasa.name == EVENTS.name
    ours = {c.name: (type(c.type), getattr(c.type, "length", None)) for c in EVENTS.columns}
    theirs = {c.name: (type(c.type), getattr(c.type, "length", None)) for c in rasa.columns}
    assert ours == theirs


@pytest.mark.parametrize("config", [
    {"dialect": "sqlite", "db": "var/tracker.db"},
    {"dialect": "postgresql", "host": "db.example", "port": 5433, "db": "ocrn",
     "username": "ocrn", "password": "s3cret"},
    {"dialect": "postgresql", "host": "db.example:6543", "db": "ocrn", "username": "u"},
    {"dialect": "postgresql", "host": "postgresql://u:p@h:1/d"},
    {"dialect": "postgresql", "host": "h", "db": "d", "query": {"sslmode": "require"}},
])
def test_url_is_built_as_rasa_builds_it(config):
    from rasa.core.tracker_store import SQLTrackerStore

    assert str(database_url(**config)) == str(SQLTrackerStore.get_db_url(**config))


def test_password_is_hidden():
    url = database_url("postgresql", "h", 5432, "d", "u", "very-secret")
    assert "very-secret" not in safe_url(url) and "***" in safe_url(url)
    assert safe_url("::not a url::") == "<unparsable database URL>"


def test_endpoints_file_with_environment_variables(tmp_path, monkeypatch):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: x\n  dialect: postgresql\n  url: ${DB_HOST}\n"
                         "  port: ${DB_PORT}\n  db: ocrn\n  username: ocrn\n  password: ${DB_PW}\n")
    monkeypatch.setenv("DB_HOST", "127.0.0.1")
    monkeypatch.setenv("DB_PORT", "5999")
    monkeypatch.setenv("DB_PW", "pw")
    url = sa.engine.make_url(url_from_endpoints(str(endpoints)))
    assert (url.host, url.port, url.database, url.password) == ("127.0.0.1", 5999, "ocrn", "pw")
    monkeypatch.delenv("DB_PW")
    with pytest.raises(SystemExit, match="DB_PW is not set"):
        url_from_endpoints(str(endpoints))


def test_erase_deletes_every_event_of_one_conversation_only(tmp_path):
    from tracker_store.database import erase_conversation

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    assert erase_conversation(engine, "nobody") == 0  # no table yet
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), [{"sender_id": sender, "type_name": "user", "data": "{}"}
                                             for sender in ("a", "a", "b", "a")])
    assert erase_conversation(engine, "a") == 3
    with engine.connect() as connection:
        left = connection.execute(sa.select(EVENTS.c.sender_id)).scalars().all()
    assert left == ["b"]


def test_has_user_message_finds_a_message_id_among_the_senders_recent_messages(tmp_path):
    import json

    from tracker_store.database import has_user_message

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    assert has_user_message(engine, "a", "m1") is False  # no table yet
    EVENTS.metadata.create_all(engine)
    rows = [("a", "user", {"message_id": "m1"}), ("a", "bot", {"message_id": "m2"}),
            ("b", "user", {"message_id": "m3"}), ("a", "user", "not json")]
    with engine.begin() as connection:
        connection.execute(EVENTS.insert(), [
            {"sender_id": s, "type_name": t, "data": d if isinstance(d, str) else json.dumps(d)}
            for s, t, d in rows])
    assert has_user_message(engine, "a", "m1")
    assert not has_user_message(engine, "a", "m2")  # a bot event, not a user message
    assert not has_user_message(engine, "a", "m3")  # another conversation's
    assert not has_user_message(engine, "a", "m1", recent=1)  # only the latest is looked at


def test_a_new_sqlite_database_and_its_wal_files_are_private_whatever_the_umask(tmp_path):
    """`make run` checks for staff accounts before the servers start: the first engine of
    the project to touch the file must not create it 0644."""
    import stat

    from tracker_store.database import open_engine

    db = tmp_path / "tracker.db"
    old = os.umask(0o022)
    try:
        engine = open_engine(db_url=f"sqlite:///{db}")
        with engine.connect() as connection:  # open: SQLite removes -wal/-shm at the last close
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            files = [db, db.with_name("tracker.db-wal"), db.with_name("tracker.db-shm")]
            assert all(path.exists() for path in files)
            assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == \
                {p.name: "0o600" for p in files}
        engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    import stat

    from tracker_store.database import private_sqlite_file

    db = tmp_path / "old.db"
    db.write_bytes(b"")
    db.chmod(0o644)
    private_sqlite_file(f"sqlite:///{db}")
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    private_sqlite_file("sqlite://")  # in memory: nothing to do, no error
