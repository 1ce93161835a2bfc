"""Scale-out: two Rasa servers sharing a PostgreSQL tracker store and a Redis lock
store, behind nginx (deploy/nginx/ocrn.conf, round robin); and a clear stop when the
tracker database is not there at start.

Everything is real: PostgreSQL, Redis and nginx from Debian's packages (installed by
scripts/setup_services.sh) run on loopback on free ports in temp dirs, the Rasa servers
use deploy/endpoints.scale.yml as shipped, and all traffic is HTTP (or socket.io).
"""
import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
import websockets
import yaml

from launcher.settings import MODEL, ROOT, server_env
from launcher.stack import Stack, rasa_command, rasa_token_env

from servers import Bot, free_port
from services import Nginx, Postgres, Redis
from sockets import SocketChat, http_from

REGISTRATION_URL = "https://example.org/aanmelden-scale"
TOKEN = "scale-test-token"
START_TIMEOUT = 240


def new_sender():
    return f"scale-{uuid.uuid4().hex[:10]}"


SCALE_ENDPOINTS = ROOT / "deploy" / "endpoints.scale.yml"


def _rasa_env(extra):
    # As deploy/systemd/ocrn.env.example: behind nginx, the limits see the client's address.
    return {"OCRN_REGISTRATION_URL": REGISTRATION_URL, "SANIC_REAL_IP_HEADER": "X-Real-IP", **extra}


def _db_env(postgres_port, password="unused", redis_port=1, action_port=1):
    return {"OCRN_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
            "OCRN_DB_HOST": "127.0.0.1", "OCRN_DB_PORT": str(postgres_port),
            "OCRN_DB_NAME": Postgres.database, "OCRN_DB_USER": Postgres.user,
            "OCRN_DB_PASSWORD": password,
            "OCRN_REDIS_HOST": "127.0.0.1", "OCRN_REDIS_PORT": str(redis_port),
            "OCRN_REDIS_PASSWORD": "", "OCRN_REDIS_DB": "0"}


class Cluster:
    def __init__(self, postgres, redis, nginx, instances):
        self.postgres, self.redis, self.nginx = postgres, redis, nginx
        self.a, self.b = instances
        self.lb = Bot(nginx.url, TOKEN, None)

    def user_texts(self, sender):
        return [e["text"] for e in self.a.tracker(sender)["events"] if e["event"] == "user"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """PostgreSQL, Redis, one action server, two Rasa servers and nginx, started in parallel.
    Module scope: only this file uses them, and they are stopped before the next file."""
    work = tmp_path_factory.mktemp("scale")
    started = time.monotonic()
    postgres, redis, nginx, stacks = Postgres(), Redis(), None, []
    try:
        postgres.start()
        redis.start()
        action_port = free_port()
        env = _rasa_env(_db_env(postgres.port, postgres.password, redis.port, action_port))
        # Instance a runs the one action server; b shares it.
        stacks = [Stack(work / name, endpoints=SCALE_ENDPOINTS, token=TOKEN, env=env,
                        action_port=action_port, with_actions=(name == "a"))
                  for name in ("a", "b")]
        stacks[0].start_actions()
        for stack in stacks:
            stack.start_rasa()
        nginx = Nginx([stack.rasa_port for stack in stacks]).start()
        for stack in stacks:
            stack.wait_ready()
        print(f"\n[scale] cluster up in {time.monotonic() - started:.0f} s", file=sys.stderr)
        yield Cluster(postgres, redis, nginx, [Bot.of(stack) for stack in stacks])
    finally:
        # nginx, then the servers (a Rasa server takes >10 s to stop gracefully; its
        # data is in PostgreSQL already, so it gets 5 s), then the databases.
        if nginx:
            nginx.stop()
        for stack in stacks:
            for proc in stack.procs():
                proc.terminate()
        for stack in stacks:
            stack.stop(grace=5)
        redis.stop()
        postgres.stop()


# --- tracker database unavailable at start ---------------------------------------------

def test_rasa_stops_with_a_clear_message_when_postgres_is_down():
    """`rasa run` against a closed port: a short message naming the database (without
    the password) and a non-zero exit, no traceback, no silent in-memory store."""
    port = free_port()  # nothing listens here
    env = _rasa_env({**_db_env(port, password="not-to-be-shown"), "OCRN_DB_WAIT_SECONDS": "2"})
    started = time.monotonic()
    proc = subprocess.run(rasa_command(MODEL, SCALE_ENDPOINTS, free_port()),
                          cwd=ROOT, env=server_env({**env, **rasa_token_env(TOKEN)}),
                          capture_output=True, text=True,
                          timeout=180)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-3000:]
    assert f"Cannot use the tracker database postgresql://ocrn:***@127.0.0.1:{port}/ocrn" in output
    assert "Connection refused" in output and "Rasa stops here" in output
    assert "not-to-be-shown" not in output
    assert output.count("Traceback") == 0 and output.count('  File "') <= 3, output[-3000:]
    assert "Rasa server is up and running" not in output
    print(f"\n[scale] failed start took {time.monotonic() - started:.0f} s", file=sys.stderr)


