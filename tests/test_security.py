"""Security of the running servers and of the repository.

Rasa's HTTP API needs the token on every endpoint that reads or changes something,
CORS answers only the configured widget origin, no secret is tracked by git, and
every environment variable the project reads is documented in docs/configuration.md;
the servers listen on 127.0.0.1 only, and conversation data is private to its user. (A 401
without token on the tracker and the CORS check on socket.io are in
tests/test_conversations.py and tests/test_widget.py.)
"""
import re
import stat
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from launcher.settings import ROOT

# (method, path, JSON body) of Rasa's HTTP API; {s} is a sender with a conversation.
API = [
    ("GET", "/status", None),
    ("GET", "/domain", None),
    ("GET", "/conversations/{s}/tracker", None),
    ("GET", "/conversations/{s}/story", None),
    ("POST", "/conversations/{s}/tracker/events", {"event": "slot", "name": "age_band", "value": "baby"}),
    ("PUT", "/conversations/{s}/tracker/events", []),
    ("POST", "/conversations/{s}/messages", {"text": "wat is hechting", "sender": "user"}),
    ("POST", "/conversations/{s}/execute", {"name": "utter_greet"}),
    ("POST", "/conversations/{s}/trigger_intent", {"name": "greet"}),
    ("POST", "/conversations/{s}/predict", None),
    ("POST", "/model/parse", {"text": "wat is hechting"}),
    ("PUT", "/model", {"model_file": "/tmp/other.tar.gz"}),
    ("DELETE", "/model", None),
    ("POST", "/model/train", {}),
    ("POST", "/model/predict", []),
    ("POST", "/model/test/intents", {}),
    ("POST", "/model/test/stories", {}),
]


@pytest.fixture(scope="module")
def conversation(bot):
    sender = f"sec-{uuid.uuid4().hex[:10]}"
    bot.say(sender, "mijn kind krijgt steeds driftbuien, is dat normaal?")
    return sender


@pytest.mark.parametrize("credentials", [
    {},
    {"params": {"token": "wrong-token"}},
    {"params": {"token": ""}},
    {"headers": {"Authorization": "Bearer test-token"}},  # the token only counts as ?token=
], ids=["no-token", "wrong-token", "empty-token", "bearer-header"])
@pytest.mark.parametrize("method, path, body", API, ids=[f"{m} {p}" for m, p, _ in API])
def test_http_api_refuses_requests_without_the_token(bot, conversation, credentials,
                                                     method, path, body):
    response = requests.request(method, bot.url + path.format(s=conversation), json=body,
                                timeout=30, **credentials)
    assert response.status_code == 401, (response.status_code, response.text[:200])


def test_refused_requests_changed_nothing(bot, conversation):
    """Runs after the 401s: the model is still loaded and the conversation untouched."""
    status = requests.get(f"{bot.url}/status", params={"token": bot.token}, timeout=10)
    assert status.ok and status.json()["model_file"]
    tracker = bot.tracker(conversation)
    assert tracker["slots"]["age_band"] is None
    assert [e["event"] for e in tracker["events"]].count("user") == 1
    assert requests.get(f"{bot.url}/conversations/{conversation}/tracker",
                        params={"token": bot.token}, timeout=10).ok


