"""The website widget (web/) in a real browser: Debian's Chromium driven by Playwright,
against the real Rasa server (socketio channel) and action server of the `bot` fixture;
the reconnect and limit tests start a Rasa server of their own, since they kill it.

Figures for the issue's closing note (axe-core violations, the smallest tap target, the
time from a dropped socket to the notice) are listed under "figures" at the end of the run."""
import asyncio
import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from launcher.stack import Stack

from servers import Bot, free_port, test_stack
from sockets import Refused, SocketChat

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "tests" / "output"
OFFLINE = ("Het lukt nu niet om verbinding te maken. Probeer het later opnieuw. "
           "Is er direct gevaar? Bel 112.")
LOST = "Verbinding kwijt, ik probeer het opnieuw"
EXIT_URL = "https://www.google.nl/"  # the default of web/ocrn-chat.js
BOT = "#ocrn-chat .ocrn-msg-bot"
REPLY_TIMEOUT_MS = 30_000
WELCOME = "Ik ben de chatassistent van OCRN"
EMERGENCY = "help mijn vriend slaat mij en de kinderen en ik durf niet naar huis"
HELP_NUMBERS = {"112": "tel:112", "0800-2000": "tel:08002000", "113": "tel:113",
                "0800-0113": "tel:08000113", "0800-0432": "tel:08000432"}
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def widget(stack, widget_origin):
    """The widget page, served like `make run` does, pointing at the test Rasa server."""
    assert (ROOT / "web" / "vendor" / "socket.io.min.js").is_file(), \
        "socket.io client missing: run bash scripts/setup_web.sh"
    url = stack.start_widget(urlsplit(widget_origin).port)
    stack.wait_http(url, stack.widget)
    yield widget_origin
    Stack.end(stack.widget)


class Chat:
    """One browser tab with the widget page, plus what it did (dialogs, script errors).
    `browser` is the shared fixture of tests/browser.py."""

    def __init__(self, browser, url, width=1280, height=800, **context):
        assert AXE.is_file(), "axe-core missing: run bash scripts/setup_web.sh"
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="nl-NL", **context)
        self.context.add_init_script(path=str(AXE))  # runs before the page's CSP applies
        self.context.route(EXIT_URL + "**", lambda route: route.fulfill(
            content_type="text/html", body="<title>Google</title><p>Zoeken</p>"))
        self.page = self.context.new_page()
        self.dialogs, self.errors = [], []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.add_init_script("window.__xss = false;")
        self.page.goto(url)

    def open(self):
        self.page.get_by_role("button", name="Chat openen").click()
        expect(self.page.get_by_role("dialog", name="OCRN-chatassistent")).to_be_visible()

    def bot_count(self) -> int:
        return self.page.locator(BOT).count()

    def wait_for_reply(self, before: int, timeout: int = REPLY_TIMEOUT_MS) -> str:
        """Wait for new bot messages after `before` of them, until they stop coming; their text."""
        self.page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                                    arg=[BOT, before], timeout=timeout)
        count = -1
        while count != self.bot_count():  # an answer and the feedback question come apart
            count = self.bot_count()
            self.page.wait_for_timeout(600)
        expect(self.page.locator("#ocrn-chat .ocrn-status")).to_have_text("")
        return "\n".join(self.page.locator(BOT).all_inner_texts()[before:])

    def type(self, text: str):
        self.page.get_by_label("Typ je vraag").fill(text)
        self.page.get_by_role("button", name="Verstuur").click()

    def say(self, text: str) -> str:
        before = self.bot_count()
        self.type(text)
        return self.wait_for_reply(before)

    def session_id(self):
        return self.page.evaluate("sessionStorage.getItem('ocrn-chat-session')")

    def older_buttons_disabled(self) -> list:
        """For each button in a message before the user's last message: is it disabled?"""
        return self.page.evaluate("""() => {
            const msgs = [...document.querySelectorAll('#ocrn-chat .ocrn-msg')];
            const lastUser = msgs.map(m => m.classList.contains('ocrn-msg-user')).lastIndexOf(true);
            return msgs.slice(0, lastUser).flatMap(m => [...m.querySelectorAll('.ocrn-choice')])
                .map(b => b.disabled);
        }""")

    def focused(self, script: str):
        return self.page.evaluate(f"(el => {script})(document.activeElement)")

    def axe(self) -> list:
        """axe-core's WCAG 2.1 A/AA violations on the whole page: [(rule id, node count)]."""
        result = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                                    AXE_TAGS)
        return [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in result["violations"]]

    def close(self):
        assert self.errors == [], self.errors
        self.context.close()


@pytest.fixture
def chat(browser, widget):
    chats = []

    def _open(url=widget, **size):
        chats.append(Chat(browser, url, **size))
        return chats[-1]

    yield _open
    for c in chats:
        c.close()


