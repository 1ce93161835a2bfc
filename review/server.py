"""The staff review web tool (stdlib HTTP server + Jinja2 templates), on localhost:8081.

    python -m review.server [--port 8081] [--endpoints endpoints.yml | --db-url URL]
"""
import argparse
import math
import os
import sys
import traceback
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader

from review import users as accounts
from review.chart import bar_chart
from review.conversations import FLAGS, Filters, load_conversations, load_transcript, summarise
from review.export import export_text
from review.sessions import IDLE_SECONDS, MAX_SECONDS, Sessions
from tracker_store.database import open_engine

HERE = Path(__file__).resolve().parent
COOKIE = "ocrn_review"
PAGE_SIZE = 25
MAX_BODY = 8 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes browsers send "Origin: null" on our own POSTs
    "Cache-Control": "no-store",
}


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = lambda value: value.strftime("%d-%m-%Y %H:%M")
    env.filters["pct"] = lambda value: "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")
    env.filters["num"] = lambda value: "–" if value is None else f"{value:.2f}".replace(".", ",")
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.globals["FLAGS"] = FLAGS
    return env


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Tuple[str, int], engine, sessions: Optional[Sessions] = None):
        super().__init__(address, ReviewHandler)
        self.engine = engine
        self.sessions = sessions or Sessions()
        self.templates = _templates()
        self.secure_cookie = os.environ.get("REVIEW_SECURE_COOKIE", "") == "1"


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version, sys_version = "OCRN-review", ""

    # --- plumbing ---------------------------------------------------------------
    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        self.query = parse_qs(url.query)
        route = PUBLIC.get((method, url.path))
        try:
            if route:
                return route(self)
            self.user = self.server.sessions.user(self._cookie())
            if method == "GET" and url.path.startswith("/conversations/"):
                handler: Optional[Callable] = ReviewHandler.conversation
            else:
                handler = PRIVATE.get((method, url.path))
            if handler is None:
                return self._send(HTTPStatus.NOT_FOUND, self._page("message.html", title="Niet gevonden",
                                                                   message="Deze pagina bestaat niet."))
            if self.user is None:
                if url.path.startswith("/export") or method != "GET":
                    return self._send(HTTPStatus.UNAUTHORIZED, "Inloggen vereist.\n", "text/plain; charset=utf-8")
                return self._redirect("/login?" + urlencode({"next": self.path}))
            handler(self)
        except Exception:  # noqa: BLE001 - one broken page must not stop the tool
            traceback.print_exc()
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "Er ging iets mis.\n", "text/plain; charset=utf-8")

    def _cookie(self) -> Optional[str]:
        cookie = SimpleCookie()
        try:
            cookie.load(self.headers.get("Cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie is no session
            return None
        return cookie[COOKIE].value if COOKIE in cookie else None

    def _page(self, template: str, **context) -> str:
        return self.server.templates.get_template(template).render(user=getattr(self, "user", None), **context)

    def _send(self, status: int, body, content_type: str = "text/html; charset=utf-8",
              headers: Optional[Dict[str, str]] = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, "Content-Type": content_type,
                            "Content-Length": str(len(data)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _redirect(self, location: str, headers: Optional[Dict[str, str]] = None) -> None:
        self._send(HTTPStatus.SEE_OTHER, "", "text/plain", {"Location": location, **(headers or {})})

    def _session_cookie(self, token: str, max_age: int) -> str:
        secure = "; Secure" if self.server.secure_cookie else ""
        return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"

    def _same_origin(self) -> bool:
        """POSTs only from our own pages (the SameSite=Strict cookie already keeps other sites out)."""
        source = self.headers.get("Origin") or self.headers.get("Referer")
        return source is None or urlsplit(source).netloc == self.headers.get("Host", "")

    def _form(self) -> Dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return {}
        fields = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        return {key: values[0] for key, values in fields.items()}

    def _filters_and_query(self) -> Tuple[Filters, str]:
        filters = Filters.from_query(self.query)
        return filters, urlencode(filters.as_query())

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        sys.stderr.write("[review] " + (format % args) + "\n")

    # --- public pages -------------------------------------------------------------
    def stylesheet(self):
        self._send(HTTPStatus.OK, (HERE / "templates" / "review.css").read_bytes(), "text/css; charset=utf-8")

    def login_form(self, error: str = "", status: int = HTTPStatus.OK):
        next_page = (self.query.get("next") or ["/"])[0]
        self._send(status, self._page("login.html", error=error, next=_local(next_page)))

    def login(self):
        if not self._same_origin():
            return self._send(HTTPStatus.FORBIDDEN, "Verzoek geweigerd.\n", "text/plain; charset=utf-8")
        client = self.client_address[0]
        if self.server.sessions.too_many_failures(client):
            return self.login_form("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
                                   HTTPStatus.TOO_MANY_REQUESTS)
        form = self._form()
        name, password = form.get("name", ""), form.get("password", "")
        if not (name and password and accounts.verify_password(accounts.load_users(), name, password)):
            self.server.sessions.failed(client)
            self.query["next"] = [form.get("next", "/")]
            return self.login_form("Onjuiste naam of wachtwoord.", HTTPStatus.UNAUTHORIZED)
        token = self.server.sessions.start(name.strip().lower())
        self._redirect(_local(form.get("next", "/")), {"Set-Cookie": self._session_cookie(token, MAX_SECONDS)})

    def logout(self):
        if self._same_origin():
            self.server.sessions.end(self._cookie())
        self._redirect("/login", {"Set-Cookie": self._session_cookie("", 0)})

    # --- staff pages ----------------------------------------------------------------
    def conversation_list(self):
        filters, query = self._filters_and_query()
        conversations = load_conversations(self.server.engine, filters)
        pages = max(1, math.ceil(len(conversations) / PAGE_SIZE))
        page = min(max(_int((self.query.get("page") or ["1"])[0], 1), 1), pages)
        shown = conversations[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        self._send(HTTPStatus.OK, self._page("list.html", conversations=shown, total=len(conversations),
                                             page=page, pages=pages, filters=filters, query=query))

    def conversation(self):
        sender_id = unquote(urlsplit(self.path).path[len("/conversations/"):])
        messages = load_transcript(self.server.engine, sender_id)
        if not messages:
            return self._send(HTTPStatus.NOT_FOUND, self._page("message.html", title="Niet gevonden",
                                                               message="Dit gesprek bestaat niet (meer)."))
        found = load_conversations(self.server.engine, sender_id=sender_id)
        self._send(HTTPStatus.OK, self._page("conversation.html", sender_id=sender_id, messages=messages,
                                             conversation=found[0] if found else None))

    def summary(self):
        filters, query = self._filters_and_query()
        figures = summarise(load_conversations(self.server.engine, filters), filters)
        self._send(HTTPStatus.OK, self._page("summary.html", summary=figures, chart=bar_chart(figures.per_day),
                                             filters=filters, query=query))

    def export_csv(self):
        self._export("csv", "text/csv; charset=utf-8", "\ufeff")  # BOM: Excel then reads UTF-8

    def export_json(self):
        self._export("json", "application/json; charset=utf-8")

    def _export(self, fmt: str, content_type: str, prefix: str = "") -> None:
        filters, _ = self._filters_and_query()
        body = prefix + export_text(self.server.engine, filters, fmt)
        self._send(HTTPStatus.OK, body, content_type,
                   {"Content-Disposition": f'attachment; filename="ocrn-gesprekken.{fmt}"'})


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _local(target: str) -> str:
    """Only redirect within this site."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


PUBLIC = {
    ("GET", "/login"): ReviewHandler.login_form,
    ("POST", "/login"): ReviewHandler.login,
    ("POST", "/logout"): ReviewHandler.logout,
    ("GET", "/review.css"): ReviewHandler.stylesheet,
}
PRIVATE = {
    ("GET", "/"): ReviewHandler.conversation_list,
    ("GET", "/summary"): ReviewHandler.summary,
    ("GET", "/export.csv"): ReviewHandler.export_csv,
    ("GET", "/export.json"): ReviewHandler.export_json,
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Staff review tool for the OCRN assistant's conversations.")
    parser.add_argument("--host", default=os.environ.get("REVIEW_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("REVIEW_PORT", "8081")))
    parser.add_argument("--endpoints", help="Rasa endpoints file (default: RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store, instead of --endpoints")
    args = parser.parse_args(argv)
    server = ReviewServer((args.host, args.port), open_engine(args.endpoints, args.db_url))
    staff = len(accounts.load_users())
    print(f"[review] Staff review tool: http://localhost:{args.port} ({staff} staff account(s); "
          f"sessions end after {IDLE_SECONDS // 60} min idle, {MAX_SECONDS // 3600} h at most)", flush=True)
    if not staff:
        print("[review] No staff account yet: create one with `make review-user NAME=<name>`.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