def _preflight(url, origin, method="POST"):
    return requests.options(url, timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type"})


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/conversations/x/tracker"])
def test_cors_preflight_allows_only_the_widget_origin(bot, widget_origin, path):
    allowed = _preflight(bot.url + path, widget_origin)
    assert allowed.headers.get("Access-Control-Allow-Origin") == widget_origin
    for origin in ("http://evil.example", "null", widget_origin + ".evil.example",
                   widget_origin.replace("http://", "https://"), "http://localhost:8080"):
        refused = _preflight(bot.url + path, origin)
        assert "Access-Control-Allow-Origin" not in refused.headers, origin


def test_cors_on_a_real_message(bot, widget_origin):
    body = {"sender": f"sec-{uuid.uuid4().hex[:10]}", "message": "hoi"}
    url = f"{bot.url}/webhooks/rest/webhook"
    allowed = requests.post(url, json=body, headers={"Origin": widget_origin}, timeout=30)
    assert allowed.ok and allowed.headers.get("Access-Control-Allow-Origin") == widget_origin
    other = requests.post(url, json=body, headers={"Origin": "http://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
    assert allowed.headers.get("Access-Control-Allow-Origin") != "*"


# -- the repository ---------------------------------------------------------------------
def _files(tracked_only=False):
    """Tracked files, plus (by default) new ones not ignored: what a commit would contain."""
    cmd = ["git", "ls-files", "--cached"] + ([] if tracked_only else ["--others", "--exclude-standard"])
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def _text(path):
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return ""


SECRET_FILES = re.compile(
    r"(^|/)(var/|models/|\.env$|.*\.(db|sqlite3?|pem|key|p12|pfx)$|rasa_token$|"
    r"review_users\.json$|id_(rsa|ed25519)$)")
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
# A literal assigned to a password/token setting (tests/ may hold made-up ones).
SECRET_VALUE = re.compile(
    r"(?i:(password|passwd|secret|auth[_-]?token|api[_-]?key)\s*[:=]\s*['\"][^'\"\s${}]{8,}['\"])")


def test_no_secret_files_in_the_repository():
    names = [str(p.relative_to(ROOT)) for p in _files()]
    assert [n for n in names if SECRET_FILES.search(n)] == []
    ignored = subprocess.run(
        ["git", "check-ignore", "var/rasa_token", "var/tracker.db", "var/review_users.json",
         "models/ocrn.tar.gz", "tests/output/widget.png"],
        cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert len(ignored) == 5, ignored


def test_no_secrets_in_the_repository_text():
    token_file = ROOT / "var" / "rasa_token"
    real_token = token_file.read_text().strip() if token_file.is_file() else None
    for path in _files():
        text = _text(path)
        assert not PRIVATE_KEY.search(text), path
        if path.relative_to(ROOT).parts[0] != "tests":
            found = SECRET_VALUE.search(text)
            assert not found, f"{path}: {found.group(0)}"
        if real_token:
            assert real_token not in text, f"{path} contains the token of var/rasa_token"


def test_every_http_api_start_has_a_token_and_listens_on_loopback():
    """Every Rasa start with --enable-api in scripts and deploy files goes through
    launcher.rasa_cli, which adds the token from the environment (never in `ps`)."""
    files = [p for p in _files() if p.relative_to(ROOT).parts[0] in ("scripts", "deploy")
             or p.name == "Makefile"]
    starts = 0
    for path in files:
        text = _text(path).replace("\\\n", " ")
        for line in text.splitlines():
            if "--enable-api" in line:
                starts += 1
                assert "launcher.rasa_cli" in line and "--auth-token" not in line, f"{path}: {line.strip()}"
                if path.suffix == ".sh":
                    assert "--interface 127.0.0.1" in line, f"{path}: {line.strip()}"
    assert starts >= 1


# Environment variables the project reads but that are not configuration (set by
# launcher/settings.py and the Makefile for quiet logs, or standard ones).
NOT_CONFIGURATION = {"HOME", "PATH", "TF_CPP_MIN_LOG_LEVEL", "RASA_TELEMETRY_ENABLED",
                     "SQLALCHEMY_SILENCE_UBER_WARNING", "PYENV_ROOT",
                     "SANIC_HOST",  # set by the launcher from ACTION_HOST (docs/configuration.md)
                     "VAR"}  # "${VAR}" in a docstring
ENV_READ = [
    re.compile(r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]+)"),
    re.compile(r"os\.environ\[\s*[\"']([A-Z][A-Z0-9_]+)"),
    re.compile(r"os\.getenv\(\s*[\"']([A-Z][A-Z0-9_]+)"),
    re.compile(r"\b_env\(\s*[\"']([A-Z][A-Z0-9_]+)"),  # launcher/settings.py
    re.compile(r"\$\{([A-Z][A-Z0-9_]+)(?::?-|\})"),  # shell ${X:-..} and Rasa's ${X} in YAML
    re.compile(r"^[A-Z_]+_ENV\s*=\s*\"([A-Z][A-Z0-9_]+)\"", re.M),  # WAIT_ENV = "X"
]


def test_every_environment_variable_is_documented_in_the_configuration_table():
    """Each variable read by committed code (not tests) has a row in docs/configuration.md."""
    table = "\n".join(line for line in (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
                      .splitlines() if line.startswith("|"))
    found = {}
    for path in _files(tracked_only=True):
        if path.suffix not in (".py", ".sh", ".yml", ".yaml") and path.name != "Makefile":
            continue
        if path.relative_to(ROOT).parts[0] == "tests":
            continue
        text = "\n".join(line for line in _text(path).splitlines()
                         if not line.lstrip().startswith("#"))
        for pattern in ENV_READ:
            for name in pattern.findall(text):
                found.setdefault(name, str(path.relative_to(ROOT)))
    missing = {name: where for name, where in found.items()
               if name not in NOT_CONFIGURATION and not re.search(rf"`{name}`", table)}
    assert missing == {}, f"document these in the table of docs/configuration.md: {missing}"


# --- listening addresses and file permissions ----------------------------------------

def _listening_addresses(port: int) -> set:
    """Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                words = [raw[i:i + 4][::-1] for i in range(0, len(raw), 4)]  # little-endian words
                found.add(".".join(str(b) for b in words[0]) if width == 8 else b"".join(words).hex())
    return found


def test_the_api_token_is_not_in_the_process_list(stack, bot):
    cmdline = (Path(f"/proc/{stack.rasa.pid}/cmdline").read_bytes()).replace(b"\0", b" ").decode()
    assert "launcher.rasa_cli" in cmdline and "--enable-api" in cmdline
    assert stack.token not in cmdline and "--auth-token" not in cmdline
    assert requests.get(f"{stack.url}/status", timeout=10).status_code == 401  # the API still needs it
    assert requests.get(f"{stack.url}/status", params={"token": stack.token}, timeout=10).ok


@pytest.mark.parametrize("path, status", [("/health", 200), ("/actions", 404), ("/admin.php", 404),
                                          ("/webhook/../actions", 404)])
def test_the_action_server_answers_only_rasas_paths(stack, path, status):
    reply = requests.get(f"http://127.0.0.1:{stack.action_port}{path}", timeout=10)
    assert reply.status_code == status
    assert "action_" not in reply.text  # no list of the custom actions


def test_rasa_and_action_server_listen_on_loopback_only(stack):
    for port in (stack.rasa_port, stack.action_port):
        assert _listening_addresses(port) == {"127.0.0.1"}, port


def test_conversation_data_is_private_to_this_user(stack, bot):
    bot.say(f"perm-{uuid.uuid4().hex[:8]}", "wat is hechting")
    assert stat.S_IMODE(stack.work.stat().st_mode) == 0o700
    files = [stack.db, stack.db.with_name("tracker.db-wal"), stack.db.with_name("tracker.db-shm")]
    assert all(path.exists() for path in files), files
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == \
        {path.name: "0o600" for path in files}


def test_var_folder_and_token_file_are_made_private(tmp_path, monkeypatch):
    from launcher.settings import auth_token, private_dir

    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    token = auth_token(var)
    assert len(token) >= 32 and auth_token(var) == token  # made once, then kept
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE((var / "rasa_token").stat().st_mode) == 0o600
    assert private_dir(tmp_path / "a" / "b").stat().st_mode & 0o077 == 0


def _wait_for(condition, seconds, terminal):
    """Poll `condition` for up to `seconds`, reading the terminal's output so it never blocks."""
    import os
    import select
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if select.select([terminal], [], [], 0.5)[0]:
            try:
                os.read(terminal, 65536)
            except OSError:
                pass
    return bool(condition())


def test_make_shell_listens_on_loopback_and_closing_the_terminal_stops_everything(model):
    """`make shell` in a pseudo-terminal; SIGHUP to its process group (what closing the
    terminal sends) must leave no server process and no listening port behind."""
    import os
    import pty
    import signal

    from launcher import procs
    from launcher.stack import free_port

    rasa_port, action_port = free_port(), free_port()
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port)}
    leader, follower = pty.openpty()
    launcher = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "-m", "launcher", "shell"], cwd=ROOT,
                                env=env, stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
    os.close(follower)
    try:
        assert _wait_for(lambda: _listening_addresses(rasa_port), 240, leader), "rasa shell did not start"
        assert _listening_addresses(rasa_port) == {"127.0.0.1"}
        assert _listening_addresses(action_port) == {"127.0.0.1"}
        children = procs.descendants(launcher.pid)
        assert children
        os.killpg(launcher.pid, signal.SIGHUP)
        gone = _wait_for(lambda: not [p for p in children + [launcher.pid] if os.path.exists(f"/proc/{p}")
                                     and "zombie" not in open(f"/proc/{p}/status").read()], 40, leader)
        launcher.wait(timeout=5)
        assert gone, "processes left after SIGHUP"
        assert not _listening_addresses(rasa_port) and not _listening_addresses(action_port)
    finally:
        for pid in procs.descendants(launcher.pid) + [launcher.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.close(leader)
