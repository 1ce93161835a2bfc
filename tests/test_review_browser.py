"""The staff review tool in Chromium, as a staff member uses it: log in, correct the bot,
follow up an emergency, erase a conversation, and read it all on a phone. Screenshots go to
tests/output/review-*.png."""
import sqlite3

import pytest
from browser import screenshot
from playwright.sync_api import expect
from review_support import PASSWORD, events_of, sender

from components.danger_rules import rules

# A danger rule fires on each (components/danger_rules.yml): the emergency answer, always.
RULE_EMERGENCIES = [rule.positives[0] for rule in rules()]


@pytest.fixture(scope="module")
def chats(bot):
    names = {kind: sender(f"browser-{kind}") for kind in ("correct", "erase", "emergency")}
    bot.say(names["correct"], "ik ben Noor en ik vraag me af bij wie ik terecht kan met mijn zorgen om mijn zoon")
    bot.say(names["correct"], "hij is 7")
    bot.say(names["erase"], "mijn dochter Lieke is 5 en bijt andere kinderen, wat kan ik doen")
    bot.say(names["emergency"], RULE_EMERGENCIES[1])
    return names


def _tab(browser, review, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{review}/")
    expect(page).to_have_url(f"{review}/login?next=%2F")
    page.get_by_label("Naam").fill("medewerker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Gesprekken")).to_be_visible()
    return context, page, errors


def test_correct_the_bot_in_the_browser(browser, review, chats, bot):
    context, page, errors = _tab(browser, review)
    page.goto(f"{review}/conversations/{chats['correct']}")
    message = page.locator("li.user").first
    expect(message).to_contain_text("ik ben [naam] en ik vraag me af")
    message.get_by_text("Dit had moeten zijn: …").click()
    message.get_by_label("Goed onderwerp").select_option(label="Bij wie kan ik terecht?")
    message.get_by_role("button", name="Verbetering opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Verbetering opgeslagen")
    expect(page.locator("li.user").first).to_contain_text(
        "Verbeterd door medewerker: dit had moeten zijn Bij wie kan ik terecht?")
    screenshot(page, "review-correction")
    with sqlite3.connect(bot.db) as db:
        stored = db.execute("select intent, text, account from review_corrections where sender_id = ?",
                            (chats["correct"],)).fetchall()
    assert stored == [("ask_seek_help", "ik ben [naam] en ik vraag me af bij wie ik terecht kan met mijn zorgen "
                                        "om mijn zoon", "medewerker")]
    assert errors == []
    context.close()


def test_follow_up_an_emergency_in_the_browser(browser, review, chats):
    context, page, _ = _tab(browser, review)
    page.get_by_role("link", name="Noodsituaties").first.click()
    row = page.locator(f"tr[data-sender='{chats['emergency']}']")
    expect(row).to_contain_text("Nog opvolgen")
    row.get_by_role("link", name="Opvolgen").click()
    page.get_by_label("Notitie: wat heb je gedaan?").fill("Gelezen en de ouder teruggebeld.")
    page.get_by_role("button", name="Markeer als opgevolgd").click()
    expect(page.locator("#opvolgen")).to_contain_text("Opgevolgd door medewerker")
    screenshot(page, "review-emergency-followed-up")
    page.goto(f"{review}/noodsituaties")
    expect(page.locator(f"tr[data-sender='{chats['emergency']}']")).to_have_count(0)
    context.close()


def test_erase_a_conversation_in_the_browser(browser, review, chats, bot):
    target = chats["erase"]
    context, page, _ = _tab(browser, review)
    page.goto(f"{review}/conversations/{target}")
    page.get_by_role("link", name="Gesprek wissen…").click()
    expect(page.get_by_role("heading", name="Gesprek wissen")).to_be_visible()
    page.get_by_role("button", name="Gesprek wissen").click()  # not confirmed: the browser stops it
    expect(page.get_by_role("heading", name="Gesprek wissen")).to_be_visible()
    assert events_of(bot.db, target) > 0
    page.get_by_label("Ja, ik wil dit gesprek voorgoed wissen").check()
    screenshot(page, "review-erase-confirm")
    page.get_by_role("button", name="Gesprek wissen").click()
    expect(page.get_by_role("status")).to_contain_text("Het gesprek is gewist")
    screenshot(page, "review-erased")
    assert events_of(bot.db, target) == 0
    assert page.goto(f"{review}/conversations/{target}").status == 404
    context.close()


@pytest.mark.parametrize("path", ["/", "/noodsituaties", "/summary", "conversation"])
def test_pages_fit_a_phone_screen(browser, review, chats, path):
    context, page, _ = _tab(browser, review, width=390, height=844)
    page.goto(f"{review}/conversations/{chats['correct']}" if path == "conversation" else review + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path}: {overflow} px wider than the phone"
    screenshot(page, "review-phone-" + ("conversation" if path == "conversation" else path.strip("/") or "list"))
    context.close()
