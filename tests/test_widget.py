"""The website widget (web/) in a real browser: Debian's Chromium driven by Playwright,
against the real Rasa server (socketio channel) and action server of the `bot` fixture."""
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from launcher.stack import Stack

from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "tests" / "output"
OFFLINE = ("Het lukt nu niet om verbinding te maken. Probeer het later opnieuw. "
           "Is er direct gevaar? Bel 112.")
BOT = "#ocrn-chat .ocrn-msg-bot"
REPLY_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def widget(stack, widget_origin):
    """The widget page, served like `make run` does, pointing at the test Rasa server."""
    assert (ROOT / "web" / "vendor" / "socket.io.min.js").is_file(), \
        "socket.io client missing: run bash scripts/setup_web.sh"
    url = stack.start_widget(urlsplit(widget_origin).port)
    stack.wait_http(url, stack.widget)
    yield widget_origin
    Stack.end(stack.widget)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "Chromium missing: run bash scripts/setup_web.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


class Chat:
    """One browser tab with the widget page, plus what it did (dialogs, script errors)."""

    def __init__(self, browser, url, width=1280, height=800):
        self.context = browser.new_context(viewport={"width": width, "height": height},
                                           locale="nl-NL")
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

    def wait_for_reply(self, before: int) -> str:
        """Wait for new bot messages after `before` of them, until they stop coming; their text."""
        self.page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                                    arg=[BOT, before], timeout=REPLY_TIMEOUT_MS)
        count = -1
        while count != self.bot_count():  # Rasa sends one event per message part
            count = self.bot_count()
            self.page.wait_for_timeout(800)
        expect(self.page.locator("#ocrn-chat .ocrn-status")).to_have_text("")
        return "\n".join(self.page.locator(BOT).all_inner_texts()[before:])

    def say(self, text: str) -> str:
        before = self.bot_count()
        self.page.get_by_label("Typ je vraag").fill(text)
        self.page.get_by_role("button", name="Verstuur").click()
        return self.wait_for_reply(before)

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


def test_conversation_with_buttons_survives_a_reload(chat, bot):
    c = chat()
    c.open()
    # 1. the welcome: the bot's answer to /greet, with topic buttons
    welcome = c.wait_for_reply(0)
    assert "OCRN" in welcome
    assert c.page.locator(".ocrn-choice:enabled").count() >= 3
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user")).to_have_count(0)

    # 2. a question in words
    answer = c.say("Wat is hechting?").lower()
    assert "hechting" in answer and ("band" in answer or "veilig" in answer)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text("Wat is hechting?")

    # 3. a quick-reply button: its title is shown as the user's message, older buttons go off
    button = c.page.locator(".ocrn-choice:enabled").first
    title = button.inner_text()
    before = c.bot_count()
    button.click()
    expect(c.page.locator("#ocrn-chat .ocrn-msg-user").last).to_contain_text(title)
    assert c.wait_for_reply(before)
    older = c.older_buttons_disabled()
    assert len(older) >= 6 and all(older)

    # 7. a picture of the open widget for a person to look at
    OUTPUT.mkdir(parents=True, exist_ok=True)
    c.page.screenshot(path=str(OUTPUT / "widget.png"))

    # 4. a reload keeps the transcript and the Rasa session
    session_id = c.page.evaluate("sessionStorage.getItem('ocrn-chat-session')")
    transcript = c.page.locator("#ocrn-chat .ocrn-msg").all_inner_texts()
    c.page.reload()
    expect(c.page.get_by_role("dialog", name="OCRN-chatassistent")).to_be_visible()
    assert c.page.locator("#ocrn-chat .ocrn-msg").all_inner_texts() == transcript
    assert c.older_buttons_disabled() == older
    assert c.say("Wat helpt thuis?")
    assert c.page.evaluate("sessionStorage.getItem('ocrn-chat-session')") == session_id
    said = [e.get("text") for e in bot.tracker(session_id)["events"] if e["event"] == "user"]
    assert "Wat is hechting?" in said and "Wat helpt thuis?" in said and "/greet" in said
    assert c.page.evaluate("Object.keys(localStorage).length") == 0
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_count(0)  # no false alarm


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
        log.push({from: 'bot', text: t, buttons: [{title: '<b>vet</b>', payload: '/greet'}]});
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

    assert c.page.locator("#ocrn-chat img, #ocrn-chat script, #ocrn-chat b").count() == 0
    assert c.page.evaluate("window.__xss") is False
    assert c.dialogs == []


