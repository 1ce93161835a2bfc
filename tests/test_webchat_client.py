"""Standard clients work with our socket.io channel (channels/socketio.py): rasa-webchat
1.0.1, the usual Rasa web client from npm (its UMD bundle, fetched by
scripts/setup_web.sh), in Chromium against the real Rasa and action servers of the
`stack` fixture; and the message shapes at the protocol level.

rasa-webchat recognises a text message only when `text` is its one key, and buttons
only when `text` and `quick_replies` are its two keys; an extra key (such as our
widget's `response`) and it shows nothing at all. So the channel sends Rasa's own
shapes, and the `response` key only to a client that announces itself as our widget.

The page is served by the test itself, a small HTTP server on 127.0.0.1 at the origin
the Rasa server allows (`widget_origin`; Chromium lets a page on loopback, not one
Playwright makes up, reach a server on loopback): the page and the bundle, nothing else.
"""
import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sockets import SocketChat

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
WELCOME = "Ik ben de chatassistent van OCRN"
EMERGENCY = "ik heb net 112 gebeld, mijn dochter ademt bijna niet meer"
TIMEOUT_MS = 30_000

PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>rasa-webchat 1.0.1 against OCRN</title></head>
<body>
<h1>rasa-webchat</h1>
<script src="/rasa-webchat.js"></script>
<script>
  // As rasa-webchat's README embeds it, with our server and greeting.
  WebChat.default({
    initPayload: "/greet",
    socketUrl: "RASA_URL",
    socketPath: "/socket.io/",
    title: "OCRN",
    params: {storage: "session"}
  }, null);
</script>
</body>
</html>
"""


def normalised(text: str) -> str:
    return " ".join(text.split())


def _run(coroutine):
    """asyncio in a thread of its own: Playwright's sync API keeps a loop in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- the shapes on the wire ---------------------------------------------------------------

def test_a_standard_client_gets_rasas_own_message_shapes(stack):
    async def talk(widget, metadata=None):
        async with SocketChat(stack.url, widget=widget) as chat:
            session = await chat.session()
            sent = {"message": "/greet", "session_id": session}
            if metadata:
                sent["metadata"] = metadata
            assert (await chat.call("user_uttered", sent))["status"] == "ok"
            for text in ("wat is hechting", EMERGENCY):
                sent["message"] = text
                assert (await chat.call("user_uttered", sent))["status"] == "ok"
            return chat.received()

    plain = _run(talk(widget=False))
    assert WELCOME in plain[0]["text"]
    assert set(plain[0]) == {"text", "quick_replies"}  # buttons, as Rasa's channel sends them
    assert {"content_type", "title", "payload"} == set(plain[0]["quick_replies"][0])
    emergency = next(m for m in plain if "112" in m["text"] and "0800-2000" in m["text"])
    assert set(emergency) == {"text"}  # a text message
    assert all(set(m) in ({"text"}, {"text", "quick_replies"}) for m in plain), plain

    # Our widget announces itself (session_request, or a message's metadata): + `response`.
    for announced in (_run(talk(widget=True)), _run(talk(widget=False, metadata={"ocrn_widget": 1}))):
        assert announced[0]["response"] == "utter_greet"
        assert all(m.get("response", "").startswith("utter_") for m in announced), announced
        assert [m["text"] for m in announced] == [m["text"] for m in plain]


# --- rasa-webchat in Chromium ---------------------------------------------------------------

@pytest.fixture(scope="module")
def webchat_site(stack, widget_origin):
    """/webchat.html and /rasa-webchat.js on `widget_origin` (127.0.0.1)."""
    assert BUNDLE.is_file(), "rasa-webchat missing: run bash scripts/setup_web.sh"
    files = {"/webchat.html": ("text/html; charset=utf-8", PAGE.replace("RASA_URL", stack.url).encode()),
             "/rasa-webchat.js": ("application/javascript", BUNDLE.read_bytes())}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            found = files.get(self.path)
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", found[0] if found else "text/plain")
            self.end_headers()
            self.wfile.write(found[1] if found else b"not found")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", urlsplit(widget_origin).port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{widget_origin}/webchat.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def webchat(browser, webchat_site):
    """A tab with rasa-webchat's page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(webchat_site)
    yield page
    context.close()
    assert errors == [], errors


def test_rasa_webchat_shows_every_answer_buttons_and_the_emergency_answer(webchat, bot):
    page = webchat
    page.locator(".rw-launcher").click()  # opening the chat sends the initPayload
    bot_messages = page.locator(".rw-from-response .rw-message-text")

    # 1. The welcome with its topic buttons.
    expect(bot_messages.first).to_contain_text(WELCOME, timeout=TIMEOUT_MS)
    topic = page.locator(".rw-reply", has_text="Wat is hechting?")
    expect(topic).to_be_visible()
    assert page.locator(".rw-reply").count() >= 4

    # 2. A button: its title as the parent's message, then the answer and the feedback
    #    question with its own buttons.
    topic.click()
    expect(page.locator(".rw-from-client").last).to_contain_text("Wat is hechting?")
    expect(bot_messages.filter(has_text="Hechting is het proces")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(bot_messages.filter(has_text="Had je iets aan dit antwoord?")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(".rw-reply", has_text="Ja")).to_be_visible()

    # 3. An emergency, typed.
    page.locator(".rw-new-message").fill(EMERGENCY)
    page.keyboard.press("Enter")
    expect(page.locator(".rw-from-client").last).to_contain_text("ademt bijna niet meer")
    emergency = bot_messages.filter(has_text="112").filter(has_text="0800-2000")
    expect(emergency).to_have_count(1, timeout=TIMEOUT_MS)

    # Every bot message the server stored for this conversation is shown, in order.
    session = json.loads(page.evaluate("sessionStorage.getItem('chat_session')"))["session_id"]
    said = [e["text"] for e in bot.tracker(session)["events"] if e["event"] == "bot" and e.get("text")]
    expect(bot_messages).to_have_count(len(said), timeout=TIMEOUT_MS)
    shown = [normalised(t) for t in bot_messages.all_inner_texts()]
    assert shown == [normalised(t) for t in said]
    users = [e["text"] for e in bot.tracker(session)["events"] if e["event"] == "user"]
    assert users == ["/greet", "/ask_what_is_attachment", EMERGENCY]
