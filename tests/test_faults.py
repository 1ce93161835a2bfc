"""Faults: a parent in distress never loses the conversation and never gets silence.

These tests start their own Rasa server and action server (tests/servers.py, the same
start-up as the session `bot` fixture) because they kill and stop them; the shared
servers stay untouched. Their socket.io channel is ours with one fault added: a message
whose metadata says `fail_once` fails the first time it is handled, as if the agent had
raised (FLAKY_CHANNEL below, loaded by the Rasa server from the test's folder).
"""
import asyncio
import os
import signal
import uuid

import pytest
import requests

from servers import REGISTRATION_URL, Bot, test_stack
from sockets import SocketChat

HELP_LINES = ["112", "0800-2000", "0800-0432", "0800-0113"]
ACTION_TIMEOUT_S = 5

FLAKY_CHANNEL = '''"""Test only: channels.socketio.SocketIOInput, whose handling of a message fails
once (the agent raises) when the message's metadata has `fail_once`."""
from channels.socketio import SocketIOInput


class FlakySocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message):
        failed = set()

        async def flaky(message):
            if (message.metadata or {}).get("fail_once") and message.message_id not in failed:
                failed.add(message.message_id)
                raise RuntimeError("injected fault: the agent failed once")
            return await on_new_message(message)

        return super().blueprint(flaky)
'''
FLAKY_CREDENTIALS = """channels.rest.RestInput:
flaky_channel.FlakySocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
"""


def new_sender():
    return f"fault-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("fault-servers")
    code = tmp_path_factory.mktemp("fault-code")
    (code / "flaky_channel.py").write_text(FLAKY_CHANNEL)
    (code / "credentials.yml").write_text(FLAKY_CREDENTIALS)
    path = os.pathsep.join(p for p in (str(code), os.environ.get("PYTHONPATH", "")) if p)
    # Short action timeout, for the hanging action server below (default 20 s).
    servers = test_stack(work, credentials=code / "credentials.yml",
                         env={"OCRN_ACTION_TIMEOUT": str(ACTION_TIMEOUT_S), "PYTHONPATH": path})
    yield servers.start()
    servers.stop()


def user_texts(tracker):
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


def bot_texts(tracker):
    return [e.get("text") or "" for e in tracker["events"] if e["event"] == "bot"]


def assert_calm_unavailable_message(text):
    assert "iets mis" in text and "Aanmelden" in text and "112" in text, text
    assert "Had je iets aan dit antwoord?" not in text, "the turn should end after the apology"


def test_conversation_continues_after_the_rasa_server_is_killed(servers):
    bot, sender = Bot.of(servers), new_sender()
    text, payloads = bot.say(sender, "wat helpt thuis voor een kind met hechtingsproblemen")
    assert "/feedback_negative" in payloads
    bot.say(sender, "/feedback_negative")
    text, payloads = bot.say(sender, "mijn kind krijgt steeds driftbuien, is dat normaal?")
    assert "Hoe oud is je kind?" in text

    servers.kill_rasa()  # SIGKILL: no shutdown handler runs, nothing is flushed
    assert servers.rasa.returncode == -signal.SIGKILL
    with pytest.raises(requests.ConnectionError):
        bot.send(sender, "hallo?", timeout=5)

    servers.start_rasa()  # same port, same SQLite tracker db
    servers.wait_ready(actions=False)
    text, payloads = bot.say(sender, "hij is 3")
    assert "peuter of kleuter" in text, text
    assert "huisarts" in text and "/ask_registration" in payloads
    tracker = bot.tracker(sender)
    assert tracker["slots"]["age_band"] == "peuter_kleuter"
    assert tracker["slots"]["feedback"] == "negative"  # set before the kill
    assert len(user_texts(tracker)) == 4
    text, _ = bot.say(sender, "/ask_registration")
    assert REGISTRATION_URL in text


def test_action_server_down_gets_a_calm_answer_and_recovers(servers):
    bot, sender = Bot.of(servers), new_sender()
    text, _ = bot.say(sender, "hoi")
    assert "OCRN" in text

    servers.stop_actions()
    text, _ = bot.say(sender, "en vertel eens meer")  # a follow-up needs the answer action
    assert_calm_unavailable_message(text)
    # Emergencies are plain responses: the help lines do not need the action server.
    text, _ = bot.say(sender, "mijn man slaat ons, ik ben bang")
    assert all(line in text for line in HELP_LINES), text

    servers.start_actions()  # same port
    servers.wait_ready(rasa=False)
    text, payloads = bot.say(sender, "/ask_registration")
    assert REGISTRATION_URL in text and "/feedback_positive" in payloads

    tracker = bot.tracker(sender)
    assert len(user_texts(tracker)) == 4
    said = "\n".join(bot_texts(tracker))
    assert "iets mis" in said and "0800-2000" in said and REGISTRATION_URL in said