@pytest.fixture(scope="module", params=list(SIZES), ids=list(SIZES))
def talked(request, browser, widget, bot):
    """A tab at each size after a conversation with buttons, a link and the emergency
    answer; shared by the tests that only look at it."""
    width, height = SIZES[request.param]
    c = Chat(browser, widget, width=width, height=height)
    c.size = request.param
    c.open()
    c.wait_for_reply(0)
    c.say("/ask_registration")
    c.say(EMERGENCY)
    yield c
    c.close()


# --- the conversation ---------------------------------------------------------------

def test_conversation_with_buttons_survives_a_reload(chat, bot):
    c = chat()
    c.open()
    # 1. the welcome: the bot's answer to /greet, with topic buttons, and how to erase
    welcome = c.wait_for_reply(0)
    assert "OCRN" in welcome and "wissen" in welcome
    assert c.page.locator(".ocrn-choice:enabled").count() >= 3
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user")).to_have_count(0)
    expect(c.page.locator("#ocrn-chat .ocrn-intro")).to_be_visible()

    # 2. a question in words; the intro has been read and makes room
    answer = c.say("Wat is hechting?").lower()
    assert "hechting" in answer and ("band" in answer or "veilig" in answer)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text("Wat is hechting?")
    expect(c.page.locator("#ocrn-chat .ocrn-intro")).to_be_hidden()

    # 3. a quick-reply button: its title is shown as the user's message, older buttons go off
    button = c.page.locator(".ocrn-msg-bot .ocrn-choice:enabled").first
    title = button.inner_text()
    before = c.bot_count()
    button.click()
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text(title)
    assert c.wait_for_reply(before)
    older = c.older_buttons_disabled()
    assert len(older) >= 6 and all(older)

    OUTPUT.mkdir(parents=True, exist_ok=True)
    c.page.screenshot(path=str(OUTPUT / "widget.png"))

    # 4. a reload keeps the transcript and the Rasa session, and sends no second welcome
    session_id = c.session_id()
    transcript = c.page.locator("#ocrn-chat .ocrn-msg").all_inner_texts()
    c.page.reload()
    expect(c.page.get_by_role("dialog", name="OCRN-chatassistent")).to_be_visible()
    assert c.page.locator("#ocrn-chat .ocrn-msg").all_inner_texts() == transcript
    assert c.older_buttons_disabled() == older
    assert c.say("Wat helpt thuis?")
    assert c.session_id() == session_id
    said = [e.get("text") for e in bot.tracker(session_id)["events"] if e["event"] == "user"]
    assert "Wat is hechting?" in said and "Wat helpt thuis?" in said and said.count("/greet") == 1
    assert c.page.evaluate("Object.keys(localStorage).length") == 0
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_count(0)  # no false alarm


def test_every_message_shows_its_time(talked):
    times = talked.page.locator("#ocrn-chat .ocrn-msg time").all()
    messages = talked.page.locator("#ocrn-chat .ocrn-msg-bot, #ocrn-chat .ocrn-msg-user").count()
    assert len(times) == messages >= 4
    now = time.strftime("%H:%M")
    for stamp in times:
        assert re.fullmatch(r"\d\d:\d\d", stamp.inner_text())
        assert stamp.get_attribute("datetime").endswith("Z")
    assert times[-1].inner_text() in (now, time.strftime("%H:%M", time.localtime(time.time() - 60)))


def test_html_is_shown_as_text_and_never_runs(chat, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    payload = "<img src=x onerror=alert(1)>"
    c.say(payload)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user .ocrn-text").last).to_have_text(f"Jij: {payload}")

    # Bot text takes the same path: plant HTML in the saved transcript and reload.
    planted = ('<img src=x onerror="window.__xss=true"><script>window.__xss=true</script> '
               'Meld je aan: https://www.ocrn.nl/aanmelden.')
    c.page.evaluate("""t => {
        const log = JSON.parse(sessionStorage.getItem('ocrn-chat-log'));
        log.push({from: 'bot', text: t, buttons: [{title: '<b>vet</b>', payload: '/greet'}],
                  response: '<i>x</i>'});
        sessionStorage.setItem('ocrn-chat-log', JSON.stringify(log));
    }""", planted)
    c.page.reload()
    last = c.page.locator(BOT).last
    expect(last.locator(".ocrn-text")).to_contain_text('<img src=x onerror="window.__xss=true">')
    expect(last.locator(".ocrn-choice")).to_have_text("<b>vet</b>")
    link = last.locator("a")
    expect(link).to_have_attribute("href", "https://www.ocrn.nl/aanmelden")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")

    assert c.page.locator("#ocrn-chat img, #ocrn-chat script, #ocrn-chat b, #ocrn-chat i").count() == 0
    assert c.page.evaluate("window.__xss") is False
    assert c.dialogs == []


def test_registration_is_a_clear_button_to_the_registration_page(talked):
    link = talked.page.get_by_role("link", name="Naar aanmelden")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "https://example.org/aanmelden-test")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert "https://" not in talked.page.locator(BOT).filter(has=link).inner_text()  # no bare URL


