"""Bad input through the real REST channel (channels/rest.py), property-based.

Whatever arrives, the server never answers 5xx: a message gets a non-empty answer made
of the domain's Dutch responses, a malformed request a clear 400, and the conversation
stays intact (a normal question on the same sender is still answered, and the tracker
holds the events). Hypothesis runs derandomized with bounded example counts, so the
file takes about a minute and CI sees the same examples every time.
"""
import asyncio
import json
import re
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.actions import DEFAULT_CONTACT_URL
from launcher.settings import ROOT

from conftest import load_yaml
from servers import REGISTRATION_URL, client_for

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
MAX_CHARS = 2000  # channels.messages.MAX_MESSAGE_CHARS
HELP_LINES = ["112", "0800-2000", "0800-0432", "0800-0113"]
TOO_LONG = "Je bericht is erg lang"

# Rasa's REST output sends a response with buttons whole, and each paragraph ("\n\n")
# of one without as its own message.
# The answer action fills the links (actions/actions.py `links`); the test servers set the
# registration URL and leave the contact URL at its default.
_LINKS = {"{registration_url}": REGISTRATION_URL, "{contact_url}": DEFAULT_CONTACT_URL}
_RESPONSES = [re.sub(r"\{(?:registration|contact)_url\}", lambda m: _LINKS[m.group(0)], variant["text"])
              for variants in load_yaml(ROOT / "domain.yml")["responses"].values()
              for variant in variants if "text" in variant]
DOMAIN_TEXTS = set(_RESPONSES) | {part.strip() for text in _RESPONSES
                                  for part in text.split("\n\n")}
DUTCH_WORDS = sorted({
    w for block in load_yaml(ROOT / "data" / "nlu.yml")["nlu"]
    for w in re.findall(r"[a-zë]{3,}", block.get("examples", "").lower())
})


def _unredacted(stored):
    """The stored text with each placeholder as one character: the store redacts after
    the cap, and "[naam]" can be longer than the name it replaces."""
    from tracker_store.redact import PLACEHOLDERS

    for placeholder in PLACEHOLDERS:
        stored = stored.replace(placeholder, "x")
    return stored


def new_sender():
    return f"bad-{uuid.uuid4().hex[:10]}"


def post(bot, body=None, raw=None, timeout=60):
    """POST a JSON body (None is sent as `null`), or raw bytes, as application/json."""
    data = raw if raw is not None else json.dumps(body)
    return client_for(new_sender()).post(f"{bot.url}/webhooks/rest/webhook", data=data, timeout=timeout,
                                         headers={"Content-Type": "application/json"})


def assert_dutch_reply(response):
    assert response.status_code == 200, (response.status_code, response.text[:300])
    texts = [r.get("text") for r in response.json() if r.get("text")]
    assert texts, "no reply"
    for text in texts:
        assert text in DOMAIN_TEXTS, f"not one of the domain's responses: {text[:120]!r}"
    return "\n".join(texts)


def assert_conversation_intact(bot, sender, users_before):
    """A normal question on the same sender is answered, and the tracker has it all."""
    text, _ = bot.say(sender, "wat is hechting?")
    # The answer, or, when the fuzzed message was read as the same question, its other words.
    assert "Hechting is het proces" in text or "Ik noemde al wat hechting is" in text, text
    users = [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert len(users) == users_before + 1
    assert users[-1]["parse_data"]["intent"]["name"] == "ask_what_is_attachment"
    return users


# -- messages that are valid JSON but hard to read ----------------------------------
_CONTROL = st.characters(min_codepoint=0, max_codepoint=31) | st.characters(
    min_codepoint=127, max_codepoint=159)
_EMOJI = st.sampled_from("😀😭🙏👍👎❤️🔥💔😡🤷‍♀️👨‍👩‍👧🏳️‍🌈\u200d\ufe0f")
_SCRIPTS = st.sampled_from(["何か質問", "مرحبا كيف", "Привет как", "שלום", "γειά σου", "नमस्ते",
                            "안녕하세요", "ሰላም", "hechting", "kind", "wat", "ğüşçö", "ïëé"])
_HTML = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x}", "'; DROP TABLE events; --",
    "<b>wat is hechting</b>", "&lt;p&gt;", "/ask_registration{\"x\": 1}", "/nonexistent_intent",
    "/", "//", "[hoi](age_band)", "\\u0000",
])

MESSAGES = st.one_of(
    st.just(""),
    st.text(alphabet=st.sampled_from(" \t\n\r\u00a0\u2003\u200b\u3000"), max_size=50),
    st.text(alphabet=_EMOJI, min_size=1, max_size=30),
    st.text(alphabet=_CONTROL, min_size=1, max_size=30),
    st.lists(_SCRIPTS, min_size=1, max_size=8).map(" ".join),
    st.lists(_HTML, min_size=1, max_size=3).map(" ".join),
    st.text(max_size=300),
    st.lists(st.sampled_from(DUTCH_WORDS), min_size=1, max_size=60).map(" ".join),
)


@settings(max_examples=40, **SETTINGS)
@given(message=MESSAGES)
def test_any_message_gets_a_dutch_answer_and_the_conversation_goes_on(bot, message):
    sender = new_sender()
    assert_dutch_reply(post(bot, {"sender": sender, "message": message}))
    assert_conversation_intact(bot, sender, users_before=1)


@pytest.mark.parametrize("raw, expected", [
    ('{"sender": "S", "message": "wat is hechting \\ud800 \\udfff?"}', "Hechting is het proces"),
    ('{"sender": "S", "message": "wat is \\u0000hechting\\u0007?"}', "Hechting is het proces"),
])
def test_lone_surrogates_and_nul_are_cleaned(bot, raw, expected):
    sender = new_sender()
    text = assert_dutch_reply(post(bot, raw=raw.replace('"S"', json.dumps(sender))))
    assert expected in text
    stored = [e["text"] for e in bot.tracker(sender)["events"] if e["event"] == "user"][0]
    assert "\x00" not in stored and "\ud800" not in stored


