"""The staff review tool at scale: 100 000 conversations (about 2.3 million events, made by
bench/review_data.py) in SQLite and in PostgreSQL; p95 of the list page, the overview and
one transcript over real HTTP, and the memory of exporting everything (`make bench-review`).

    python -m bench.review_scale [--conversations 100000] [--backends sqlite,postgresql]
                                 [--requests 200] [--reuse] [--out docs/benchmarks.md]

Each backend: generate the events (Rasa's own `events` table), create a staff account,
start the review tool as `make run` does (launcher.stack; its first start summarises every
conversation), log in, then send `--requests` requests of each kind one after the other,
as one staff member clicking through (the list with a mix of filters and pages, the
overview with and without filters, transcripts of random conversations). Export: the
JSON export of everything and of about a tenth, streamed, while the server's resident
memory is sampled every 50 ms. The figures go into the section of docs/benchmarks.md
between the review-scale markers (written by this module only).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Dict, List

import numpy as np
import requests
import sqlalchemy as sa

from bench import sections
from bench.review_data import write
from launcher import procs
from launcher.settings import ROOT, VAR
from launcher.stack import Stack, free_port

sys.path.insert(0, str(ROOT / "tests"))
from services import Postgres  # noqa: E402 - the tests' private PostgreSQL, shared

PASSWORD = "bench wachtwoord 2026"
TARGET_MS = 300
START, END = sections.REVIEW_SCALE
TOPICS = ["ask_help_at_home", "ask_causes", "ask_signs_home", "ask_treatment", "ask_practical_info"]


def log(message: str) -> None:
    print(f"[bench-review] {message}", flush=True)


def _login(base: str) -> requests.Session:
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{base}/login", timeout=30).text).group(1)
    response = session.post(f"{base}/login", data={"csrf_token": token, "name": "bench", "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 303, response.text[:300]
    return session


def _stats(seconds: List[float]) -> dict:
    ms = np.array(seconds) * 1000
    return {"requests": len(ms), "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "max_ms": float(ms.max())}


def _list_params(r: random.Random, pages: int, today: date) -> dict:
    choice = r.randrange(8)
    return [{}, {"page": r.randint(1, pages)}, {"emergency": "1"}, {"reviewed": "nee", "page": r.randint(1, 50)},
            {"topic": r.choice(TOPICS)}, {"since": (today - timedelta(days=r.randint(8, 60))).isoformat(),
                                          "until": (today - timedelta(days=r.randint(0, 7))).isoformat()},
            {"low": "1", "page": r.randint(1, 20)}, {"fallback": "1", "negative_feedback": "1"}][choice]


def _overview_params(r: random.Random, today: date) -> dict:
    return [{}, {"since": (today - timedelta(days=30)).isoformat()}, {"emergency": "1"},
            {"topic": r.choice(TOPICS)}][r.randrange(4)]


def measure(base: str, session: requests.Session, senders: List[str], count: int, conversations: int) -> dict:
    """Sequential requests of each kind; latency per request, client side."""
    r, today = random.Random(5), date.today()
    pages = max(1, conversations // 25)
    kinds = {"list": lambda: session.get(f"{base}/", params=_list_params(r, pages, today), timeout=60),
             "overview": lambda: session.get(f"{base}/summary", params=_overview_params(r, today), timeout=60),
             "transcript": lambda: session.get(f"{base}/conversations/{r.choice(senders)}", timeout=60)}
    results = {}
    for name, call in kinds.items():
        for _ in range(5):  # warm-up
            call()
        times = []
        for _ in range(count):
            began = time.perf_counter()
            response = call()
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, (name, response.status_code, response.url)
        results[name] = _stats(times)
        log(f"{name}: p50 {results[name]['p50_ms']:.0f} ms, p95 {results[name]['p95_ms']:.0f} ms")
    return results


def export_memory(base: str, session: requests.Session, pid: int, params: dict) -> dict:
    """Stream the JSON export while sampling the server's RSS; rows, size, time, memory."""
    baseline = procs.rss_mb(pid) or 0.0
    peak, done = [baseline], threading.Event()

    def sample():
        while not done.is_set():
            peak.append(procs.rss_mb(pid) or 0.0)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began, size, rows = time.perf_counter(), 0, 0
    with session.get(f"{base}/export.json", params=params, stream=True, timeout=3600) as response:
        tail = b""
        for chunk in response.iter_content(65536):
            size += len(chunk)
            rows += (tail + chunk).count(b'\n{"sender_id"')
            tail = chunk[-14:]
    done.set()
    sampler.join()
    return {"rows": rows, "mb": size / 2 ** 20, "seconds": time.perf_counter() - began,
            "rss_before_mb": baseline, "rss_peak_mb": max(peak), "growth_mb": max(peak) - baseline}


def _senders(url: str, limit: int = 1000) -> List[str]:
    engine = sa.create_engine(url)
    with engine.connect() as db:
        return list(db.execute(sa.text("select sender_id from review_conversations order by sender_id limit :n"),
                               {"n": limit}).scalars())


def _account(url: str) -> None:
    subprocess.run([sys.executable, "-m", "review.users", "add", "bench", "--role", "medewerker", "--replace"],
                   cwd=ROOT, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
                   env={**os.environ, "REVIEW_DB_URL": url})


