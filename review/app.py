"""The staff review web tool as a Flask app (served by waitress, review/server.py).

Flask gives the signed session cookie, routing, redirects and form parsing; Flask-WTF
the CSRF token on every POST form; Werkzeug (already installed by Rasa's tensorboard)
refuses CR/LF in any header. What the tool adds: who is logged in (review/login.py),
roles, a same-site check on the login's `next`, and strict security headers (no
scripts at all).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode, urlsplit

import sqlalchemy as sa
from flask import Flask, Response, g, has_request_context, redirect, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from review import index
from review.conversations import FLAGS, REVIEWED_CHOICES, TAG_NAMES, clock, emergency_open
from review.login import IDLE_SECONDS, session_user
from review.schema import CONVERSATIONS
from review.topics import TOPIC_NAMES, topic_name
from review.users import ROLES
from review.words import certainty
from review.workflow import STATUS_NAMES

HERE = Path(__file__).resolve().parent
COOKIE = "ocrn_review"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
PUBLIC = {"auth.login_form", "auth.login", "auth.logout", "stylesheet"}
DOWNLOADS = {"pages.export_csv", "pages.export_json", "admin.audit_csv"}
# Where the login may send staff on (`next`): pages to read, never a download (an export
# started by a link right after login) and never an action.
NEXT_PAGES = {"pages.conversation_list", "pages.emergencies", "pages.summary", "pages.conversation",
              "acts.erase_form", "admin.accounts", "admin.audit_log"}
_UNSAFE_NEXT = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass
class Settings:
    engine: sa.engine.Engine
    low_confidence: float = 0.6
    page_size: int = 25


@dataclass
class User:
    name: str
    role: str

    @property
    def is_beheerder(self) -> bool:
        return self.role == "beheerder"


def settings() -> Settings:
    from flask import current_app

    return current_app.extensions["review"]


def client_address() -> str:
    return request.remote_addr or "-"


def safe_next(target: Optional[str], app: Flask) -> str:
    """A page of this tool to go to after login, else "/".

    Browsers drop tab, CR and LF inside URLs, so `/\\t/evil.example` would become
    `//evil.example` (another site): any control character, space or backslash is
    refused, as is anything that is not the path of one of our own pages (`NEXT_PAGES`):
    not an export, so a link cannot start a download of every conversation at login."""
    if not target or _UNSAFE_NEXT.search(target) or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        return "/"
    return target if endpoint in NEXT_PAGES else "/"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, `Secure` whenever the request came over https (waitress sets
    the scheme from X-Forwarded-Proto of the trusted proxy, REVIEW_TRUSTED_PROXY), or
    always with REVIEW_SECURE_COOKIE=1; plain http on 127.0.0.1 keeps working."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def _authenticate():
    g.user = None
    if request.endpoint in PUBLIC or request.endpoint is None:
        return None
    found = session_user(settings().engine, session.get("sid"))
    if not found:
        session.pop("sid", None)
        if request.method == "GET" and request.endpoint not in DOWNLOADS:
            target = request.path + (f"?{request.query_string.decode('latin-1')}" if request.query_string else "")
            return redirect("/login?" + urlencode({"next": target}), 303)
        return Response("Log eerst in.\n", 401, mimetype="text/plain")
    g.user = User(*found)
    session.permanent = True  # re-signed now: the idle clock starts again
    if request.method == "GET":
        index.sync(settings().engine)
    return None


def open_emergencies() -> int:
    """Emergencies not yet followed up (the badge on every page), counted once per request."""
    if "open_emergencies" not in g:
        query = sa.select(sa.func.count()).select_from(CONVERSATIONS).where(emergency_open())
        with settings().engine.connect() as db:
            g.open_emergencies = db.execute(query).scalar() or 0
    return g.open_emergencies


def _headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _error(error: HTTPException):
    messages = {400: "Dit verzoek klopt niet. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
                403: "Dit mag je met jouw account niet. Vraag het de beheerder.",
                404: "Deze pagina of dit gesprek bestaat niet (meer).",
                405: "Dit kan hier niet.",
                413: "Dit is te veel tekst in één keer."}
    code = error.code or 500
    text = messages.get(code, "Er ging iets mis. Probeer het nog eens.")
    return render_template("message.html", title="Niet gelukt", message=text), code


def _csrf_error(_error: CSRFError):
    return render_template("message.html", title="Niet gelukt",
                           message="De pagina was verlopen. Laad hem opnieuw en probeer het nog eens."), 400


def _templates(app: Flask) -> None:
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update({
        "when": lambda value: value.strftime("%d-%m-%Y %H:%M") if value else "–",
        "pct": lambda value: "–" if value is None else f"{value * 100:.1f}%".replace(".", ","),
        "num": lambda value: "–" if value is None else f"{value:.2f}".replace(".", ","),
        "q": lambda value: quote(str(value), safe=""),
        "day": lambda value: datetime.fromtimestamp(value).strftime("%d-%m-%Y"),
        "topic": topic_name,
        "clock": clock,
    })
    app.jinja_env.globals.update(FLAGS=FLAGS, TAG_NAMES=TAG_NAMES, TOPIC_NAMES=TOPIC_NAMES, ROLES=ROLES,
                                 REVIEWED_CHOICES=REVIEWED_CHOICES, open_emergencies=open_emergencies,
                                 filters_without_search=lambda f: urlencode(
                                     {k: v for k, v in f.as_query().items() if k != "q"}),
                                 STATUS_NAMES=STATUS_NAMES, user=lambda: g.get("user"))


def create_app(engine: sa.engine.Engine, secret_key: str, *, secure_cookie: bool = False,
               low_confidence: float = 0.6, page_size: int = 25) -> Flask:
    """The app over `engine` (its review tables must exist: review/db.py)."""
    from review.views import acts, admin, auth, pages

    app = Flask("review", template_folder=str(HERE / "templates"), static_folder=None)
    app.config.update(
        SECRET_KEY=secret_key, SESSION_COOKIE_NAME=COOKIE, SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_SECURE=secure_cookie,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=IDLE_SECONDS), SESSION_REFRESH_EACH_REQUEST=True,
        MAX_CONTENT_LENGTH=64 * 1024, WTF_CSRF_TIME_LIMIT=None)
    app.session_interface = _SessionInterface()
    app.extensions["review"] = Settings(engine, low_confidence, page_size)
    CSRFProtect(app)
    _templates(app)
    app.jinja_env.globals["threshold"] = low_confidence
    app.jinja_env.filters["certainty"] = lambda value: certainty(value, low_confidence)
    for blueprint in (auth.blueprint, pages.blueprint, acts.blueprint, admin.blueprint):
        app.register_blueprint(blueprint)
    app.add_url_rule("/review.css", "stylesheet", lambda: Response(
        (HERE / "templates" / "review.css").read_bytes(), mimetype="text/css"))
    app.before_request(_authenticate)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _error)
    return app
