"""Log in and out."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session

from review import audit
from review.app import client_address, safe_next, settings
from review.login import end_session, finish_attempt, reserve_attempt, session_user, start_session
from review.users import normalise, verify_password

blueprint = Blueprint("auth", __name__)


def _form(error: str = "", status: int = 200, next_page: str = "/"):
    return render_template("login.html", error=error, next=safe_next(next_page, current_app)), status


@blueprint.get("/login")
def login_form():
    if session_user(settings().engine, session.get("sid")):
        return redirect(safe_next(request.args.get("next"), current_app), 303)
    return _form(next_page=request.args.get("next", "/"))


@blueprint.post("/login")
def login():
    engine, address = settings().engine, client_address()
    name, password = normalise(request.form.get("name", ""))[:64], request.form.get("password", "")
    next_page = request.form.get("next", "/")
    attempt, allowed = reserve_attempt(engine, name or "-", address)
    if not allowed:
        if attempt.known:  # an unknown name is counted per address and quarter (review/login.py)
            audit.log(engine, name, "login_blocked", address=address)
        return _form("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.", 429, next_page)
    ok = bool(name and password) and verify_password(engine, name, password)
    finish_attempt(engine, attempt, "ok" if ok else "failed")
    if not ok:
        if attempt.known:
            audit.log(engine, name, "login_failed", address=address)
        return _form("Onjuiste naam of wachtwoord.", 401, next_page)
    with engine.begin() as db:
        sid = start_session(db, name, address)
        audit.record(db, name, "login", address=address)
    session.clear()  # a new session (and CSRF token) after login: no session fixation
    session["sid"] = sid
    session.permanent = True
    return redirect(safe_next(next_page, current_app), 303)


@blueprint.post("/logout")
def logout():
    engine = settings().engine
    found = session_user(engine, session.get("sid"))
    if found:
        with engine.begin() as db:
            end_session(db, session.get("sid"))
            audit.record(db, found[0], "logout", address=client_address())
    session.clear()
    return redirect("/login", 303)