def test_registration_link_from_the_bot_is_a_safe_link(chat, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    c.say("/ask_registration")
    link = c.page.locator(BOT).locator("a[href='https://example.org/aanmelden-test']")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_keyboard_only(chat, bot):
    c = chat()
    page = c.page
    for _ in range(10):  # Tab from the top of the page to the launcher
        page.keyboard.press("Tab")
        if c.focused("el.getAttribute('aria-label')") == "Chat openen":
            break
    assert c.focused("el.getAttribute('aria-label')") == "Chat openen"
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Enter")
    assert c.focused("el.id") == "ocrn-input"
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"
    c.wait_for_reply(0)

    page.keyboard.type("Wat is hechting?")
    before = c.bot_count()
    page.keyboard.press("Enter")
    c.wait_for_reply(before)

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


def test_accessibility_basics(chat, bot):
    c = chat()
    c.open()
    c.wait_for_reply(0)
    c.say("/ask_registration")  # a link on screen too
    page = c.page
    log = page.locator("#ocrn-chat .ocrn-log")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("button", name="Chat sluiten")).to_be_visible()
    expect(page.get_by_label("Typ je vraag")).to_be_visible()
    # Contrast of every visible text in the widget against its own background.
    ratios = page.evaluate("""() => {
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
    }""")
    assert len(ratios) > 5
    low = [(name, round(ratio, 2)) for name, ratio in ratios if ratio < 4.5]
    assert low == []


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


def test_unreachable_server_gives_a_dutch_message(chat, tmp_path):
    no_rasa = Stack(tmp_path, with_actions=False)  # nothing listens on its Rasa port
    url = no_rasa.start_widget(free_port())
    try:
        no_rasa.wait_http(url, no_rasa.widget)
        c = chat(url)
        c.open()
        expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_text(OFFLINE, timeout=15_000)
        expect(c.page.locator("#ocrn-chat .ocrn-status")).to_have_text("")
    finally:
        no_rasa.stop()


def test_widget_server_serves_only_the_widget(widget, bot):
    config = requests.get(f"{widget}/config.js", timeout=5)
    assert config.ok and json.dumps(bot.url) in config.text
    assert "connect-src 'self' " + bot.url in config.headers["Content-Security-Policy"]
    for path in ("/", "/widget.js", "/widget.css", "/vendor/socket.io.min.js"):
        assert requests.get(widget + path, timeout=5).ok, path
    for path in ("/serve.py", "/package.json", "/node_modules/socket.io-client/package.json",
                 "/../README.md"):
        assert requests.get(widget + path, timeout=5).status_code == 404, path


def test_rasa_allows_only_the_widget_origin(bot, widget_origin):
    url = f"{bot.url}/socket.io/?EIO=4&transport=polling"
    allowed = requests.get(url, headers={"Origin": widget_origin}, timeout=5)
    assert allowed.ok and allowed.headers.get("Access-Control-Allow-Origin") == widget_origin
    other = requests.get(url, headers={"Origin": "http://evil.example"}, timeout=5)
    assert "Access-Control-Allow-Origin" not in other.headers


# The first line of a bot message, and the line that names 112, as viewport rectangles;
# and the log's visible area.
LINE_BOXES = """msg => {
    const text = [...msg.querySelector('.ocrn-text').childNodes].find(n => n.nodeType === 3);
    const box = (start, end) => {
        const range = document.createRange();
        range.setStart(text, start);
        range.setEnd(text, end);
        const r = range.getClientRects()[0];
        return {top: r.top, bottom: r.bottom};
    };
    const at112 = text.textContent.indexOf('112');
    const log = msg.closest('.ocrn-log').getBoundingClientRect();
    return {first: box(0, 1), line112: box(at112, at112 + 3), log: {top: log.top, bottom: log.bottom}};
}"""


@pytest.mark.parametrize("width,height", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_emergency_answer_opens_at_its_first_line(chat, bot, width, height):
    c = chat(width=width, height=height)
    c.open()
    c.wait_for_reply(0)
    c.say("Welke signalen zie je bij hechtingsproblemen?")  # a long log above the answer
    before = c.bot_count()
    answer = c.say("help mijn vriend slaat mij en de kinderen en ik durf niet naar huis")
    assert "112" in answer and "0800-2000" in answer
    boxes = c.page.locator(BOT).nth(before).evaluate(LINE_BOXES)
    log = boxes["log"]
    for line in ("first", "line112"):
        assert log["top"] <= boxes[line]["top"] and boxes[line]["bottom"] <= log["bottom"], (line, boxes)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    c.page.screenshot(path=str(OUTPUT / f"widget-emergency-{width}x{height}.png"))
