"""A small in-memory token bucket per key, for the rate limits of both input channels.

Why not the maintained `limits` library: every release of it that still gets fixes
(2.8 and later) needs `packaging>=21`, and Rasa 3.6 pins `packaging<21`
(checked with `uv pip install --dry-run`, 2026-11). A token bucket is a dozen lines:
`capacity` tokens at most, refilled at `per_second`; each event takes one. It allows
a burst (a parent who clicks three buttons quickly) and then a steady rate.

The buckets live in the memory of one Rasa process: with several Rasa servers behind
a load balancer each one limits on its own, so the real limit is the sum. That is
enough against one browser tab or one script flooding the bot; a deliberate attack
from many addresses, and the sum over several servers, are for the proxy in front
(nginx `limit_req`, deploy/nginx/ocrn.conf, with the same numbers per address).

The limits themselves are here, in one place (capacity = burst, per_second = steady
rate). A parent types a message every few seconds at most; a page reload or reconnect
is one connection. The address limits leave room for several parents behind one
address (a school, an office). Loopback is not exempt: the load benchmark and the soak
test give every simulated parent a loopback address of its own (bench/load.py).
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Dict, Hashable, Tuple

# socket.io channel (channels/socketio.py). No message limit is below one per second, so
# a parent who waits at least a second between messages (the benchmark's paced parents
# think 1-3 s) is never refused, however long the conversation (tests/test_rate_limit.py).
CONNECTIONS_PER_ADDRESS = dict(capacity=30, per_second=0.5)
MESSAGES_PER_CONNECTION = dict(capacity=8, per_second=1.0)
MESSAGES_PER_ADDRESS = dict(capacity=60, per_second=1.0)
ERASURES_PER_ADDRESS = dict(capacity=3, per_second=1 / 20)
# REST channel (channels/rest.py): every POST to /webhooks/rest/webhook, per address.
# The same steady rate as the socket channel's messages per address, with a larger
# burst: REST callers are scripts and integrations that wait for each answer, not
# browsers, and this project's own test suite sends about 90 messages in a row from
# 127.0.0.1 (tests/test_conversations.py), each as soon as the one before is answered;
# a burst of 60 would refuse the last of them. One address flooding the bot still gets
# about 2 s of a server's time (57 messages/s, docs/benchmarks.md), then 1 per second.
REST_MESSAGES_PER_ADDRESS = dict(capacity=120, per_second=1.0)


def request_address(request: Any) -> str:
    """The client's address of a Sanic request: `remote_addr` (from X-Real-IP or
    X-Forwarded-For when SANIC_REAL_IP_HEADER or SANIC_PROXIES_COUNT says a proxy is
    trusted; empty otherwise), else the peer's address."""
    return (getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown")


class TokenBuckets:
    """One token bucket per key, all with the same size and refill rate.

    Args:
        capacity: the burst: how many events a fresh key may have at once.
        per_second: tokens added per second (the steady rate).
        clock: seconds, monotonic (tests pass a fake clock).
        max_keys: buckets kept at most; the stalest are dropped first (a dropped key
            starts full again, so dropping only ever errs on the side of the parent).
    """

    def __init__(self, capacity: float, per_second: float,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        if capacity < 1 or per_second <= 0:
            raise ValueError("capacity must be >= 1 and per_second > 0")
        self.capacity, self.per_second, self.clock, self.max_keys = capacity, per_second, clock, max_keys
        self._buckets: Dict[Hashable, Tuple[float, float]] = {}  # key -> (tokens, last update)

    def allow(self, key: Hashable) -> bool:
        """Take one token for `key`; False when its bucket is empty (the event is refused)."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)  # re-inserted: newest last
        if len(self._buckets) > self.max_keys:
            del self._buckets[next(iter(self._buckets))]
        return allowed

    def retry_after(self, key: Hashable) -> int:
        """Whole seconds until `key` has a token again (at least 1), for Retry-After."""
        tokens, last = self._buckets.get(key, (self.capacity, self.clock()))
        tokens = min(self.capacity, tokens + (self.clock() - last) * self.per_second)
        return max(1, math.ceil((1 - tokens) / self.per_second))

    def forget(self, key: Hashable) -> None:
        """Drop the bucket of `key` (a closed connection)."""
        self._buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self._buckets)