# -- 100 000 characters ---------------------------------------------------------------
def _dutch_text(chars):
    words, size, i = [], 0, 0
    while size < chars:
        word = DUTCH_WORDS[(i * 7919) % len(DUTCH_WORDS)]
        words.append(word)
        size += len(word) + 1
        i += 1
    return " ".join(words)[:chars]


@pytest.mark.parametrize("message", [
    "a" * 100_000,            # one endless word
    _dutch_text(100_000),     # real Dutch words: without the cap, DIET takes ~30 s and ~12 GB
], ids=["one-word", "dutch-words"])
def test_100000_characters_are_cut_before_the_nlu(bot, message):
    sender = new_sender()
    started = time.monotonic()
    text = assert_dutch_reply(post(bot, {"sender": sender, "message": message}))
    assert time.monotonic() - started < 20
    assert text.startswith(TOO_LONG)
    users = [e for e in bot.tracker(sender)["events"] if e["event"] == "user"]
    assert len(_unredacted(users[0]["text"])) <= MAX_CHARS
    assert users[0]["metadata"]["ocrn_truncated_from"] == len(message.strip())
    assert_conversation_intact(bot, sender, users_before=1)


def test_danger_mentioned_after_the_cut_still_gets_the_help_lines(bot):
    message = "Ik wil graag iets vertellen. " + _dutch_text(30_000) + \
        " En nu het belangrijkste: mijn man slaat mij en de kinderen, ik ben bang."
    text = assert_dutch_reply(post(bot, {"sender": new_sender(), "message": message}))
    assert text.startswith(TOO_LONG)
    assert all(line in text for line in HELP_LINES), text


# -- malformed requests -----------------------------------------------------------------
_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | \
    st.text(max_size=20)
_JSON = st.recursive(_JSON_SCALARS, lambda children: st.lists(children, max_size=3) |
                     st.dictionaries(st.text(max_size=8), children, max_size=3), max_leaves=6)
_MISSING = object()


def _expected_ok(body):
    if not isinstance(body, dict):
        return False
    sender, message = body.get("sender"), body.get("message")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    sender_ok = (isinstance(sender, str) and sender.strip() != "" and len(sender) <= 255
                 and not re.search(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]", sender))
    metadata, channel = body.get("metadata"), body.get("input_channel")
    return (sender_ok and isinstance(message, str)
            and (metadata is None or isinstance(metadata, dict))
            and (channel is None or isinstance(channel, str)))


@st.composite
def _bodies(draw):
    if draw(st.booleans()):
        return draw(_JSON)  # anything at all, mostly not an object
    body = {}
    for key, values in (
        ("sender", st.just(_MISSING) | _JSON | st.uuids().map(lambda u: f"bad-{u.hex[:10]}")),
        ("message", st.just(_MISSING) | _JSON | st.text(max_size=40)),
        ("metadata", st.just(_MISSING) | _JSON),
    ):
        value = draw(values)
        if value is not _MISSING:
            body[key] = value
    return body


@settings(max_examples=40, **SETTINGS)
@given(body=_bodies())
def test_wrong_json_types_get_a_clear_400_never_a_5xx(bot, body):
    response = post(bot, body)
    if _expected_ok(body):
        assert_dutch_reply(response)
    else:
        assert response.status_code == 400, (body, response.status_code, response.text[:200])
        assert "must be" in response.json()["message"]


@pytest.mark.parametrize("raw", [
    b"", b"null", b"[]", b'"hoi"', b"42", b"{", b'{"sender": "x", "message": "hoi"',
    b"\xff\xfe\x00",
])
def test_broken_bodies_get_a_400(bot, raw):
    assert post(bot, raw=raw).status_code == 400


def test_conversation_is_intact_after_malformed_requests(bot):
    sender = new_sender()
    bot.say(sender, "hoi")
    for body in ({"sender": sender, "message": None}, {"sender": sender, "message": 5},
                 {"sender": sender, "message": ["wat", "is"]}, {"sender": sender},
                 {"sender": sender, "message": "hoi", "metadata": "x"}):
        assert post(bot, body).status_code == 400
    assert post(bot, {"message": "hoi"}).status_code == 400  # no sender: not filed as "default"
    assert_conversation_intact(bot, sender, users_before=1)


def test_the_widget_channel_caps_long_messages_too(bot):
    """The socketio channel (channels/socketio.py) uses the same guard as REST."""
    import socketio

    session = uuid.uuid4().hex

    async def chat():
        replies, confirmed = [], asyncio.Event()
        client = socketio.AsyncClient(reconnection=False)
        client.on("session_confirm", lambda _: confirmed.set())

        @client.on("bot_uttered")
        async def on_reply(data):
            replies.append(data)

        await client.connect(bot.url, transports=["polling"], wait_timeout=20)
        try:
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.wait(), 20)
            await client.emit("user_uttered", {"session_id": session,
                                               "message": "wat is hechting? " + _dutch_text(100_000)})
            deadline = time.monotonic() + 30
            while len(replies) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
        finally:
            # Engine.IO's polite disconnect waits for the pending long poll (~30 s).
            await client.eio.disconnect(abort=True)
        return replies

    replies = asyncio.run(chat())
    assert replies and replies[0]["text"].startswith(TOO_LONG), replies[:1]
    assert len(replies) >= 2
    users = [e for e in bot.tracker(session)["events"] if e["event"] == "user"]
    assert len(_unredacted(users[0]["text"])) <= MAX_CHARS
