"""Security of the staff review tool over real HTTP: the login's `next` (header injection,
open redirect), the lockout (parallel guesses, per account and per address, every failure
logged), CSRF, roles, and an access log that staff cannot change."""
import json
import sqlite3
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

import pytest
import requests
from review_support import PASSWORD, audit_rows, csrf_token, login, post_form, python, sender, signed_in
from test_security import _listening_addresses

from launcher.settings import VAR
from review.login import MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES


# --- the login's next --------------------------------------------------------------------------
@pytest.mark.parametrize("next_page", [
    "/\r\nSet-Cookie: evil=1",
    "/%0d%0aSet-Cookie:%20evil=1",
    "/\nLocation: https://evil.example",
])
def test_cr_lf_in_next_never_reaches_a_header(review, next_page):
    response = login(review, "medewerker", next_page=next_page, address="192.0.2.10")
    assert response.status_code == 303
    assert response.headers["Location"] in ("/", "/%0d%0aSet-Cookie:%20evil=1")
    assert "evil" not in response.headers.get("Set-Cookie", "") and "evil" not in response.session.cookies
    assert "evil.example" not in json.dumps(dict(response.headers))


def test_cr_lf_in_the_login_link_is_dropped_from_the_form(review):
    page = requests.get(f"{review}/login?next={quote(chr(13) + chr(10) + 'Set-Cookie: evil=1')}", timeout=10)
    assert page.status_code == 200 and 'name="next" value="/"' in page.text


@pytest.mark.parametrize("next_page", [
    "/\t/evil.example", "/\t\t/evil.example", "/ /evil.example", "//evil.example", "/\\evil.example",
    "\\/evil.example", "https://evil.example/", "http:/evil.example", "/\x0b/evil.example", "javascript:alert(1)",
    "/not-a-page-of-ours",
])
def test_next_cannot_leave_the_site(review, next_page):
    response = login(review, "medewerker", next_page=next_page, address="192.0.2.11")
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_next_to_one_of_our_pages_is_kept(review):
    response = login(review, "medewerker", next_page="/noodsituaties?alle=1", address="192.0.2.12")
    assert response.headers["Location"] == "/noodsituaties?alle=1"


# --- lockout ---------------------------------------------------------------------------------------
def _guess(review, name, address, password="geen goed wachtwoord"):
    return login(review, name, password, address=address).status_code


def test_parallel_guesses_cannot_pass_the_lockout(review, bot, stack):
    """Twenty guesses at once for one account, from twenty addresses: at most five are checked.
    (An existing account: failures with unknown names are counted per address instead.)"""
    made = python("review.users", "add", "medewerker-slot", "--role", "medewerker", "--replace",
                  env={"RASA_ENDPOINTS": str(stack.endpoints)}, stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda n: _guess(review, "medewerker-slot", f"203.0.113.{n}"), range(20)))
    assert codes.count(401) <= MAX_ACCOUNT_FAILURES and codes.count(429) >= 20 - MAX_ACCOUNT_FAILURES
    assert set(codes) <= {401, 429}
    failures = audit_rows(bot.db, "login_failed")
    blocked = audit_rows(bot.db, "login_blocked")
    assert len([f for f in failures if f[0] == "medewerker-slot"]) == codes.count(401)  # every failure logged
    assert len([b for b in blocked if b[0] == "medewerker-slot"]) == codes.count(429)


def test_an_account_under_attack_is_locked_from_every_address(review, stack):
    python_ok = python("review.users", "add", "slot-b", "--role", "medewerker",
                       env={"RASA_ENDPOINTS": str(stack.endpoints)}, stdin=PASSWORD + "\n")
    assert python_ok.returncode == 0, python_ok.stderr
    for n in range(MAX_ACCOUNT_FAILURES):
        assert _guess(review, "slot-b", f"198.18.0.{n}") == 401
    assert _guess(review, "slot-b", "198.18.1.1", PASSWORD) == 429  # even with the right password
    assert login(review, "medewerker", address="198.18.1.1").status_code == 303  # others are not locked


def test_one_address_trying_many_accounts_is_locked_but_not_everyone(review):
    attacker, colleague = "198.19.0.66", "198.19.0.67"
    codes = [_guess(review, f"naam{n}", attacker) for n in range(MAX_ADDRESS_FAILURES + 2)]
    assert codes[:MAX_ADDRESS_FAILURES] == [401] * MAX_ADDRESS_FAILURES and codes[-1] == 429
    assert login(review, "medewerker", address=attacker).status_code == 429
    # Behind the proxy (REVIEW_TRUSTED_PROXY) each client counts on its own address.
    assert login(review, "medewerker", address=colleague).status_code == 303


# --- CSRF, roles -------------------------------------------------------------------------------------
def test_posts_without_the_csrf_token_are_refused(review, staff, bot, chat):
    target = chat
    before = audit_rows(bot.db, "note", target)
    response = staff.post(f"{review}/act/note", data={"sender": target, "text": "van een andere site"},
                          headers={"Origin": "http://evil.example"}, allow_redirects=False, timeout=30)
    assert response.status_code == 400 and audit_rows(bot.db, "note", target) == before
    forged = requests.post(f"{review}/login", data={"name": "medewerker", "password": PASSWORD},
                           headers={"Origin": "http://evil.example"}, allow_redirects=False, timeout=30)
    assert forged.status_code == 400


