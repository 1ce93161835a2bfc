"""Start the staff review tool (Flask app, waitress server) on 127.0.0.1:8081.

    python -m review.server [--port 8081] [--host 127.0.0.1] [--endpoints endpoints.yml | --db-url URL]

waitress: a pure-Python, production WSGI server with no dependencies, maintained by the
Pylons project, that installs next to Rasa 3.6's pins without changing any of them;
threads fit the tool's blocking database calls (docs/staff-review.md).
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from waitress import serve

from review import index, notify
from review.app import create_app
from review.conversations import low_confidence_threshold
from review.db import review_engine
from review.login import IDLE_SECONDS, MAX_SECONDS
from review.users import list_accounts

THREADS = 8


def secret_key(path: Path = Path("var/review_secret")) -> str:
    """REVIEW_SECRET_KEY, else one kept in var/review_secret (made on first use, mode 600).

    It signs the session cookie and the CSRF tokens; a new key logs everyone out."""
    key = os.environ.get("REVIEW_SECRET_KEY", "").strip()
    if key:
        return key
    if not path.is_file() or not path.read_text().strip():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip()


def proxy_settings() -> dict:
    """Behind a reverse proxy (nginx), REVIEW_TRUSTED_PROXY is its address: waitress then
    takes the client's address from its X-Forwarded-For, so the login lockout counts per
    real address (docs/staff-review.md). Without it, such headers are dropped."""
    proxy = os.environ.get("REVIEW_TRUSTED_PROXY", "").strip()
    if not proxy:
        return {}
    return {"trusted_proxy": proxy, "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Staff review tool for the OCRN assistant's conversations.")
    parser.add_argument("--host", default=os.environ.get("REVIEW_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("REVIEW_PORT", "8081")))
    parser.add_argument("--endpoints", help="Rasa endpoints file (default: RASA_ENDPOINTS or endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store, instead of --endpoints")
    args = parser.parse_args(argv)
    engine = review_engine(args.endpoints, args.db_url)
    began = time.monotonic()
    summarised = index.sync(engine)
    if summarised:
        print(f"[review] Summarised {summarised} conversation(s) in {time.monotonic() - began:.1f} s", flush=True)
    app = create_app(engine, secret_key(), secure_cookie=os.environ.get("REVIEW_SECURE_COOKIE", "") == "1",
                     low_confidence=low_confidence_threshold())
    staff = len(list_accounts(engine))
    print(f"[review] Staff review tool: http://localhost:{args.port} ({staff} staff account(s); "
          f"sessions end after {IDLE_SECONDS // 60} min idle, {MAX_SECONDS // 3600} h at most)", flush=True)
    if not staff:
        print("[review] No staff account yet: create one with "
              "`make review-user NAME=<name> ROLE=beheerder`.", flush=True)
    notify.start(engine)  # e-mail of new emergencies, when REVIEW_NOTIFY_TO is set (review/notify.py)
    serve(app, host=args.host, port=args.port, threads=THREADS, ident="OCRN-review", **proxy_settings())
    return 0


if __name__ == "__main__":
    sys.exit(main())