def test_a_page_question_is_answered_from_the_topic_table_when_the_action_server_is_down(servers):
    bot, sender = Bot.of(servers), new_sender()
    servers.stop_actions()
    try:
        text, payloads = bot.say(sender, "/ask_what_is_attachment")
        registration, _ = bot.say(sender, "/ask_registration")
    finally:
        servers.start_actions()
        servers.wait_ready(rasa=False)
    assert "Hechting is het proces" in text  # the topic's own answer, through Rasa's NLG
    assert "iets mis" not in text and "/feedback_positive" not in payloads
    assert REGISTRATION_URL in registration  # with the configured address
    text, payloads = bot.say(sender, "/ask_signs_home")
    assert "/feedback_positive" in payloads  # the action server is back: asked again


def test_hanging_action_server_gets_the_calm_answer_after_the_timeout(servers):
    bot, sender = Bot.of(servers), new_sender()
    servers.actions.send_signal(signal.SIGSTOP)  # accepts connections, never answers
    try:
        # A follow-up needs the answer action (a page question would get its topic's own answer).
        replies = bot.send(sender, "/ask_follow_up", timeout=ACTION_TIMEOUT_S + 30)
    finally:
        servers.actions.send_signal(signal.SIGCONT)
    assert_calm_unavailable_message("\n".join(r.get("text", "") for r in replies))
    text, _ = bot.say(sender, "/ask_registration")
    assert REGISTRATION_URL in text


# --- the widget's socket: a message is lost neither by a failure nor by its resend --------

def _user_texts(servers, session):
    return [e["text"] for e in Bot.of(servers).tracker(session)["events"] if e["event"] == "user"]


def test_a_message_whose_handling_failed_is_answered_when_the_widget_sends_it_again(servers):
    """Handling fails once: the parent gets the calm apology instead of silence, the
    message is not acknowledged (so the widget keeps it in its outbox), and the resend
    with the same id after a reconnect is handled and answered, once."""
    async def talk():
        message = {"message": "wat is hechting", "message_id": uuid.uuid4().hex,
                   "metadata": {"fail_once": True}}
        async with SocketChat(servers.url) as chat:
            message["session_id"] = await chat.session()
            ack = asyncio.ensure_future(chat.call("user_uttered", message))
            apology = await asyncio.wait_for(chat.replies.get(), 30)
            await asyncio.sleep(1.5)  # an acknowledgement would have come by now
            acknowledged = ack.done()
            ack.cancel()
        async with SocketChat(servers.url) as again:  # the widget reconnects, sends it again
            await again.session(message["session_id"])
            resent = await again.call("user_uttered", message)
            answers = again.received()
            third = await again.call("user_uttered", message)
            await asyncio.sleep(0.5)
            after = again.received()
        return message["session_id"], apology, acknowledged, resent, answers, third, after

    session, apology, acknowledged, resent, answers, third, after = asyncio.run(talk())
    assert_calm_unavailable_message(apology["text"])
    assert apology["response"] == "utter_service_unavailable"
    assert not acknowledged
    assert resent == {"status": "ok"}
    assert any("Hechting is het proces" in a["text"] for a in answers), answers
    assert third == {"status": "duplicate"} and after == []
    assert _user_texts(servers, session) == ["wat is hechting"]


def test_a_resend_that_arrives_while_the_message_is_being_handled_waits_for_it(servers):
    """The same message on two connections at once (a reconnect while the first is still
    being handled): handled once, and both acknowledged."""
    async def twice():
        message = {"message": "hoe herken ik hechtingsproblemen", "message_id": uuid.uuid4().hex}
        async with SocketChat(servers.url) as first, SocketChat(servers.url) as second:
            message["session_id"] = await first.session()
            await second.session(message["session_id"])
            acks = await asyncio.gather(first.call("user_uttered", message),
                                        second.call("user_uttered", message))
        return message["session_id"], acks

    session, acks = asyncio.run(twice())
    assert sorted(a["status"] for a in acks) == ["duplicate", "ok"]
    assert _user_texts(servers, session) == ["hoe herken ik hechtingsproblemen"]
