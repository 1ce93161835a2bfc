"""Soak test: many fuzzed messages against real servers, on loopback.

    make soak                                   # 10 000 messages, servers started here
    .venv/bin/python -m bench.soak --messages 2000 --senders 4 --max-seconds 600
    .venv/bin/python -m bench.soak --url http://127.0.0.1:5005 --rasa-pid 1234

Without --url it starts its own action server and Rasa server (bench/servers.py: the
flags of `make run`, SQLite tracker store in a temp dir, credentials.yml with our
REST channel). A few concurrent senders send fuzzed input: Dutch questions from the
training data, buttons, empty and white-space messages, emoji, control characters,
other scripts, HTML/script, long texts (up to 100 000 characters) and malformed JSON
bodies. It reports every 5xx, every lost reply (a message answered with nothing or
not at all), unexpected statuses, latencies, and the Rasa process's memory (RSS) at
the start, middle and end. Bounded in time by --max-seconds. Exit status 1 when a 5xx,
a lost reply or a transport error occurred.

Each sender starts a new conversation every 25 of its messages, as a new parent from a
loopback address of its own (bench/load.py: the server limits messages per client
address, loopback included), so the limits do not hide what the soak is after; a
request a limit refused anyway (429) is counted under "rate_limited".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import yaml

from bench import load, servers
from launcher.procs import rss_mb
from launcher.settings import MODEL, ROOT

SCRIPTS = ["何か質問があります", "مرحبا كيف حالك", "Привет, как дела", "שלום", "γειά σου",
           "नमस्ते", "안녕하세요", "ሰላም", "ğüşçö", "Ïk wïl hëchting"]
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{7*7}}",
        "'; DROP TABLE events; --", "${jndi:ldap://x}", "<b>wat is hechting</b>"]
EMOJI = "😀😭🙏👍👎❤️🔥💔😡🤷‍♀️👨‍👩‍👧\u200d\ufe0f"
BUTTONS = ["/ask_registration", "/feedback_positive", "/feedback_negative",
           "/ask_what_is_attachment", "/nonexistent_intent"]
MALFORMED = [None, 5, ["wat", "is"], {"text": "hoi"}, True]
MESSAGES_PER_CONVERSATION = 25


def training_messages() -> List[str]:
    out = []
    for block in yaml.safe_load((ROOT / "data" / "nlu.yml").read_text())["nlu"]:
        out += [line.strip()[2:] for line in block.get("examples", "").splitlines()
                if line.strip().startswith("- ")]
    return out


class Fuzzer:
    """Request bodies: (JSON-able body or raw bytes, is_message) pairs."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.questions = training_messages()
        self.words = sorted({w for q in self.questions for w in q.split()})

    def _text(self, kind: str) -> str:
        r = self.rng
        if kind == "question":
            return r.choice(self.questions)
        if kind == "button":
            return r.choice(BUTTONS)
        if kind == "blank":
            return "".join(r.choice(" \t\n\u00a0\u200b") for _ in range(r.randint(0, 20)))
        if kind == "emoji":
            return "".join(r.choice(EMOJI) for _ in range(r.randint(1, 20)))
        if kind == "control":
            return "".join(chr(r.choice(list(range(0, 32)) + list(range(127, 160))))
                           for _ in range(r.randint(1, 20)))
        if kind == "scripts":
            return " ".join(r.choice(SCRIPTS + self.words) for _ in range(r.randint(1, 8)))
        if kind == "html":
            return r.choice(HTML) + " " + r.choice(self.questions)
        if kind == "random":
            return "".join(r.choice(string.printable + "éëïöü€ßøå") for _ in range(r.randint(1, 300)))
        if kind == "long":
            size = r.choice([3_000, 10_000, 30_000, 100_000])
            words = []
            while sum(len(w) + 1 for w in words) < size:
                words.append(r.choice(self.words))
            return " ".join(words)[:size]
        raise ValueError(kind)

    KINDS = [("question", 40), ("button", 10), ("blank", 5), ("emoji", 5), ("control", 5),
             ("scripts", 8), ("html", 7), ("random", 10), ("long", 2), ("malformed", 8)]

    def body(self, sender: str) -> Tuple[object, bool, str]:
        kinds, weights = zip(*self.KINDS)
        kind = self.rng.choices(kinds, weights)[0]
        if kind == "malformed":
            choice = self.rng.randint(0, 3)
            if choice == 0:
                return {"sender": sender, "message": self.rng.choice(MALFORMED)}, False, kind
            if choice == 1:
                return {"message": "hoi"}, False, kind
            if choice == 2:
                return [sender, "hoi"], False, kind
            return b'{"sender": "x", "message": ', False, kind
        return {"sender": sender, "message": self._text(kind)}, True, kind


