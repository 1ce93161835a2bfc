"""The widget's "Hulp bij gevaar" control (web/ocrn-chat.js) in Chromium: always in the
panel's header, one tap shows every help line, taken from the script itself, so it works
when the socket is down or the Rasa server is gone.

The page points at a Rasa port where nothing listens (as in test_widget's unreachable
server test), or at a fake socket.io server routed by Playwright (as in its dropped
socket tests): these tests need neither a trained model nor a Rasa server."""
import json
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect
from test_widget import AXE_TAGS, ENGINE_OPEN, EXIT_URL, OFFLINE, OUTPUT, OVERLAPS, SIZES, Chat

from launcher.stack import Stack

from servers import free_port

HELP = "Hulp bij gevaar"
OPENED = "Hulp bij gevaar is open. Hier staan alle hulpnummers."  # TEXT.helpOpened
# Every number of the panel, in its order: (text, tel: href); the Belgian line is the last four.
NUMBERS = [("112", "tel:112"), ("0800-2000", "tel:08002000"), ("113", "tel:113"),
           ("0800-0113", "tel:08000113"), ("0800-0432", "tel:08000432"),
           ("112", "tel:112"), ("1712", "tel:1712"), ("1813", "tel:1813"), ("102", "tel:102")]
LINES = {  # the start of each help line -> words it must hold
    "Direct gevaar": ["112"],
    "Veilig Thuis": ["geweld", "mishandeling", "veiligheid van een kind", "0800-2000", "gratis", "dag en nacht"],
    "113 Zelfmoordpreventie": ["zelfdoding", "113", "0800-0113", "gratis", "dag en nacht"],
    "Kindertelefoon": ["kinderen en jongeren", "0800-0432", "gratis"],
    "Huisarts": ["huisartsenpost", "weekend"],
    "Woon je in België?": ["112", "1712 (geweld en misbruik)", "Zelfmoordlijn 1813", "Awel 102"],
}
# Each tel: link of the help panel: its text, href, size, the lines its text takes, whether its
# text is cut off, and whether it lies inside the panel's scroll area (horizontally in the
# region, vertically in its content).
LINKS = """region => [...region.querySelectorAll('a')].map(a => {
    const r = a.getBoundingClientRect(), box = region.getBoundingClientRect();
    const top = box.top - region.scrollTop;
    const text = document.createRange();
    text.selectNodeContents(a);
    return {text: a.textContent, href: a.getAttribute('href'), width: r.width, height: r.height,
            lines: new Set([...text.getClientRects()].map(line => Math.round(line.top))).size,
            cut: a.scrollWidth > a.clientWidth,
            inside: r.left >= box.left && r.right <= box.right && r.top >= top
                    && r.bottom <= top + region.scrollHeight};
})"""


@pytest.fixture(scope="module")
def no_rasa(tmp_path_factory):
    """The widget page for a Rasa server that is not there: nothing listens on its port."""
    stack = Stack(tmp_path_factory.mktemp("widget-help"), with_actions=False)
    stack.page = stack.start_widget(free_port())
    try:
        stack.wait_http(stack.page, stack.widget)
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def tab(browser, no_rasa):
    """Open tabs (test_widget's `Chat`) on the widget page; closed (no script errors) at the end."""
    tabs = []

    def _open(width=1366, height=768, **context):
        tabs.append(Chat(browser, no_rasa.page, width=width, height=height, **context))
        return tabs[-1]

    yield _open
    for t in tabs:
        t.close()


def control(page):
    return page.get_by_role("button", name=HELP, exact=True)


def region(page):
    return page.get_by_role("region", name=HELP)


def open_chat(c):
    """Open the chat panel and wait for its opening animation to end (boxes measured during
    it are moved and a hair too small)."""
    c.open()
    c.page.wait_for_function("() => document.getAnimations().every(a => a.playState === 'finished')")


def opened_offline(tab, size):
    """A tab at `size` whose widget has found out that its server is unreachable."""
    c = tab(*SIZES[size])
    open_chat(c)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_text(OFFLINE, timeout=15_000)
    return c


def assert_tappable(link):
    """Scrolled to (as a parent would), the link is wholly in the viewport and on top at its
    centre: not cut off by the panel nor hidden under its sticky header."""
    link.evaluate("a => a.scrollIntoView({block: 'center'})")
    expect(link).to_be_in_viewport(ratio=1)
    assert link.evaluate("""a => { const r = a.getBoundingClientRect();
        return a.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }""")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_control_is_in_the_header_in_view_before_any_message(tab, size):
    c = tab(*SIZES[size])
    open_chat(c)
    page, button = c.page, control(c.page)
    expect(button).to_be_visible()
    expect(button).to_be_in_viewport(ratio=1)
    assert button.evaluate("b => b.closest('header') === document.querySelector('#ocrn-chat-panel header')")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    exit_box = page.get_by_role("button", name="Snel weg").bounding_box()  # side by side
    assert abs(exit_box["y"] - box["y"]) <= 1 and 0 <= exit_box["x"] - (box["x"] + box["width"]) <= 16
    assert page.evaluate("[window.scrollY, document.querySelector('#ocrn-chat-panel').scrollTop]") == [0, 0]
    expect(page.locator("#ocrn-chat .ocrn-msg-user")).to_have_count(0)  # nothing sent yet
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(region(page)).to_have_count(0)  # hidden until asked for
    if size == "phone":  # the panel still fills the phone's screen
        assert page.get_by_role("dialog").bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}


