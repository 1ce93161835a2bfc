"""A small in-memory token bucket per key, for the socket.io channel's rate limits.

Why not the maintained `limits` library: every release of it that still gets fixes
(2.8 and later) needs `packaging>=21`, and Rasa 3.6 pins `packaging<21`
(checked with `uv pip install --dry-run`, 2026-11). A token bucket is a dozen lines:
`capacity` tokens at most, refilled at `per_second`; each event takes one. It allows
a burst (a parent who clicks three buttons quickly) and then a steady rate.

The buckets live in the memory of one Rasa process: with several Rasa servers behind
a load balancer each one limits on its own, so the real limit is the sum. That is
enough against one browser tab or one script flooding the bot; a deliberate attack
from many addresses is for the proxy in front (nginx `limit_req`).
"""
from __future__ import annotations

import time
from typing import Callable, Dict, Hashable, Tuple


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

    def forget(self, key: Hashable) -> None:
        """Drop the bucket of `key` (a closed connection)."""
        self._buckets.pop(key, None)

    def __len__(self) -> int:
        return len(self._buckets)