async def soak(url: str, messages: int, senders: int, max_seconds: float, seed: int,
               rasa_pid: Optional[int], timeout: float) -> Dict:
    fuzzer = Fuzzer(seed)
    stats: Dict = {"sent": 0, "messages": 0, "malformed": 0, "rate_limited": 0, "status": {},
                   "server_errors": [], "lost_replies": [], "transport_errors": [], "unexpected": [],
                   "kinds": {}, "latency_ms": []}
    memory: List[Tuple[int, float]] = []
    start = time.monotonic()
    stop_at = start + max_seconds
    counter = iter(range(messages))

    def sample_memory() -> None:
        if rasa_pid:
            value = rss_mb(rasa_pid)
            if value is not None:
                memory.append((stats["sent"], value))

    def note(bucket: str, what: Dict) -> None:
        if len(stats[bucket]) < 20:
            stats[bucket].append(what)
        stats[bucket + "_count"] = stats.get(bucket + "_count", 0) + 1

    async def sender_loop(index: int) -> None:
        conversation, sent_in_conversation, session = 0, 0, None
        try:
            while time.monotonic() < stop_at:
                try:
                    n = next(counter)
                except StopIteration:
                    return
                if session is None or sent_in_conversation == MESSAGES_PER_CONVERSATION:
                    if session is not None:
                        await session.close()
                    # A new conversation: a new parent, from an address of its own.
                    conversation, sent_in_conversation = conversation + 1, 0
                    session = load.parent_session(url, client_timeout)
                sent_in_conversation += 1
                await send(session, f"soak-{seed}-{index}-{conversation}", n)
        finally:
            if session is not None:
                await session.close()

    async def send(session: aiohttp.ClientSession, sender: str, n: int) -> None:
        if n and n % max(messages // 20, 1) == 0:
            sample_memory()
        body, is_message, kind = fuzzer.body(sender)
        stats["kinds"][kind] = stats["kinds"].get(kind, 0) + 1
        stats["sent"] += 1
        t0 = time.perf_counter()
        try:
            if isinstance(body, bytes):
                request = session.post(f"{url}/webhooks/rest/webhook", data=body,
                                       headers={"Content-Type": "application/json"})
            else:
                request = session.post(f"{url}/webhooks/rest/webhook", json=body)
            async with request as resp:
                text = await resp.text()
            status = resp.status
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            note("transport_errors", {"n": n, "kind": kind, "error": repr(exc)[:200]})
            return
        stats["status"][status] = stats["status"].get(status, 0) + 1
        if status == 429:
            stats["rate_limited"] += 1  # refused by a rate limit, with the calm answer
        elif status >= 500:
            note("server_errors", {"n": n, "kind": kind, "status": status,
                                   "body": str(body)[:200]})
        elif is_message:
            stats["messages"] += 1
            stats["latency_ms"].append((time.perf_counter() - t0) * 1000)
            replies = json.loads(text) if status == 200 else None
            if status != 200:
                note("unexpected", {"n": n, "kind": kind, "status": status})
            elif not any(r.get("text") for r in replies):
                note("lost_replies", {"n": n, "kind": kind, "message": str(body)[:200]})
        else:
            stats["malformed"] += 1
            if status != 400:
                note("unexpected", {"n": n, "kind": kind, "status": status,
                                    "body": str(body)[:200]})

    sample_memory()
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    await asyncio.gather(*(sender_loop(i) for i in range(senders)))
    sample_memory()
    elapsed = time.monotonic() - start

    latencies = sorted(stats.pop("latency_ms"))
    pick = lambda q: round(latencies[min(int(q * len(latencies)), len(latencies) - 1)], 1) \
        if latencies else None  # noqa: E731
    report = {
        "seconds": round(elapsed, 1), "requests": stats["sent"],
        "requests_per_s": round(stats["sent"] / elapsed, 1) if elapsed else None,
        "messages": stats["messages"], "malformed_requests": stats["malformed"],
        "status": {str(k): v for k, v in sorted(stats["status"].items())},
        "server_errors_5xx": stats.get("server_errors_count", 0),
        "lost_replies": stats.get("lost_replies_count", 0),
        "transport_errors": stats.get("transport_errors_count", 0),
        "unexpected_status": stats.get("unexpected_count", 0),
        "rate_limited": stats["rate_limited"],
        "latency_ms": {"p50": pick(0.5), "p95": pick(0.95), "p99": pick(0.99),
                       "max": round(latencies[-1], 1) if latencies else None},
        "kinds": stats["kinds"],
        "examples": {k: stats[k] for k in ("server_errors", "lost_replies",
                                           "transport_errors", "unexpected") if stats[k]},
        "stopped_by_time_limit": stats["sent"] < messages,
    }
    if memory:
        middle = min(memory, key=lambda m: abs(m[0] - stats["sent"] / 2))
        report["rasa_rss_mb"] = {"start": round(memory[0][1]), "middle": round(middle[1]),
                                 "end": round(memory[-1][1]),
                                 "max": round(max(m[1] for m in memory)),
                                 "samples": " ".join(f"{n}:{round(v)}" for n, v in memory)}
    return report


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="requests to send")
    parser.add_argument("--senders", type=int, default=4, help="concurrent senders")
    parser.add_argument("--max-seconds", type=float, default=1800, help="stop sending after")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=120, help="per request, seconds")
    parser.add_argument("--url", help="use a running Rasa server instead of starting one")
    parser.add_argument("--rasa-pid", type=int, help="with --url: the Rasa process, for RSS")
    parser.add_argument("--json", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)

    stack = None
    url, pid = args.url, args.rasa_pid
    if not url:
        work = Path(tempfile.mkdtemp(prefix="ocrn-soak-"))
        print(f"[soak] starting an action server and a Rasa server (logs in {work})", flush=True)
        stack = servers.start(MODEL, work)
        servers.wait_first_answer(stack)
        stack.wait_ready()
        url, pid = stack.url, stack.rasa.pid
    try:
        print(f"[soak] {args.messages} requests, {args.senders} senders, at most "
              f"{args.max_seconds:.0f} s, against {url}", flush=True)
        report = asyncio.run(soak(url, args.messages, args.senders, args.max_seconds,
                                  args.seed, pid, args.timeout))
    finally:
        if stack:
            stack.stop()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    bad = report["server_errors_5xx"] + report["lost_replies"] + report["transport_errors"]
    print(f"[soak] {'FAILED' if bad else 'OK'}: {report['requests']} requests in "
          f"{report['seconds']} s, 5xx {report['server_errors_5xx']}, lost replies "
          f"{report['lost_replies']}, transport errors {report['transport_errors']}, "
          f"unexpected statuses {report['unexpected_status']}, rate-limited "
          f"{report['rate_limited']}, Rasa RSS (MiB) "
          f"{report.get('rasa_rss_mb', {}).get('start')} → {report.get('rasa_rss_mb', {}).get('middle')}"
          f" → {report.get('rasa_rss_mb', {}).get('end')}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
