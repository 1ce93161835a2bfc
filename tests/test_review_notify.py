"""E-mail of new emergencies (issue 21, review/notify.py), against a real SMTP server on
localhost: the mail has the time and the link and nothing of the parent, goes out once per
emergency (also across processes), again after a follow-up and a new alarm, and is tried
again when the SMTP server was down. The review server sends it by itself, without a page
view. Real SQLite, real SMTP over TCP, no Rasa, no trained model.

The SMTP server is a small one written here with the standard library's `socketserver`,
not aiosmtpd: adding aiosmtpd means `make lock`, and `make lock` here re-resolves every
package from scratch (scripts/lock.sh writes the locks from stdout, with no earlier pins to
prefer), which moved ten unrelated pins of requirements.lock (cryptography 50 -> 51,
boto3, grpcio, idna ...) while other engineers train on the same environment.
"""
import email
import email.policy
import socketserver
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from review_support import chat_events, danger_parse, python, sender, signed_in, start_review, store_events

from review import index, notify
from review.db import review_engine
from review.words import day_words
from review.work import Actor, follow_up

from servers import Stack, free_port

SECRET = "mijn man slaat me en de kinderen zien het"
EMERGENCY = (60, SECRET, "report_emergency", 1.0,
             {**danger_parse("emergency", 0.93, "domestic_violence"), "safety_net": True}, ["utter_emergency"])