def bench_backend(name: str, url: str, work: Path, args, generate: bool) -> dict:
    result: Dict[str, object] = {"backend": name}
    if generate:
        began = time.monotonic()
        result["events"] = write(sa.create_engine(url), args.conversations, seed=args.seed)
        result["generate_s"] = time.monotonic() - began
        if name == "PostgreSQL":  # as after any bulk import: else autovacuum runs during the measurements
            with sa.create_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as db:
                db.execute(sa.text("VACUUM (ANALYZE) events"))
        log(f"{name}: {args.conversations} conversations, {result['events']} events in {result['generate_s']:.0f} s")
    else:
        with sa.create_engine(url).connect() as db:
            result["events"] = db.execute(sa.text("select count(*) from events")).scalar()
    _account(url)
    stack = Stack(work / name, with_actions=False)
    began = time.monotonic()
    base = stack.start_review(free_port(), {"REVIEW_DB_URL": url})
    try:
        stack.wait_http(f"{base}/login", stack.review, timeout=3600)
        result["first_start_s"] = time.monotonic() - began
        log(f"{name}: review tool answering after {result['first_start_s']:.0f} s (summaries built)")
        session = _login(base)
        result["load_before"] = os.getloadavg()[0]
        result["latency"] = measure(base, session, _senders(url), args.requests, args.conversations)
        result["load_after"] = os.getloadavg()[0]
        today = date.today()
        result["export_all"] = export_memory(base, session, stack.review.pid, {})
        result["export_tenth"] = export_memory(base, session, stack.review.pid,
                                               {"since": (today - timedelta(days=8)).isoformat()})
        log(f"{name}: export of everything {result['export_all']}")
        result["rss_end_mb"] = procs.rss_mb(stack.review.pid)
    finally:
        stack.stop(grace=10)
    return result


def section(results: List[dict], meta: dict) -> str:
    rows, exports = [], []
    for r in results:
        for kind in ("list", "overview", "transcript"):
            s = r["latency"][kind]
            verdict = "✅" if s["p95_ms"] <= TARGET_MS else "❌"
            rows.append(f"| {r['backend']} | {kind} | {s['requests']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
                        f"{s['max_ms']:.0f} | {verdict} | {r['load_before']:.1f} → {r['load_after']:.1f} |")
        for key, label in (("export_all", "everything"), ("export_tenth", "last 8 days")):
            e = r[key]
            exports.append(f"| {r['backend']} | {label} | {e['rows']} | {e['mb']:.0f} MiB | {e['seconds']:.0f} s | "
                           f"{e['rss_before_mb']:.0f} MiB | {e['rss_peak_mb']:.0f} MiB | {e['growth_mb']:.0f} MiB |")
    starts = "; ".join(f"{r['backend']} {r['events']} events, first start {r['first_start_s']:.0f} s"
                       + (f", generated in {r['generate_s']:.0f} s" if "generate_s" in r else "") for r in results)
    return "\n".join([
        START,
        f"## Staff review tool at {meta['conversations']:,} conversations".replace(",", " "), "",
        f"Generated by `bench/review_scale.py` (`make bench-review`) on {meta['date']}, commit `{meta['commit']}`; "
        f"{meta['conversations']} conversations made by `bench/review_data.py` ({starts}). The review tool runs as "
        "`make run` starts it (waitress, 8 threads) on loopback; one staff member sends the requests one after the "
        f"other ({meta['requests']} of each kind after 5 warm-up ones): the list with a mix of filters and pages "
        "(up to the last page), the overview with and without filters, and transcripts of random conversations. "
        "Latency is client-side and includes the login check, the summary-index check and the access-log entry "
        f"of each request. Target: p95 ≤ {TARGET_MS} ms. Machine: {meta['machine']}; load average at the end "
        f"{meta['load']}; the last column is the 1-minute load average before and after each database's "
        "measurements (other work on this shared machine makes every figure noisier). PostgreSQL gets "
        "`VACUUM (ANALYZE) events` after the import, as any bulk import would.", "",
        "| database | page | requests | p50 ms | p95 ms | max ms | p95 ≤ 300 ms | load average |",
        "|---|---|---|---|---|---|---|---|",
        *rows, "",
        "Export (JSON, streamed) while the server's resident memory (VmRSS) is sampled every 50 ms: the memory "
        "it takes does not grow with the number of conversations exported.", "",
        "| database | export | conversations | size | time | RSS before | RSS peak | growth |",
        "|---|---|---|---|---|---|---|---|", *exports, "",
        "The first start after an upgrade (or on a database the tool has not seen) summarises every conversation "
        "once (`review/index.py`); after that each request reads only the events added since.",
        END])


def _meta(args) -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    cpu = platform.processor() or platform.machine()
    return {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "commit": commit, "requests": args.requests,
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "conversations": args.conversations,
            "machine": f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="SQLite: keep var/bench/review/tracker.db if it exists")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    work = VAR / "bench" / "review"
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            db = work / "tracker.db"
            fresh = not (args.reuse and db.exists())
            if fresh:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
            results.append(bench_backend("SQLite", f"sqlite:///{db}", work, args, fresh))
        elif backend == "postgresql":
            server = Postgres().start()
            try:
                url = f"postgresql://{Postgres.user}:{server.password}@127.0.0.1:{server.port}/{Postgres.database}"
                results.append(bench_backend("PostgreSQL", url, work, args, True))
            finally:
                server.stop()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (work / f"results-{stamp}.json").write_text(json.dumps(results, indent=1))
    sections.replace(Path(args.out), sections.REVIEW_SCALE, section(results, _meta(args)))
    log(f"results in {work / f'results-{stamp}.json'}; section written to {args.out}")
    return 0 if all(r["latency"][k]["p95_ms"] <= TARGET_MS for r in results for k in r["latency"]) else 1


if __name__ == "__main__":
    sys.exit(main())