@pytest.mark.parametrize("path", ["/accounts", "/toegangslog", "/toegangslog.csv"])
def test_a_medewerker_cannot_manage_accounts_or_read_the_log(review, staff, path):
    assert staff.get(review + path, allow_redirects=False, timeout=30).status_code == 403


def test_a_medewerker_cannot_post_account_changes(review, staff):
    token = csrf_token(staff, f"{review}/")
    response = staff.post(f"{review}/accounts", data={"csrf_token": token, "action": "role", "name": "medewerker",
                                                      "role": "beheerder"}, allow_redirects=False, timeout=30)
    assert response.status_code == 403


def test_the_beheerder_manages_accounts_and_every_change_is_logged(review, admin, bot):
    added = post_form(admin, review, "/accounts", "/accounts", action="add", name="Nieuwe.Collega",
                      role="medewerker", password="nog een lang wachtwoord")
    assert added.status_code == 303
    first = login(review, "nieuwe.collega", "nog een lang wachtwoord", address="192.0.2.40")
    assert first.status_code == 303
    newcomer = first.session
    assert newcomer.get(f"{review}/accounts", timeout=30).status_code == 403
    post_form(admin, review, "/accounts", "/accounts", action="role", name="nieuwe.collega", role="beheerder")
    assert newcomer.get(f"{review}/accounts", timeout=30).status_code == 200  # the role holds at once
    post_form(admin, review, "/accounts", "/accounts", action="remove", name="nieuwe.collega", confirm="ja")
    assert newcomer.get(f"{review}/", allow_redirects=False, timeout=30).status_code == 303  # session ended
    logged = [(row[0], row[2], row[3]) for row in audit_rows(bot.db) if row[3] == "nieuwe.collega"]
    assert ("beheer", "account_add", "nieuwe.collega") in logged
    assert ("beheer", "account_role", "nieuwe.collega") in logged
    assert ("beheer", "account_remove", "nieuwe.collega") in logged


def test_the_last_beheerder_cannot_remove_their_own_account(review, admin):
    response = post_form(admin, review, "/accounts", "/accounts", action="remove", name="beheer", confirm="ja")
    assert response.status_code == 303
    assert "je eigen account niet verwijderen" in admin.get(f"{review}/accounts", timeout=30).text


# --- the access log ------------------------------------------------------------------------------------
def test_the_log_says_who_saw_which_conversation_when_and_from_where(review, bot, chat):
    target = chat
    session = signed_in(review, "medewerker", address="192.0.2.77")
    started = time.time()
    session.get(f"{review}/conversations/{target}", timeout=30)
    session.get(f"{review}/", params={"emergency": "1", "since": "2025-01-01"}, timeout=30)
    seen = [row for row in audit_rows(bot.db, "transcript", target) if row[5] >= started]
    assert [(row[0], row[1]) for row in seen] == [("medewerker", "192.0.2.77")]
    listing = [row for row in audit_rows(bot.db, "list") if row[5] >= started and row[1] == "192.0.2.77"][-1]
    assert json.loads(listing[4])["filters"] == {"emergency": "1", "since": "2025-01-01"}
    assert [row for row in audit_rows(bot.db, "login") if row[1] == "192.0.2.77"][-1][0] == "medewerker"


def test_staff_cannot_change_or_delete_the_log_over_http(review, admin, staff, bot):
    with sqlite3.connect(bot.db) as db:
        before = db.execute("select id, at, account, address, action, target, details from review_audit "
                            "order by id").fetchall()
    token = csrf_token(admin, f"{review}/toegangslog")
    for session in (admin, staff):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            for path in ("/toegangslog", f"/toegangslog/{before[0][0]}", "/toegangslog.csv", "/audit"):
                response = session.request(method, review + path, data={"csrf_token": token, "id": before[0][0]},
                                           allow_redirects=False, timeout=30)
                assert response.status_code in (403, 404, 405), (method, path, response.status_code)
    with sqlite3.connect(bot.db) as db:
        after = db.execute("select id, at, account, address, action, target, details from review_audit "
                           "order by id").fetchall()
    assert after[:len(before)] == before


def test_the_beheerder_reads_and_exports_the_log(review, admin, bot):
    page = admin.get(f"{review}/toegangslog", params={"action": "login_failed"}, timeout=30)
    assert page.status_code == 200 and "Inloggen mislukt" in page.text
    export = admin.get(f"{review}/toegangslog.csv", params={"action": "login_failed"}, timeout=30)
    assert export.status_code == 200 and export.text.startswith("\ufefftijd,account,adres,handeling")
    rows = [line for line in export.text.splitlines()[1:] if line]
    assert len(rows) == len(audit_rows(bot.db, "login_failed"))
    assert json.loads(audit_rows(bot.db, "audit_export")[-1][4])["rows"] == len(rows)


# --- headers, binding ---------------------------------------------------------------------------------
def test_security_headers_and_no_server_banner(review):
    response = requests.get(f"{review}/login", timeout=10)
    headers = response.headers
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'none'" in \
        headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    assert "waitress" not in headers.get("Server", "").lower()


@pytest.fixture(scope="module")
def chat(bot):
    """One conversation to look at."""
    name = sender("security")
    bot.say(name, "wat is hechting eigenlijk precies")
    return name


def test_the_review_tool_listens_on_loopback_only_and_keeps_its_key_private(review):
    assert _listening_addresses(urlsplit(review).port) == {"127.0.0.1"}
    key = VAR / "review_secret"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
