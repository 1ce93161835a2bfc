"""Load generator: N simulated parents, each a multi-turn conversation over REST.

A small asyncio + aiohttp client (aiohttp comes with Rasa) rather than Locust:
the client shares the 2 cores with the Rasa and action servers, and one event
loop with a handful of coroutines costs far less CPU than Locust's gevent users
and its stats machinery; the client's own CPU time is measured and reported so
that claim can be checked on every run.

Every simulated parent (one conversation, one sender id) connects from a loopback
address of its own (127.1.0.1, 127.1.0.2, …: on Linux all of 127.0.0.0/8 reaches a
server on 127.0.0.1), as real parents come from their own addresses: the Rasa server
and nginx limit messages per client address, and loopback is not exempt
(channels/rate_limit.py). A level's worker starts its next conversation as a new parent
from a new address, so a level without think time measures the server, not the
limits. Only for a target on an IPv4 loopback address; any other URL is reached from
the machine's own address.
"""
from __future__ import annotations

import asyncio
import ipaddress
import itertools
import random
import resource
import time
from typing import Callable, List, Optional, Sequence
from urllib.parse import urlsplit

import aiohttp
import numpy as np

FIRST_PARENT_ADDRESS = ipaddress.IPv4Address("127.1.0.1")
LAST_PARENT_ADDRESS = ipaddress.IPv4Address("127.255.255.254")
_next_parent = itertools.count()  # addresses are not reused within a run


def loopback_target(url: str) -> bool:
    """Whether `url` is on an IPv4 loopback address (then parents can have their own)."""
    try:
        host = ipaddress.ip_address(urlsplit(url).hostname or "")
    except ValueError:
        return False
    return host.version == 4 and host.is_loopback


def parent_address() -> str:
    """A loopback address for the next simulated parent: 127.1.0.1, 127.1.0.2, …"""
    span = int(LAST_PARENT_ADDRESS) - int(FIRST_PARENT_ADDRESS) + 1
    return str(FIRST_PARENT_ADDRESS + next(_next_parent) % span)


def parent_session(url: str, timeout: aiohttp.ClientTimeout) -> aiohttp.ClientSession:
    """An HTTP client for one simulated parent: from its own loopback address when `url`
    is on loopback (see the module docstring)."""
    local = {"local_addr": (parent_address(), 0)} if loopback_target(url) else {}
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=4, **local), timeout=timeout)

# Multi-turn paths a parent or teacher really takes (see tests/test_conversations.py
# and tests/test_stories.yml); buttons are sent as their payloads, as the widget does.
CONVERSATIONS: List[List[str]] = [
    ["hoi", "wat is hechting eigenlijk?", "/feedback_positive",
     "wat zijn de oorzaken van hechtingsproblemen?", "bedankt!"],
    ["mijn kind krijgt steeds driftbuien, is dat normaal?", "hij is 3",
     "/ask_registration", "dank je wel"],
    ["hallo", "welke signalen van hechtingsproblemen zie je in de klas?",
     "wat kan ik als leerkracht doen voor een leerling met hechtingsproblemen", "doei"],
    ["mijn zoon luistert nooit, is dat normaal", "mijn man slaat ons, ik ben bang"],
    ["is het mijn schuld dat mijn dochter moeilijk hecht?", "hoe werkt de behandeling bij jullie?",
     "hoe kan ik me aanmelden", "/feedback_negative"],
    ["mijn dochter van 15 sluit zich de hele dag op haar kamer op, hoort dat bij die leeftijd?",
     "/ask_registration", "top, dank je"],
]


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def summarise(latencies: Sequence[float], errors: int, elapsed: float) -> dict:
    ms = np.array(latencies) * 1000.0
    stats = {"messages": len(ms), "errors": errors,
             "msg_per_s": len(ms) / elapsed if elapsed > 0 else 0.0}
    for name, q in (("p50_ms", 50), ("p95_ms", 95), ("p99_ms", 99)):
        stats[name] = float(np.percentile(ms, q)) if len(ms) else None
    stats["max_ms"] = float(ms.max()) if len(ms) else None
    stats["mean_ms"] = float(ms.mean()) if len(ms) else None
    return stats


async def _level(url: str, parents: int, duration: float, think: tuple, seed: int, tag: str,
                 timeout: float, once: bool = False) -> dict:
    rng = random.Random(seed)
    latencies: List[float] = []
    errors = {"count": 0, "kinds": {}}
    start = time.monotonic()
    stop_at = start + duration
    last_done = [start]

    def error(kind: str) -> None:
        errors["count"] += 1
        errors["kinds"][kind] = errors["kinds"].get(kind, 0) + 1

    async def parent(index: int) -> None:
        if think[1] > 0:  # spread the first messages over one think time
            await asyncio.sleep(rng.uniform(0, think[1]))
        conversation = index
        while time.monotonic() < stop_at:
            sender = f"bench-{tag}-{index}-{conversation}"
            async with parent_session(url, client_timeout) as session:  # one parent, one address
                for message in CONVERSATIONS[conversation % len(CONVERSATIONS)]:
                    if time.monotonic() >= stop_at:
                        return
                    t0 = time.perf_counter()
                    try:
                        async with session.post(f"{url}/webhooks/rest/webhook",
                                                json={"sender": sender, "message": message}) as resp:
                            body = await resp.json(content_type=None)
                        if resp.status != 200:
                            error(f"HTTP {resp.status}")  # 429: a rate limit refused it
                        elif not body:
                            error("empty reply")
                        else:
                            latencies.append(time.perf_counter() - t0)
                    except asyncio.TimeoutError:
                        error("timeout")
                    except (aiohttp.ClientError, ValueError, OSError) as exc:
                        error(type(exc).__name__)
                    last_done[0] = time.monotonic()
                    if think[1] > 0:
                        await asyncio.sleep(rng.uniform(*think))
            if once:
                return
            conversation += parents

    client_timeout = aiohttp.ClientTimeout(total=timeout)
    tasks = [asyncio.create_task(parent(i)) for i in range(parents)]
    # Bounded: parents stop starting messages at stop_at; in-flight ones time out.
    await asyncio.wait(tasks, timeout=duration + timeout + 10)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)  # their sessions are closed
    elapsed = max(last_done[0], stop_at) - start if latencies else duration
    out = summarise(latencies, errors["count"], min(elapsed, duration + timeout))
    out["error_kinds"] = errors["kinds"]
    return out


def run_level(url: str, parents: int, duration: float, think: tuple, seed: int, tag: str,
              server_cpu: Optional[Callable[[], float]] = None, timeout: float = 30) -> dict:
    """One load level; also CPU ms per answered message of the servers and of this client."""
    cpu0, client0 = (server_cpu() if server_cpu else 0.0), _cpu_self()
    result = asyncio.run(_level(url, parents, duration, think, seed, tag, timeout))
    answered = max(result["messages"], 1)
    if server_cpu:
        result["server_cpu_ms_per_msg"] = (server_cpu() - cpu0) * 1000 / answered
    result["client_cpu_ms_per_msg"] = (_cpu_self() - client0) * 1000 / answered
    result.update(parents=parents, think_s=list(think), duration_s=duration)
    return result


def warm_up(url: str) -> None:
    """Send every conversation once (not measured): loads graphs, caches, the action server."""
    result = asyncio.run(_level(url, len(CONVERSATIONS), 120, (0, 0), 0, "warmup", 60, once=True))
    if result["errors"]:
        raise RuntimeError(f"warm-up failed: {result['error_kinds']}")