@pytest.mark.parametrize("size", list(SIZES))
def test_one_click_shows_every_help_line_without_the_server(tab, size, figures):
    c = opened_offline(tab, size)  # the Rasa server cannot be reached ...
    page = c.page
    page.context.set_offline(True)  # ... and from now on nothing at all can
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    control(page).click()

    help_region = region(page)
    expect(help_region).to_be_visible()
    expect(help_region.get_by_role("heading", name=HELP)).to_be_visible()
    links = help_region.evaluate(LINKS)
    assert [(a["text"], a["href"]) for a in links] == NUMBERS
    for a in links:  # on one line, 44 x 44 px at least, inside the (scrollable) panel
        assert a["lines"] == 1 and not a["cut"] and a["width"] >= 44 and a["height"] >= 44 and a["inside"], a
    items = [" ".join(t.split()) for t in help_region.locator("li").all_inner_texts()]
    assert len(items) == len(LINES)
    for item, (start, words) in zip(items, LINES.items()):
        assert item.startswith(start) and all(word in item for word in words), (item, words)
    belgium = help_region.locator("li", has_text="België").locator("a")
    assert [a.get_attribute("href") for a in belgium.all()] == ["tel:112", "tel:1712", "tel:1813", "tel:102"]
    in_view = help_region.evaluate("r => [...r.querySelectorAll('a')].filter(a => { const b = "
                                   "a.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }).length")
    figures(f"help panel {size}: {len(links)} tel: links shown offline, {in_view} in view without scrolling")
    for link in help_region.locator("a").all():  # each one can be brought into view and tapped
        assert_tappable(link)
    assert requested == []  # nothing was fetched, not from Rasa and not from the widget's server
    page.context.set_offline(False)
    page.locator("#ocrn-help").evaluate("r => r.scrollTop = 0")
    width, height = SIZES[size]
    page.screenshot(path=str(OUTPUT / f"widget-help-{width}x{height}.png"))


def test_every_number_of_the_emergency_answer_is_in_the_help_lines(tab):
    """The help lines are a second copy of the numbers (so they need no server): a number
    changed in the emergency answer must be changed there too."""
    domain = yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text(encoding="utf-8"))
    answers = [v["text"] for v in domain["responses"]["utter_emergency"]]
    wanted = {n for text in answers for n in re.findall(r"\b(?:0[89]00-\d{4}|1\d{2,3})\b", text)}
    assert {"112", "0800-2000", "113", "1712"} <= wanted  # the pattern finds them
    c = tab()
    open_chat(c)
    control(c.page).click()
    shown = set(region(c.page).locator("a[href^='tel:']").all_inner_texts())
    assert wanted - shown == set()


def _fake_rasa(sent):
    """A socket.io server in the test (Playwright's route): confirms the session and
    acknowledges the welcome with a bot message. Every frame the widget sends goes to `sent`."""
    def handler(ws):
        def on_message(message):
            sent.append(message)
            if message == "40":
                ws.send('40{"sid":"fake-socket"}')
            elif message.startswith('42["session_request"'):
                ws.send('42["session_confirm",{"session_id":"' + "f" * 32 + '"}]')
            elif re.match(r'42\d+\["user_uttered"', message):
                ack = re.match(r"42(\d+)", message).group(1)
                ws.send(f'43{ack}[{{"status":"ok"}}]')
                ws.send("42" + json.dumps(["bot_uttered", {"text": "Hallo, ik ben de testbot.",
                                                          "response": "utter_greet"}]))
        ws.on_message(on_message)
        ws.send(ENGINE_OPEN)
    return handler


def test_a_connected_widget_sends_nothing_for_the_help_lines(tab):
    c = tab()
    sent = []
    c.page.route_web_socket(re.compile(r".*/socket\.io/.*"), _fake_rasa(sent))
    open_chat(c)
    expect(c.page.locator("#ocrn-chat .ocrn-msg-bot")).to_contain_text("Hallo, ik ben de testbot.")
    assert any('"user_uttered"' in m for m in sent)  # the recording works: the welcome was asked for
    before = len(sent)
    control(c.page).click()
    expect(region(c.page).locator("a[href='tel:08002000']")).to_be_visible()
    c.page.wait_for_timeout(500)
    assert sent[before:] == []  # no socket.io frame at all for the help lines
    expect(c.page.locator("#ocrn-chat .ocrn-msg-notice")).to_have_count(0)  # and no false alarm


