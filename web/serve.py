"""Serve the widget (web/ocrn-chat.js and what it loads) and two stand-in pages on localhost.

`/` is a stand-in page of the practice's site, `/embed.html` a page with nothing but the
one script tag a site needs; both get `data-rasa-url` filled in from RASA_PUBLIC_URL.

Settings (environment): WIDGET_PORT (8080), WIDGET_HOST (127.0.0.1),
RASA_PUBLIC_URL (http://localhost:5005): where the browser finds the Rasa server.
"""
import html
import io
import os
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parent
# Only these files are served; node_modules, package files and this script are not.
FILES = {"/page.css", "/widget.css", "/ocrn-chat.js", "/vendor/socket.io.min.js"}
PAGES = {"/": "index.html", "/index.html": "index.html", "/embed.html": "embed.html"}


def page(name: str, rasa_url: str) -> bytes:
    """A stand-in page with the Rasa server's address in its script tag."""
    text = (WEB_DIR / name).read_text(encoding="utf-8")
    return text.replace("{{RASA_URL}}", html.escape(rasa_url.rstrip("/"))).encode()


def content_security_policy(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    rasa = f"{parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"connect-src 'self' {rasa}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


class Handler(SimpleHTTPRequestHandler):
    rasa_url = "http://localhost:5005"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)

    def end_headers(self):
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa_url))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        """Used by GET and HEAD: one of PAGES or FILES, else 404."""
        path = urlsplit(self.path).path
        if path in PAGES:
            body = page(PAGES[path], self.rasa_url)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        if path == "/favicon.ico":  # none; say so without an error in the console
            self.send_response(HTTPStatus.NO_CONTENT)
            self.end_headers()
            return None
        if path not in FILES:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def log_request(self, code="-", size="-"):  # quieter: errors only
        if int(code) >= 400:
            super().log_request(code, size)


def main():
    Handler.rasa_url = os.environ.get("RASA_PUBLIC_URL", "http://localhost:5005")
    host = os.environ.get("WIDGET_HOST", "127.0.0.1")
    port = int(os.environ.get("WIDGET_PORT", "8080"))
    if not (WEB_DIR / "vendor" / "socket.io.min.js").is_file():
        raise SystemExit("web/vendor/socket.io.min.js is missing: run bash scripts/setup_web.sh")
    server = ThreadingHTTPServer((host, port), Handler)
    print(f"[web] Widget page on http://{'localhost' if host == '127.0.0.1' else host}:{port} "
          f"(Rasa server: {Handler.rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