def test_feedback_once_per_topic_and_what_was_missing(chat, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    thumbs_down = c.page.get_by_role("button", name="👎 Nee")
    assert "Had je iets aan dit antwoord?" in c.say("/ask_what_is_attachment")
    expect(thumbs_down).to_be_enabled()
    assert "Had je iets aan dit antwoord?" not in c.say("/ask_attachment_problems")  # same topic
    assert "Had je iets aan dit antwoord?" in c.say("/ask_causes")  # another topic
    before = c.bot_count()
    c.page.locator(".ocrn-choice:enabled", has_text="👎 Nee").click()
    assert "Wat miste je" in c.wait_for_reply(before)
    thanks = c.say("ik miste een voorbeeld uit de praktijk, mail me op ouder@example.nl")
    assert "Wat miste je" not in thanks
    said = [e["text"] for e in bot.tracker(c.session_id())["events"] if e["event"] == "user"]
    assert said[-1].startswith("ik miste een voorbeeld") and "ouder@example.nl" not in said[-1]


# --- safety: the emergency answer, quick exit ----------------------------------------

# The first line of a bot message and the 112 link, as viewport rectangles; the log's area.
LINE_BOXES = """msg => {
    const walker = document.createTreeWalker(msg.querySelector('.ocrn-text'), NodeFilter.SHOW_TEXT,
        {acceptNode: n => n.textContent.trim() && !n.parentElement.closest('.ocrn-visually-hidden')
                          ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
    const text = walker.nextNode();
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, 1);
    const first = range.getClientRects()[0];
    const call = msg.querySelector('a[href="tel:112"]').getBoundingClientRect();
    const log = msg.closest('.ocrn-log').getBoundingClientRect();
    return {first: {top: first.top, bottom: first.bottom}, line112: {top: call.top, bottom: call.bottom},
            log: {top: log.top, bottom: log.bottom}};
}"""


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_emergency_answer_opens_at_its_first_line(chat, bot, width, height):
    c = chat(width=width, height=height)
    c.open()
    c.wait_for_reply(0)
    c.say("Welke signalen zie je bij hechtingsproblemen?")  # a long log above the answer
    before = c.bot_count()
    answer = c.say(EMERGENCY)
    assert "112" in answer and "0800-2000" in answer
    boxes = c.page.locator(BOT).nth(before).evaluate(LINE_BOXES)
    log = boxes["log"]
    for line in ("first", "line112"):
        assert log["top"] <= boxes[line]["top"] and boxes[line]["bottom"] <= log["bottom"], (line, boxes)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    c.page.screenshot(path=str(OUTPUT / f"widget-emergency-{width}x{height}.png"))


def test_emergency_answer_looks_and_acts_like_one(talked):
    page = talked.page
    block = page.locator("#ocrn-chat .ocrn-msg-emergency")
    expect(block).to_have_count(1)
    ordinary = page.locator(BOT).first
    # Its own style: full width and a coloured border, unlike a normal bubble.
    style = block.evaluate("""b => { const t = b.querySelector('.ocrn-text'), s = getComputedStyle(t);
        return {border: s.borderLeftWidth, colour: s.borderLeftColor, bg: s.backgroundColor,
                width: b.getBoundingClientRect().width,
                log: b.closest('.ocrn-log').clientWidth}; }""")
    normal = ordinary.evaluate("b => getComputedStyle(b.querySelector('.ocrn-text')).backgroundColor")
    assert float(style["border"][:-2]) >= 6 and style["bg"] != normal
    assert style["width"] >= style["log"] - 32
    expect(block).to_contain_text("Hulp bij gevaar")
    # Announced at once: the assertive live region holds its text, not the log.
    alarm = page.locator("#ocrn-chat [role=alert]")
    expect(alarm).to_contain_text("Bel meteen")
    expect(alarm).to_contain_text("0800-2000")
    # Every help number a tel: link, on one line, and at least 44 x 44 px to tap.
    for number, href in HELP_NUMBERS.items():
        links = block.locator(f"a[href='{href}']").all()
        assert links, number
        for link in links:
            expect(link).to_have_text(number)
            lines = link.evaluate("a => a.getClientRects().length")
            box = link.bounding_box()
            assert lines == 1 and box["width"] >= 44 and box["height"] >= 44, (number, box)
    assert block.locator("a[href^='tel:']").count() == 6  # 113 is named twice


def test_quick_exit_button_leaves_nothing_of_the_chat_in_the_tab(chat, widget, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    c.say("mijn kind bijt steeds andere kinderen, is dat normaal")
    exit_button = c.page.get_by_role("button", name="Snel weg")
    expect(exit_button).to_have_accessible_description(re.compile("3 keer snel op Esc"))
    assert exit_button.bounding_box()["height"] >= 44
    exit_button.click()
    c.page.wait_for_url(EXIT_URL)
    c.page.go_back()  # the chat's page was replaced, not left behind in the history
    assert not c.page.url.startswith(widget)
    c.page.goto(widget)  # the same tab, the same sessionStorage
    assert c.page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('ocrn'))") == []
    expect(c.page.get_by_role("button", name="Chat openen")).to_be_visible()
    expect(c.page.locator("#ocrn-chat .ocrn-msg")).to_have_count(0)


def test_quick_exit_from_the_keyboard_with_three_escapes(chat, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    c.page.keyboard.press("Escape")  # once: only closes the chat
    expect(c.page.get_by_role("dialog")).to_be_hidden()
    assert c.page.url != EXIT_URL
    c.page.wait_for_timeout(1600)
    for _ in range(3):
        c.page.keyboard.press("Escape")
    c.page.wait_for_url(EXIT_URL)


# --- the parent's own data -------------------------------------------------------------

def _events(db: Path, sender: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_erasing_the_conversation_deletes_it_from_the_store_and_starts_anew(chat, stack, bot):
    other = "erase-neighbour-" + str(time.time_ns())
    bot.say(other, "wat is hechting")
    others_before = _events(stack.db, other)
    c = chat()
    c.open()
    c.wait_for_reply(0)
    c.say("mijn dochter van 4 huilt elke ochtend bij school, is dat normaal")
    old = c.session_id()
    assert _events(stack.db, old) > 5

    c.page.get_by_role("button", name="Gesprek wissen").click()
    expect(c.page.get_by_text("Wil je dit gesprek wissen?")).to_be_visible()
    assert c.focused("el.textContent") == "Nee, terug"  # the safe choice has focus
    c.page.get_by_role("button", name="Ja, wissen").click()
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_contain_text("Het gesprek is gewist")
    welcome = c.wait_for_reply(0)  # a new session with a new welcome
    assert WELCOME in welcome
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user")).to_have_count(0)

    assert _events(stack.db, old) == 0
    assert _events(stack.db, other) == others_before  # other conversations untouched
    new = c.session_id()
    assert new and new != old and _events(stack.db, new) > 0
    saved = c.page.evaluate("sessionStorage.getItem('ocrn-chat-log')")
    assert "huilt elke ochtend" not in saved


# --- accessible ------------------------------------------------------------------------

def test_axe_core_finds_no_wcag_21_aa_violations_in_either_theme(talked, figures):
    light = talked.axe()
    talked.page.emulate_media(color_scheme="dark")
    try:
        dark = talked.axe()
        talked.page.screenshot(path=str(OUTPUT / f"widget-dark-{talked.size}.png"))
    finally:
        talked.page.emulate_media(color_scheme="light")
    figures(f"axe-core {talked.size}: {len(light)} violations (light), {len(dark)} (dark); tags {AXE_TAGS}")
    assert light == [] and dark == []


def test_every_tap_target_is_at_least_44_px(talked, figures):
    page = talked.page
    page.get_by_role("button", name="Gesprek wissen").click()  # its buttons too
    try:
        sizes = page.evaluate("""() => [...document.querySelectorAll(
                '#ocrn-chat a[href], #ocrn-chat button, #ocrn-chat input')]
            .filter(el => el.offsetParent !== null)
            .map(el => { const r = el.getBoundingClientRect();
                         return [el.className || el.tagName, el.textContent.trim().slice(0, 20),
                                 r.width, r.height]; })""")
    finally:
        page.get_by_role("button", name="Nee, terug").click()
    kinds = {name for name, *_ in sizes}
    assert {"ocrn-choice", "ocrn-send", "ocrn-close", "ocrn-exit", "ocrn-erase", "ocrn-tel",
            "ocrn-link-button", "ocrn-confirm-yes", "ocrn-input"} <= kinds, kinds
    smallest = min(min(w, h) for *_, w, h in sizes)
    figures(f"tap targets {talked.size}: {len(sizes)} targets, smallest side {smallest:.1f} px")
    assert [s for s in sizes if min(s[2], s[3]) < 44] == []


def test_only_the_new_messages_text_is_announced(talked):
    page = talked.page
    expect(page.locator("#ocrn-chat .ocrn-log")).to_have_attribute("aria-live", "off")
    polite = page.locator("#ocrn-chat [aria-live=polite]")
    expect(polite).to_have_count(1)
    talked.say("/ask_treatment")  # an answer with buttons, and the feedback question
    last = page.locator(BOT).last
    titles = last.locator(".ocrn-choice").all_inner_texts()
    assert titles
    announced = " ".join(polite.inner_text().split())
    assert announced == " ".join(last.locator(".ocrn-text").inner_text().split())
    assert not any(title in announced for title in titles)


def test_keyboard_only_in_a_modal_dialog(chat, bot):
    c = chat()
    page = c.page
    for _ in range(10):  # Tab from the top of the page to the launcher
        page.keyboard.press("Tab")
        if c.focused("el.getAttribute('aria-label')") == "Chat openen":
            break
    assert c.focused("el.getAttribute('aria-label')") == "Chat openen"
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_have_attribute("aria-modal", "true")
    assert c.focused("el.id") == "ocrn-input"
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"
    c.wait_for_reply(0)

    page.keyboard.type("Wat is hechting?")
    before = c.bot_count()
    page.keyboard.press("Enter")
    c.wait_for_reply(before)

    inside = "!!el.closest('#ocrn-chat-panel')"
    for key in ["Tab"] * 30 + ["Shift+Tab"] * 30:  # focus goes round inside the panel
        page.keyboard.press(key)
        assert c.focused(inside), c.focused("el.outerHTML.slice(0, 80)")
    for _ in range(40):  # Tab round until a quick-reply button has focus
        page.keyboard.press("Tab")
        if c.focused("el.classList.contains('ocrn-choice') && !el.disabled"):
            break
    assert c.focused("el.classList.contains('ocrn-choice')")
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"
    title = c.focused("el.textContent")
    before = c.bot_count()
    page.keyboard.press("Enter")
    expect(page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text(title)
    c.wait_for_reply(before)
    assert c.focused("el.id") == "ocrn-input"

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert c.focused("el.getAttribute('aria-label')") == "Chat openen"
    page.keyboard.press(" ")  # Space opens it too
    expect(page.get_by_role("dialog")).to_be_visible()
    assert c.focused("el.id") == "ocrn-input"


CONTRAST = """() => {
    const lum = c => {
        const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
            v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = el => {
        for (; el; el = el.parentElement) {
            const bg = getComputedStyle(el).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(bg) && bg !== 'transparent') return bg;
        }
        return 'rgb(255, 255, 255)';
    };
    const out = [];
    document.querySelectorAll('#ocrn-chat *').forEach(el => {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || !el.offsetParent || el.disabled || el.closest('.ocrn-visually-hidden')) return;
        const [a, b] = [lum(getComputedStyle(el).color), lum(background(el))];
        out.push([el.className || el.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    });
    return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast_and_reduced_motion_in_both_themes(chat, bot, scheme):
    c = chat()
    c.page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    c.open()
    c.wait_for_reply(0)
    c.say("/ask_registration")  # a link on screen too
    page = c.page
    panel_bg = page.locator("#ocrn-chat-panel").evaluate("p => getComputedStyle(p).backgroundColor")
    assert (panel_bg == "rgb(255, 255, 255)") == (scheme == "light")
    ratios = page.evaluate(CONTRAST)
    assert len(ratios) > 5
    low = [(name, round(ratio, 2)) for name, ratio in ratios if ratio < 4.5]
    assert low == []
    assert page.locator("#ocrn-chat-panel").evaluate("p => getComputedStyle(p).animationName") == "none"
    c.page.emulate_media(reduced_motion="no-preference")
    assert page.locator("#ocrn-chat-panel").evaluate("p => getComputedStyle(p).animationName") != "none"


OVERLAPS = """() => {
    const panel = document.querySelector('#ocrn-chat-panel').getBoundingClientRect();
    const nodes = [...document.querySelectorAll('#ocrn-chat-panel h2, #ocrn-chat-panel button, '
        + '#ocrn-chat-panel input, #ocrn-chat-panel .ocrn-status')].filter(n => n.offsetParent !== null
        && !n.closest('.ocrn-log'));
    const boxes = nodes.map(n => [n.className || n.tagName, n.getBoundingClientRect()]);
    const out = [];
    const scroller = document.querySelector('#ocrn-chat-panel');  // scrolls when too short
    boxes.forEach(([name, r]) => {
        const top = panel.top - scroller.scrollTop;
        if (r.left < panel.left - 1 || r.right > panel.right + 1 || r.top < top - 1
            || r.bottom > top + scroller.scrollHeight + 1) out.push(['outside', name]);
    });
    boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
        if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1)
            out.push(['overlap', a, b]);
    }));
    const cut = nodes.filter(n => n.scrollWidth > n.clientWidth + 1).map(n => ['cut', n.className]);
    return out.concat(cut);
}"""


@pytest.mark.parametrize("width,height,font", [(683, 384, ""), (1366, 768, "200%"), (390, 844, "150%")],
                         ids=["zoom-200", "font-200", "phone-font-150"])
def test_text_follows_the_font_size_and_200_percent_zoom_cuts_nothing_off(chat, bot, width, height, font):
    """200 % zoom on a 1366 x 768 laptop is a CSS viewport of 683 x 384; a larger browser
    font size is a larger root font size, which every rem in widget.css follows."""
    c = chat(width=width, height=height, device_scale_factor=2 if not font else 1)
    c.page.evaluate(f"document.documentElement.style.fontSize = '{font}'")
    c.open()
    c.wait_for_reply(0)
    c.say("/ask_registration")
    page = c.page
    size = {"": 16, "200%": 32, "150%": 24}[font]
    assert page.locator("#ocrn-input").evaluate("i => getComputedStyle(i).fontSize") == f"{size}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#ocrn-chat .ocrn-log").evaluate("l => l.scrollWidth - l.clientWidth") <= 0
    assert page.evaluate(OVERLAPS) == []
    page.get_by_label("Typ je vraag").scroll_into_view_if_needed()
    expect(page.get_by_role("button", name="Verstuur")).to_be_in_viewport()
    c.page.screenshot(path=str(OUTPUT / f"widget-text-{width}x{height}-{font or 'zoom'}.png"))


def test_phone_keyboard_keeps_the_latest_answer_and_the_input_in_view(chat, bot):
    c = chat(width=390, height=844, is_mobile=True, has_touch=True)
    c.open()
    c.wait_for_reply(0)
    c.say("Wat helpt thuis?")
    before = c.bot_count()
    c.say("Hoe werkt de hulp bij OCRN?")
    c.page.locator("#ocrn-chat .ocrn-log").evaluate("l => l.scrollTop = 0")  # read back up
    c.page.get_by_label("Typ je vraag").focus()  # the parent taps the input ...
    c.page.set_viewport_size({"width": 390, "height": 420})  # ... and the keyboard opens
    c.page.wait_for_timeout(300)
    input_box = c.page.get_by_label("Typ je vraag").bounding_box()
    assert 0 <= input_box["y"] and input_box["y"] + input_box["height"] <= 420
    latest = c.page.locator(BOT).nth(before).bounding_box()
    log = c.page.locator("#ocrn-chat .ocrn-log").bounding_box()
    assert log["y"] <= latest["y"] < log["y"] + log["height"] - 20, (latest, log)
    assert log["height"] >= 150  # room to read
    expect(c.page.locator("#ocrn-chat .ocrn-intro")).to_be_hidden()
    c.page.screenshot(path=str(OUTPUT / "widget-phone-keyboard.png"))


def test_small_screen_has_no_horizontal_scroll(chat, bot):
    c = chat(width=320, height=640)
    assert c.page.evaluate("document.documentElement.scrollWidth") <= 320  # the page itself
    c.open()
    c.wait_for_reply(0)
    c.say("ik wil graag weten " + "x" * 120 + " https://www.ocrn.nl/" + "a" * 80)
    page = c.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    log_overflow = page.evaluate("(l => l.scrollWidth - l.clientWidth)(document.querySelector('.ocrn-log'))")
    assert log_overflow <= 0
    box = page.get_by_role("dialog").bounding_box()
    assert box["x"] == 0 and box["width"] == 320
    assert page.evaluate(OVERLAPS) == []


# --- embedding, serving ---------------------------------------------------------------

def test_one_script_tag_is_all_a_page_needs(chat, widget, bot):
    html = requests.get(f"{widget}/embed.html", timeout=5).text
    body = re.search(r"<body>(.*)</body>", html, re.S).group(1).strip()
    assert re.fullmatch(r'<script src="ocrn-chat.js" data-rasa-url="[^"]+" defer></script>', body)
    c = chat(f"{widget}/embed.html")
    launcher = c.page.get_by_role("button", name="Chat openen")
    expect(launcher).to_be_visible()
    assert launcher.evaluate("b => getComputedStyle(b).position") == "fixed"  # its CSS is loaded
    c.open()
    assert "OCRN" in c.wait_for_reply(0)
    assert "hechting" in c.say("wat is hechting").lower()
    loaded = c.page.evaluate("[...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)")
    assert {urlsplit(u).netloc for u in loaded} == {urlsplit(widget).netloc}  # all from its own origin
    assert c.axe() == []


def test_widget_server_serves_only_the_widget(widget, bot):
    for path in ("/", "/embed.html"):
        page = requests.get(widget + path, timeout=5)
        assert f'data-rasa-url="{bot.url}"' in page.text, path
        assert "connect-src 'self' " + bot.url in page.headers["Content-Security-Policy"]
    for path in ("/ocrn-chat.js", "/widget.css", "/vendor/socket.io.min.js", "/page.css"):
        assert requests.get(widget + path, timeout=5).ok, path
    for path in ("/serve.py", "/package.json", "/node_modules/socket.io-client/package.json",
                 "/node_modules/axe-core/axe.min.js", "/../README.md", "/config.js"):
        assert requests.get(widget + path, timeout=5).status_code == 404, path


def test_rasa_allows_only_the_widget_origin(bot, widget_origin):
    url = f"{bot.url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(url, headers={"Origin": widget_origin}, timeout=5)
    assert allowed.ok and allowed.headers.get("Access-Control-Allow-Origin") == widget_origin
    other = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=5)
    assert "Access-Control-Allow-Origin" not in other.headers


# --- connection trouble ---------------------------------------------------------------

def test_unreachable_server_gives_a_dutch_message(chat, tmp_path):
    no_rasa = Stack(tmp_path, with_actions=False)  # nothing listens on its Rasa port
    url = no_rasa.start_widget(free_port())
    try:
        no_rasa.wait_http(url, no_rasa.widget)
        c = chat(url)
        c.open()
        expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_text(OFFLINE, timeout=15_000)
        expect(c.page.locator("#ocrn-chat .ocrn-status")).to_have_text("")
        expect(c.page.locator("#ocrn-chat .ocrn-msg-notice a[href='tel:112']")).to_have_count(1)
    finally:
        no_rasa.stop()


def test_a_refused_connection_gets_a_calm_dutch_notice(chat, widget):
    """What the browser sees when the server refuses a connection for its rate limit."""
    c = chat()

    def refuse(ws):
        ws.on_message(lambda message: ws.send('44{"message":"rate_limited","data":{"reason":"rate_limited"}}')
                      if message == "40" else None)
        ws.send(ENGINE_OPEN)

    c.page.route_web_socket(re.compile(r".*/socket\.io/.*"), refuse)
    c.open()
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_contain_text(
        "Er komen nu te veel berichten binnen. Wacht even", timeout=5000)


ENGINE_OPEN = '0{"sid":"fake","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'


def test_a_socket_accepted_and_then_dropped_at_start_is_said_in_dutch(chat, widget):
    """A server that opens the socket.io session and then closes it (the empty panel of
    the issue): the widget says so at once, and in full after the offline delay."""
    c = chat()

    def accept_then_drop(ws):
        def on_message(message):
            if message == "40":  # socket.io connect: accept it, then close the socket
                ws.send('40{"sid":"fake-socket"}')
                c.page.wait_for_timeout(200)
                ws.close()
        ws.on_message(on_message)
        ws.send(ENGINE_OPEN)

    c.page.route_web_socket(re.compile(r".*/socket\.io/.*"), accept_then_drop)
    c.page.clock.install()  # time runs on, and can jump
    c.open()
    expect(c.page.locator("#ocrn-chat .ocrn-connection")).to_contain_text(LOST, timeout=3000)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_count(0)
    c.page.clock.fast_forward(20_000)  # the offline delay of web/ocrn-chat.js
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_text(OFFLINE, timeout=5000)


# --- a Rasa server of its own: killed and restarted, then flooded ------------------------

@pytest.fixture(scope="module")
def own(tmp_path_factory):
    """A Rasa server (without action server: the feedback question is then left out)
    and its widget page, for the tests that kill the server or use up its limits."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    servers = test_stack(tmp_path_factory.mktemp("widget-own"), cors=origin, with_actions=False)
    servers.start()
    servers.start_widget(port)
    servers.wait_http(origin, servers.widget)
    servers.origin = origin
    yield servers
    servers.stop()


