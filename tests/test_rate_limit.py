"""Rate limits: the token buckets of channels/rate_limit.py, and the REST channel's limit
per client address over real HTTP (the shared Rasa server of the `stack` fixture).

The HTTP tests send from loopback addresses of their own (127.0.0.61, …; all of
127.0.0.0/8 reaches the server on 127.0.0.1), so using up one address's limit does not
touch 127.0.0.1's, which every other test module shares; the socket.io channel's
limits are tested in tests/test_widget.py on a server of its own, nginx's in
tests/test_scale.py.
"""
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from actions.names import SLOW_DOWN_RESPONSE
from channels.rate_limit import (
    MESSAGES_PER_ADDRESS,
    MESSAGES_PER_CONNECTION,
    REST_MESSAGES_PER_ADDRESS,
    TokenBuckets,
)

from sockets import http_from

ROOT = Path(__file__).resolve().parents[1]
FLOODED = "127.0.0.61"
OTHER = "127.0.0.62"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    buckets = TokenBuckets(capacity=3, per_second=0.5, clock=clock)
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.now += 1.9  # not yet a whole token back
    assert buckets.allow("a") is False
    clock.now += 0.1
    assert buckets.allow("a") is True and buckets.allow("a") is False
    clock.now += 3600  # refills to the capacity, not beyond
    assert [buckets.allow("a") for _ in range(4)] == [True, True, True, False]


def test_keys_are_independent_and_forget_starts_afresh():
    buckets = TokenBuckets(capacity=1, per_second=0.01, clock=Clock())
    assert buckets.allow("a") and not buckets.allow("a")
    assert buckets.allow("b")
    buckets.forget("a")
    assert buckets.allow("a")


def test_the_stalest_key_is_dropped_when_there_are_too_many():
    clock = Clock()
    buckets = TokenBuckets(capacity=1, per_second=0.001, clock=clock, max_keys=2)
    for key in ("a", "b", "c"):
        clock.now += 1
        assert buckets.allow(key)
    assert len(buckets) == 2
    assert buckets.allow("a")  # "a" was dropped, so it starts full again
    assert not buckets.allow("c")  # "c" was kept


@pytest.mark.parametrize("capacity, rate", [(0, 1), (1, 0), (1, -1)])
def test_nonsense_limits_are_refused(capacity, rate):
    with pytest.raises(ValueError):
        TokenBuckets(capacity=capacity, per_second=rate)


def test_retry_after_is_the_time_until_the_next_token():
    clock = Clock()
    buckets = TokenBuckets(capacity=2, per_second=0.25, clock=clock)
    assert buckets.allow("a") and buckets.allow("a") and not buckets.allow("a")
    assert buckets.retry_after("a") == 4
    clock.now += 3
    assert buckets.retry_after("a") == 1 and not buckets.allow("a")
    assert buckets.retry_after("fresh") == 1


@pytest.mark.parametrize("limit", [MESSAGES_PER_CONNECTION, MESSAGES_PER_ADDRESS,
                                   REST_MESSAGES_PER_ADDRESS],
                         ids=["socket-connection", "socket-address", "rest-address"])
def test_a_paced_parent_is_never_refused(limit):
    """A parent who thinks 1-3 s before each message (bench/load.py's paced parents; the
    answer's own time only adds to it), over a conversation far longer than any burst."""
    clock, rng = Clock(), random.Random(7)
    buckets = TokenBuckets(**limit, clock=clock)
    refused = 0
    for _ in range(2000):
        refused += not buckets.allow("parent")
        clock.now += rng.uniform(1, 3)
    assert refused == 0


# --- the REST channel over HTTP ----------------------------------------------------------

def slow_down_text():
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"][
        SLOW_DOWN_RESPONSE][0]["text"]


def test_rest_messages_per_address_are_limited_with_the_calm_answer(bot, figures):
    """A flood of REST messages from one address: the first `capacity` are answered, the
    rest get 429 with the calm Dutch answer of utter_slow_down as a normal reply body, and
    are not handled. Another address is answered meanwhile."""
    url = f"{bot.url}/webhooks/rest/webhook"
    flood, other = http_from(FLOODED), http_from(OTHER)
    sent = REST_MESSAGES_PER_ADDRESS["capacity"] + 40

    def post(n):
        return flood.post(url, json={"sender": f"flood-{n}", "message": "/greet"}, timeout=60)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(post, range(sent)))
    elapsed = time.monotonic() - started
    answered = [r for r in replies if r.status_code == 200]
    limited = [(n, r) for n, r in enumerate(replies) if r.status_code == 429]
    figures(f"limits: {sent} REST messages from one address in {elapsed:.1f} s, "
            f"{len(limited)} refused")
    assert len(answered) + len(limited) == sent, sorted({r.status_code for r in replies})
    capacity, rate = REST_MESSAGES_PER_ADDRESS["capacity"], REST_MESSAGES_PER_ADDRESS["per_second"]
    assert capacity <= len(answered) <= capacity + elapsed * rate + 1
    assert all("OCRN" in r.json()[0]["text"] for r in answered)
    calm = slow_down_text()
    for n, reply in limited:
        assert reply.json() == [{"recipient_id": f"flood-{n}", "text": calm}]
        assert reply.headers["Content-Type"].startswith("application/json")
        assert int(reply.headers["Retry-After"]) >= 1
    # A refused message is not handled: nothing of it is stored.
    assert [e for e in bot.tracker(f"flood-{limited[-1][0]}")["events"] if e["event"] == "user"] == []

    # Other addresses are not affected; this one still is, also for a malformed request.
    assert "OCRN" in other.post(url, json={"sender": "other-1", "message": "/greet"}, timeout=30).json()[0]["text"]
    # The bucket refills one token per second while the checks above run: spend what came
    # back (a 429 shows it is empty), then send the malformed request straight after.
    for n in range(int(capacity)):
        if flood.post(url, json={"sender": f"drain-{n}", "message": "/greet"}, timeout=30).status_code == 429:
            break
    refused = flood.post(url, data="not json", headers={"Content-Type": "application/json"}, timeout=30)
    assert refused.status_code == 429 and refused.json() == [{"text": calm}]

    # Then one message per second is answered again: a paced parent behind the same
    # address is not locked out.
    for n in range(3):
        time.sleep(1.1)
        reply = flood.post(url, json={"sender": "paced-parent", "message": "/greet"}, timeout=30)
        assert reply.status_code == 200, (n, reply.text)
    assert len([e for e in bot.tracker("paced-parent")["events"] if e["event"] == "user"]) == 3