def test_keyboard_tab_to_it_enter_opens_escape_closes_and_focus_returns(tab):
    c = opened_offline(tab, "laptop")  # focus is in the input; the offline notice is announced
    page = c.page
    for _ in range(12):
        page.keyboard.press("Tab")
        if c.focused("el.classList.contains('ocrn-help-toggle')"):
            break
    assert c.focused("el.textContent") == HELP
    assert c.focused("getComputedStyle(el).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Enter")
    expect(region(page)).to_be_visible()
    expect(control(page)).to_have_attribute("aria-expanded", "true")
    assert c.focused("el.closest('#ocrn-help') !== null && el.textContent") == HELP  # on its heading
    expect(page.locator("#ocrn-chat [aria-live=polite]")).to_have_text(OPENED)  # told it opened

    # The focus trap holds with the panel open, and reaches every number but not the hidden chat.
    reached = set()
    for key in ["Tab"] * 20 + ["Shift+Tab"] * 20:
        page.keyboard.press(key)
        assert c.focused("!!el.closest('#ocrn-chat-panel') && el.offsetParent !== null"), \
            c.focused("el.outerHTML.slice(0, 80)")
        reached.add(c.focused("el.getAttribute('href')"))
    assert {href for _, href in NUMBERS} <= reached

    page.keyboard.press("Escape")  # closes the help lines, not the chat
    expect(region(page)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(control(page)).to_have_attribute("aria-expanded", "false")
    assert c.focused("el.classList.contains('ocrn-help-toggle')")
    expect(page.get_by_label("Typ je vraag")).to_be_visible()  # the conversation is back

    page.keyboard.press(" ")  # Space opens it too; its button closes it
    expect(region(page)).to_be_visible()
    page.keyboard.press("Tab")
    assert c.focused("el.textContent") == "Terug naar de chat"
    page.keyboard.press("Enter")
    expect(region(page)).to_have_count(0)
    assert c.focused("el.classList.contains('ocrn-help-toggle')")

    page.keyboard.press("Escape")  # as before: Escape closes the chat, focus to the launcher
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert c.focused("el.getAttribute('aria-label')") == "Chat openen"
    assert page.url != EXIT_URL


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_core_finds_no_violations_with_the_help_lines_open(tab, size, figures):
    c = opened_offline(tab, size)
    control(c.page).click()
    expect(region(c.page)).to_be_visible()
    light = c.axe()
    c.page.emulate_media(color_scheme="dark")
    dark = c.axe()
    width, height = SIZES[size]
    c.page.screenshot(path=str(OUTPUT / f"widget-help-dark-{width}x{height}.png"))
    figures(f"axe-core help panel {size}: {len(light)} violations (light), {len(dark)} (dark); tags {AXE_TAGS}")
    assert light == [] and dark == []


def test_quick_exit_and_the_erase_question_still_work_around_the_help_lines(tab):
    c = tab()
    page = c.page
    open_chat(c)
    control(page).click()
    expect(page.get_by_role("button", name="Gesprek wissen")).to_be_hidden()  # the chat makes room
    control(page).click()  # the control closes it again too
    expect(region(page)).to_have_count(0)
    page.get_by_role("button", name="Gesprek wissen").click()
    assert c.focused("el.textContent") == "Nee, terug"
    control(page).click()  # the question is put away for the help lines
    page.keyboard.press("Escape")
    expect(page.get_by_text("Wil je dit gesprek wissen?")).to_be_hidden()

    control(page).click()
    page.get_by_role("button", name="Snel weg").click()  # still one tap away
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('ocrn'))") == []


@pytest.mark.parametrize("width,height,font,scale", [(683, 384, "", 2), (390, 844, "150%", 1),
                                                     (320, 640, "", 1)],
                         ids=["zoom-200", "phone-font-150", "small-320"])
def test_help_lines_at_200_percent_zoom_and_large_text_cut_nothing_off(tab, width, height, font, scale):
    c = tab(width, height, device_scale_factor=scale)
    page = c.page
    page.evaluate(f"document.documentElement.style.fontSize = '{font}'")
    open_chat(c)
    expect(control(page)).to_be_in_viewport(ratio=1)
    control(page).click()
    help_region = region(page)
    expect(help_region).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert help_region.evaluate("r => r.scrollWidth - r.clientWidth") <= 0
    assert page.evaluate(OVERLAPS) == []
    links = help_region.evaluate(LINKS)
    assert len(links) == len(NUMBERS)
    for a in links:
        assert a["lines"] == 1 and not a["cut"] and a["width"] >= 44 and a["height"] >= 44 and a["inside"], a
    for link in help_region.locator("a").all():
        assert_tappable(link)
    expect(control(page)).to_be_in_viewport(ratio=1)  # the header stays in view
    page.screenshot(path=str(OUTPUT / f"widget-help-{width}x{height}-{font or 'zoom'}.png"))