PLAIN = (60, "wat helpt thuis als hij niet wil slapen", "ask_help_at_home", 0.9, {}, ["utter_help_at_home"])


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP (RFC 5321) to receive mail as a relay would: EHLO/HELO, MAIL, RCPT,
    DATA (dot-unstuffed), RSET, NOOP, QUIT. The mails received: (from, [to], message)."""

    daemon_threads = allow_reuse_address = True

    def __init__(self, port: int):
        self.mails = []
        super().__init__(("127.0.0.1", port), _Session)


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self.reply("220 sink.localhost ESMTP test")
        sender_address, recipients = None, []
        while True:
            line = self.rfile.readline().decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink.localhost")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 sink.localhost")
            elif verb == "MAIL":
                sender_address, recipients = line.split(":", 1)[1].strip().split(" ")[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                self.server.mails.append((sender_address, recipients, message))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@contextmanager
def smtp_sink(port: int):
    sink = SmtpSink(port)
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.shutdown()
        sink.server_close()


def settings(port: int, **more) -> notify.MailSettings:
    return notify.settings_from_env({"REVIEW_NOTIFY_TO": "team@praktijk.test", "REVIEW_NOTIFY_FROM":
                                     "chat@praktijk.test", "REVIEW_SMTP_HOST": "127.0.0.1",
                                     "REVIEW_SMTP_PORT": str(port), "REVIEW_PUBLIC_URL": "https://nakijken.test",
                                     **more})


@pytest.fixture
def store(tmp_path):
    """An empty tracker store (Rasa's events table) with the review tables."""
    from bench.review_data import create_events_table

    path = tmp_path / "tracker.db"
    create_events_table(sa.create_engine(f"sqlite:///{path}"))
    return path, review_engine(db_url=f"sqlite:///{path}")


def chat(path, turns, at=None) -> str:
    sender_id = sender("mail")
    store_events(path, sender_id, chat_events(at or time.time(), turns))
    return sender_id


def test_one_mail_per_emergency_with_time_and_link_and_nothing_of_the_parent(store):
    path, engine = store
    port = free_port()
    with smtp_sink(port) as sink:
        mail = settings(port)
        notify.notify_since(engine)
        started = time.time()
        emergency = chat(path, [EMERGENCY], at=started)
        chat(path, [PLAIN])
        index.sync(engine)
        assert notify.notify_once(engine, mail) == 1
        assert notify.notify_once(engine, mail) == 0  # remembered
        # A second alarm in the same conversation before anyone followed it up: no new mail.
        store_events(path, emergency, chat_events(started + 600, [EMERGENCY]))
        index.sync(engine)
        assert notify.notify_once(engine, mail) == 0
    assert len(sink.mails) == 1
    envelope_from, envelope_to, message = sink.mails[0]
    assert (envelope_from, envelope_to) == ("chat@praktijk.test", ["team@praktijk.test"])
    assert message["Subject"] == "Nieuwe noodsituatie in de OCRN-chat" and message["To"] == "team@praktijk.test"
    body = message.get_content()
    with engine.connect() as db:  # the time of the alarm mailed: the first one
        alarm = datetime.fromtimestamp(min(db.execute(sa.text(
            "select timestamp from events where sender_id = :s and action_name = 'utter_emergency'"),
            {"s": emergency}).scalars()))
    assert f"{day_words(alarm.date(), weekday=True)} {alarm:%H:%M}" in body
    assert "https://nakijken.test/noodsituaties" in body
    raw = message.as_string()
    for private in (SECRET, "slaat", emergency, "domestic", "Geweld"):
        assert private not in raw


def test_the_mail_is_sent_once_across_processes(store):
    path, engine = store
    port = free_port()
    env = {"REVIEW_NOTIFY_TO": "team@praktijk.test", "REVIEW_SMTP_HOST": "127.0.0.1", "REVIEW_SMTP_PORT": str(port)}
    with smtp_sink(port) as sink:
        notify.notify_since(engine)
        chat(path, [EMERGENCY])
        for _ in range(2):  # two runs of the command, each its own process
            done = python("review.notify", "--once", "--db-url", f"sqlite:///{path}", env=env)
            assert done.returncode == 0, done.stderr
    assert len(sink.mails) == 1
    with engine.connect() as db:
        logged = db.execute(sa.text("select account, action, details from review_audit where action = 'notify'")).all()
    assert [(account, details) for account, _, details in logged] == [("tool (e-mail)", '{"recipients": 1}')]


def test_a_new_alarm_after_a_follow_up_is_mailed_again(store):
    path, engine = store
    port = free_port()
    with smtp_sink(port) as sink:
        mail = settings(port)
        notify.notify_since(engine)
        started = time.time()
        emergency = chat(path, [EMERGENCY], at=started)
        index.sync(engine)
        assert notify.notify_once(engine, mail) == 1
        assert follow_up(engine, emergency, "ouder gebeld", Actor("anna"))
        assert notify.notify_once(engine, mail) == 0  # followed up: nothing new
        store_events(path, emergency, chat_events(started + 900, [EMERGENCY]))
        index.sync(engine)
        assert notify.notify_once(engine, mail) == 1
    assert len(sink.mails) == 2


def test_emergencies_from_before_switching_it_on_are_not_mailed(store):
    path, engine = store
    port = free_port()
    chat(path, [EMERGENCY], at=time.time() - 3600)  # an hour before notification was switched on
    index.sync(engine)
    with smtp_sink(port) as sink:
        assert notify.notify_once(engine, settings(port)) == 0
    assert sink.mails == []


def test_an_unreachable_smtp_server_is_tried_again(store):
    path, engine = store
    port = free_port()  # nothing listens yet
    notify.notify_since(engine)
    chat(path, [EMERGENCY])
    index.sync(engine)
    said = []
    assert notify.notify_once(engine, settings(port), log=said.append) == 0
    assert len(said) == 1 and "not sent" in said[0]
    with smtp_sink(port) as sink:
        assert notify.notify_once(engine, settings(port)) == 1
    assert len(sink.mails) == 1


@pytest.mark.parametrize("env, problem", [
    ({"REVIEW_SMTP_USER": "chat", "REVIEW_SMTP_STARTTLS": "0"}, "unencrypted"),
    ({"REVIEW_SMTP_PORT": "vijfentwintig"}, "must be numbers"),
    ({"REVIEW_SMTP_STARTTLS": "misschien"}, "must be 1 or 0"),
])
def test_settings_that_cannot_work_fail_with_one_line(env, problem):
    with pytest.raises(SystemExit, match=problem):
        notify.settings_from_env({"REVIEW_NOTIFY_TO": "team@praktijk.test", **env})


def test_settings_defaults():
    assert notify.settings_from_env({}) is None  # off unless an address is set
    plain = notify.settings_from_env({"REVIEW_NOTIFY_TO": "a@x.test, b@x.test"})
    assert (plain.to, plain.host, plain.port, plain.starttls) == (["a@x.test", "b@x.test"], "localhost", 25, False)
    login = notify.settings_from_env({"REVIEW_NOTIFY_TO": "a@x.test", "REVIEW_SMTP_USER": "chat"})
    assert (login.port, login.starttls, login.sender) == (587, True, "chat")


def test_the_review_server_mails_a_new_emergency_by_itself(tmp_path):
    """The tool's own thread notices the emergency: no page is opened after it came in."""
    from bench.review_data import create_events_table

    stack = Stack(tmp_path, with_actions=False)
    create_events_table(sa.create_engine(f"sqlite:///{stack.db}"))
    port = free_port()
    env = {"REVIEW_NOTIFY_TO": "team@praktijk.test", "REVIEW_SMTP_HOST": "127.0.0.1", "REVIEW_SMTP_PORT": str(port),
           "REVIEW_NOTIFY_INTERVAL": "0.5", "REVIEW_PUBLIC_URL": "https://nakijken.test"}
    with smtp_sink(port) as sink:
        try:
            base = start_review(stack, env)
            signed_in(base, "medewerker")
            chat(stack.db, [EMERGENCY], at=time.time() + 1)
            deadline = datetime.now() + timedelta(seconds=20)
            while not sink.mails and datetime.now() < deadline:
                time.sleep(0.2)
            time.sleep(1.5)  # a few more rounds: still one mail
        finally:
            stack.stop(grace=10)
    assert len(sink.mails) == 1 and "https://nakijken.test/noodsituaties" in sink.mails[0][2].get_content()