@pytest.mark.parametrize("db", ["/nonexistent-ocrn/var/tracker.db", "/tmp"])
def test_unusable_sqlite_path_is_a_clear_error_not_an_in_memory_store(db):
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    from tracker_store.startup import TrackerStoreUnavailable

    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore",
                            dialect="sqlite", db=db)
    with pytest.raises(TrackerStoreUnavailable, match="Cannot use the tracker database sqlite"):
        TrackerStore.create(config)


def test_missing_database_driver_is_an_error_not_an_in_memory_store():
    """Rasa turns ImportError in a custom store into the in-memory store; ours refuses."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    from tracker_store.startup import TrackerStoreUnavailable

    config = EndpointConfig(type="tracker_store.redacting.RedactingSQLTrackerStore",
                            dialect="mysql", url="127.0.0.1", db="ocrn")
    with pytest.raises(TrackerStoreUnavailable, match="no usable database driver"):
        TrackerStore.create(config)


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    """deploy/systemd/*.service are valid units (paths pointed at this checkout)."""
    import shutil

    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not installed")
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        name = unit.name.replace("@.service", "@5005.service")
        (tmp_path / name).write_text(unit.read_text().replace("/srv/ocrn", str(ROOT)))
    units = sorted(str(p) for p in tmp_path.glob("*.service"))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *units],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert len(units) == 2 and result.returncode == 0, result.stdout + result.stderr
    assert not result.stderr.strip(), result.stderr


# --- two instances, one conversation ----------------------------------------------------

def _worried_parent_path(send_on, sender):
    """The age-clarification path and aanmelden, each message on `send_on(i)`."""
    text, payloads = send_on(0).say(sender, "hoi")
    assert "OCRN" in text and "/ask_registration" in payloads
    text, payloads = send_on(1).say(sender, "mijn kind krijgt steeds driftbuien, is dat normaal?")
    assert "Hoe oud is je kind?" in text and any("peuter_kleuter" in p for p in payloads)
    text, payloads = send_on(2).say(sender, "hij is 3")
    assert "peuter of kleuter" in text and "huisarts" in text, text
    assert "/ask_registration" in payloads
    text, _ = send_on(3).say(sender, "/ask_registration")
    assert REGISTRATION_URL in text


def test_one_conversation_alternating_between_the_instances_keeps_its_state(cluster):
    sender = new_sender()
    instances = [cluster.a, cluster.b]
    _worried_parent_path(lambda i: instances[i % 2], sender)
    slots_a, slots_b = (bot.tracker(sender)["slots"] for bot in instances)
    assert slots_a["age_band"] == slots_b["age_band"] == "peuter_kleuter"
    assert slots_a == slots_b
    assert cluster.user_texts(sender) == [
        "hoi", "mijn kind krijgt steeds driftbuien, is dat normaal?", "hij is 3",
        "/ask_registration"]


def test_the_same_through_nginx_round_robin(cluster):
    before = len(cluster.nginx.upstreams())
    sender = new_sender()
    _worried_parent_path(lambda i: cluster.lb, sender)
    assert cluster.b.tracker(sender)["slots"]["age_band"] == "peuter_kleuter"
    used = cluster.nginx.upstreams()[before:]
    assert len(used) == 4
    assert len(set(used)) == 2, f"nginx did not balance over both instances: {used}"


def test_concurrent_messages_of_one_sender_are_all_answered_in_order(cluster):
    """8 messages, 0.15 s apart, through nginx (so on both instances): the Redis lock
    store lets one at a time through, in the order they arrived."""
    sender = new_sender()
    messages = ["wat is hechting", "wat zijn de oorzaken van hechtingsproblemen",
                "wat kan ik thuis doen", "hoe gaat de behandeling bij OCRN",
                "wat zijn signalen op school", "hoe kan ik mijn kind aanmelden",
                "wat is een hechtingsstoornis", "bedankt"]

    def send(indexed):
        index, message = indexed
        time.sleep(0.15 * index)
        return cluster.lb.send(sender, message, timeout=90)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        replies = list(pool.map(send, enumerate(messages)))
    assert all(replies), replies
    assert all(any(r.get("text") for r in reply) for reply in replies)
    assert cluster.user_texts(sender) == messages
    bots = [e for e in cluster.b.tracker(sender)["events"] if e["event"] == "bot"]
    assert len(bots) >= len(messages)


def test_postgres_holds_the_conversation_redacted(cluster, monkeypatch):
    sender = new_sender()
    cluster.a.say(sender, "wat is hechting")
    cluster.b.say(sender, "je kunt me bellen op 06-12345678, groetjes Sanne")
    with cluster.postgres.connect() as conn, conn.cursor() as cur:
        cur.execute("select type_name, data from events where sender_id = %s order by id",
                    (sender,))
        rows = cur.fetchall()
    assert [t for t, _ in rows].count("user") == 2
    stored = "\n".join(data for _, data in rows)
    assert "wat is hechting" in stored
    assert "12345678" not in stored and "Sanne" not in stored
    assert "[telefoon]" in stored and "[naam]" in stored
    # The staff tools read the same endpoints file (only its tracker_store).
    from tracker_store.database import open_engine
    for name, value in _db_env(cluster.postgres.port, cluster.postgres.password).items():
        monkeypatch.setenv(name, value)
    engine = open_engine("deploy/endpoints.scale.yml")
    with engine.connect() as conn:
        count = conn.execute(sa.text("select count(*) from events where sender_id = :s"),
                             {"s": sender}).scalar()
    engine.dispose()
    assert count == len(rows)


def test_wrong_database_password_stops_at_once_without_showing_it(cluster):
    from tracker_store.redacting import RedactingSQLTrackerStore
    from tracker_store.startup import TrackerStoreUnavailable

    started = time.monotonic()
    with pytest.raises(TrackerStoreUnavailable) as error:
        RedactingSQLTrackerStore(dialect="postgresql", host="127.0.0.1",
                                 port=cluster.postgres.port, db=Postgres.database,
                                 username=Postgres.user, password="wrong-password-xyz",
                                 connect_wait_seconds=30)
    assert time.monotonic() - started < 10  # not retried for 30 s
    assert "authentication failed" in str(error.value)
    assert "wrong-password-xyz" not in str(error.value)


def test_widget_socketio_websocket_through_round_robin_nginx(cluster):
    """The widget's transport, spoken by hand (tests/sockets.py: engine.io 4 over a
    websocket only, as web/ocrn-chat.js connects): one message and its answer through
    round-robin nginx; stored like REST once the server acknowledges it."""
    async def chat():
        async with SocketChat(cluster.nginx.url) as chat:
            session = await chat.session()
            ack = await chat.say("wat is hechting")
            return session, ack, chat.received()

    session, ack, replies = asyncio.run(chat())
    assert ack == {"status": "ok"}
    assert "hechting" in replies[0]["text"].lower()
    assert replies[0]["response"] == "utter_what_is_attachment"
    assert cluster.user_texts(session) == ["wat is hechting"]


def test_erasing_a_conversation_over_the_widget_socket_deletes_it_from_postgres(cluster):
    """The widget's "Gesprek wissen" through round-robin nginx: every event of that
    conversation leaves PostgreSQL, other conversations stay."""
    other = new_sender()
    cluster.lb.say(other, "wat is hechting")

    def events(sender):
        with cluster.postgres.connect() as conn, conn.cursor() as cur:
            cur.execute("select count(*) from events where sender_id = %s", (sender,))
            return cur.fetchone()[0]

    others_before = events(other)

    async def talk_then_erase():
        async with SocketChat(cluster.nginx.url) as chat:
            session = await chat.session()
            assert (await chat.say("mijn zoon van 6 wil nooit naar bed, is dat normaal"))["status"] == "ok"
            stored = events(session)
            reply = await chat.erase()
            return session, stored, reply

    session, stored, reply = asyncio.run(talk_then_erase())
    assert stored > 3 and reply == {"status": "erased", "events": stored}
    assert events(session) == 0
    assert events(other) == others_before


# --- nginx's rate limits per client address (limit_req) -------------------------------------
# Each from a loopback address of its own (127.0.0.7x), so 127.0.0.1's budget, which the
# tests above use, is not touched.

def _nginx_log(cluster):
    """(method, uri, status, upstream) of each request nginx logged so far."""
    path = cluster.nginx.access_log
    lines = path.read_text().splitlines() if path.exists() else []
    return [tuple(line.split()) for line in lines]


def test_nginx_limits_rest_requests_per_address_with_the_calm_answer(cluster, figures):
    url = f"{cluster.nginx.url}/webhooks/rest/webhook"
    flood, other = http_from("127.0.0.71"), http_from("127.0.0.72")
    calm = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"][
        "utter_slow_down"][0]["text"]
    before = len(_nginx_log(cluster))
    sent, burst = 160, 120  # deploy/nginx/ocrn.conf: burst=120, then 1 per second

    def post(n):  # a malformed message: nginx counts it, Rasa refuses it cheaply (400)
        return flood.post(url, json={"sender": f"nginx-flood-{n}", "message": 5}, timeout=60)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(post, range(sent)))
    elapsed = time.monotonic() - started
    statuses = Counter(r.status_code for r in replies)
    figures(f"nginx: {sent} REST requests from one address in {elapsed:.1f} s, {statuses[429]} refused")
    assert set(statuses) == {400, 429}, statuses
    assert burst < statuses[400] <= burst + 1 + elapsed + 1
    for reply in (r for r in replies if r.status_code == 429):
        assert reply.json() == [{"text": calm}]  # nginx's copy of utter_slow_down
        assert reply.headers["Retry-After"] == "1"
    logged = _nginx_log(cluster)[before:]
    refused = [entry for entry in logged if entry[2] == "429"]
    assert len(refused) == statuses[429] and all(entry[3] == "-" for entry in refused)  # no upstream

    # A parent's message from that address now gets the calm answer; another address, the bot's.
    reply = flood.post(url, json={"sender": new_sender(), "message": "wat is hechting"}, timeout=30)
    assert reply.status_code == 429 and reply.json() == [{"text": calm}]
    reply = other.post(url, json={"sender": new_sender(), "message": "wat is hechting"}, timeout=60)
    assert reply.status_code == 200 and "Hechting is het proces" in reply.json()[0]["text"]


def test_nginx_limits_socketio_handshakes_per_address(cluster):
    url = f"{cluster.nginx.url}/socket.io/?EIO=4&transport=polling"
    flood = http_from("127.0.0.73")
    started = time.monotonic()
    replies = [flood.get(url, timeout=10) for _ in range(40)]  # engine.io handshakes
    elapsed = time.monotonic() - started
    statuses = [r.status_code for r in replies]
    burst = 30  # deploy/nginx/ocrn.conf: burst=30, then 1 per 2 s
    assert statuses[:burst] == [200] * burst, statuses
    assert 429 in statuses and statuses.count(200) <= burst + 1 + elapsed / 2 + 1
    refused = next(r for r in replies if r.status_code == 429)
    assert refused.json() == {"message": "rate_limited", "data": {"reason": "rate_limited"}}

    async def websocket(address):
        async with SocketChat(cluster.nginx.url, local_addr=address) as chat:
            session = await chat.session()
            return session, await chat.say("wat is hechting"), chat.received()

    with pytest.raises(websockets.exceptions.InvalidStatusCode) as error:
        asyncio.run(websocket("127.0.0.73"))  # the widget's websocket: the same limit
    assert error.value.status_code == 429
    session, ack, replies = asyncio.run(websocket("127.0.0.74"))  # another address
    assert ack == {"status": "ok"} and "hechting" in replies[0]["text"].lower()