def _run(coroutine):
    """Run a coroutine to its end in a thread of its own (Playwright's sync API keeps an
    event loop in this one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_dropped_socket_is_said_in_dutch_and_messages_typed_offline_go_once(browser, own, figures):
    c = Chat(browser, own.origin, width=390, height=844)
    try:
        c.open()
        assert WELCOME in c.wait_for_reply(0)
        c.say("wat is hechting")
        session = c.session_id()

        async def handled_before_the_kill():
            async with SocketChat(own.url, own.origin) as other:
                await other.session()
                assert (await other.say("hoi", message_id="a" * 32))["status"] == "ok"
                return other.session_id
        other_session = _run(handled_before_the_kill())

        dropped = time.monotonic()
        own.kill_rasa()
        expect(c.page.locator("#ocrn-chat .ocrn-connection")).to_contain_text(LOST, timeout=3000)
        notice_after = time.monotonic() - dropped
        figures(f"reconnect: dropped socket to the Dutch notice in {notice_after:.2f} s")
        assert notice_after < 3

        before = c.bot_count()
        c.type("hoe herken ik hechtingsproblemen")  # typed while the server is gone
        expect(c.page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text("hoe herken ik")
        expect(c.page.locator("#ocrn-chat .ocrn-status")).to_contain_text("zodra er weer verbinding is")
        c.page.screenshot(path=str(OUTPUT / "widget-connection-lost.png"))

        own.start_rasa()
        own.wait_ready(actions=False)
        answer = c.wait_for_reply(before, timeout=60_000)
        assert "kenmerken" in answer.lower() or "herken" in answer.lower()
        expect(c.page.locator("#ocrn-chat .ocrn-connection")).not_to_contain_text(LOST)
        assert c.session_id() == session

        said = [e["text"] for e in Bot.of(own).tracker(session)["events"] if e["event"] == "user"]
        assert said == ["/greet", "wat is hechting", "hoe herken ik hechtingsproblemen"]  # each once
        assert sum(WELCOME in t for t in c.page.locator(BOT).all_inner_texts()) == 1  # no new welcome

        async def sent_again_after_the_restart():  # this process has not seen the id: the store has
            async with SocketChat(own.url, own.origin) as again:
                await again.session(other_session)
                return (await again.say("hoi", message_id="a" * 32))["status"]
        assert _run(sent_again_after_the_restart()) == "duplicate"
        assert [e["text"] for e in Bot.of(own).tracker(other_session)["events"] if e["event"] == "user"] == ["hoi"]
    finally:
        c.close()


def test_socket_from_a_foreign_origin_is_refused(own):
    async def connect(origin):
        async with SocketChat(own.url, origin) as chat:
            return await chat.session()
    assert _run(connect(own.origin))
    assert _run(connect(None))  # not a browser: no Origin, nothing to check
    with pytest.raises(Refused) as refused:
        _run(connect("http://evil.example"))
    assert refused.value.data == {"reason": "origin"}


def test_the_same_message_id_is_handled_once(own):
    async def twice():
        async with SocketChat(own.url, own.origin) as chat:
            await chat.session()
            first = await chat.say("wat is hechting", message_id="b" * 32)
            second = await chat.say("wat is hechting", message_id="b" * 32)
            return chat.session_id, first["status"], second["status"]
    session, first, second = _run(twice())
    assert (first, second) == ("ok", "duplicate")
    assert [e["text"] for e in Bot.of(own).tracker(session)["events"] if e["event"] == "user"] == ["wat is hechting"]


def test_messages_per_connection_are_limited_with_a_calm_answer(own):
    async def flood():
        async with SocketChat(own.url, own.origin) as chat:
            await chat.session()
            acks = [(await chat.say("/thank"))["status"] for _ in range(12)]
            return acks, chat.received()
    acks, replies = _run(flood())
    assert acks[:8] == ["ok"] * 8 and "limited" in acks[8:]
    calm = [r["text"] for r in replies if r.get("response") == "utter_slow_down"]
    assert len(calm) == acks.count("limited")
    assert "Wacht even" in calm[0] and "112" in calm[0]


def test_messages_per_address_are_limited(own, figures):
    async def many_connections():
        chats = [SocketChat(own.url, own.origin) for _ in range(10)]
        for chat in chats:
            await chat.__aenter__()
            await chat.session()
        acks = []
        try:
            for chat in chats:
                acks.append([(await chat.say("/thank"))["status"] for _ in range(8)])
        finally:
            for chat in chats:
                await chat.__aexit__()
        return acks
    acks = _run(many_connections())
    limited = sum(a.count("limited") for a in acks)
    figures(f"limits: 80 messages on 10 connections from one address, {limited} refused")
    assert limited >= 5  # the address's 60, not any one connection's 8
    assert all(a[0] == "ok" for a in acks[:3])


def test_erasures_and_connections_per_address_are_limited(own, figures):
    async def erase_often():
        async with SocketChat(own.url, own.origin) as chat:
            await chat.session()
            await chat.say("hoi")
            return [(await chat.erase())["status"] for _ in range(4)]
    assert _run(erase_often()) == ["erased", "erased", "erased", "limited"]

    async def connect_many():
        results = []
        for _ in range(40):
            chat = SocketChat(own.url, own.origin)
            try:
                await chat.__aenter__()
                results.append("ok")
                await chat.__aexit__()
            except Refused as refused:
                results.append(refused.data)
        return results
    results = _run(connect_many())
    assert results[0] == "ok" and results[-1] == {"reason": "rate_limited"}
    figures(f"limits: 40 connections from one address at once, {results.count({'reason': 'rate_limited'})} refused")


def test_screenshots_for_people_to_look_at_exist(talked):
    talked.page.screenshot(path=str(OUTPUT / f"widget-conversation-{talked.size}.png"), full_page=False)
    assert (OUTPUT / f"widget-conversation-{talked.size}.png").stat().st_size > 10_000
