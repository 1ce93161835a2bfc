"""Benchmarks and evaluation of the OCRN bot; writes docs/benchmarks.md (`make bench`).

    python -m bench.run                 # full run (~25-30 min on 2 cores)
    python -m bench.run --quick         # smoke run: levels 1,5, short, no CV, no full training
    python -m bench.run --skip-train --skip-cv --levels 1,5,20

Order: train the full model (timed, temp dir) and the baseline; load-test the bot and
then the baseline; profile the bot's server if a latency or capacity target is
missed; NLU tests. Everything a run writes goes under var/bench/<run>/, except the
report (docs/benchmarks.md and docs/benchmarks_latency.png; --quick writes the report
under var/bench/<run>/ unless --out is given). The report's section is stamped with the
commit at the start of the run; the run fails if that section is stale at its end (a
commit changed what it measured meanwhile), so the page never passes off old figures.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Optional

from bench import danger_eval, fresh_clone, load, nlu_eval, profile, report, sections, servers
from bench.training import train
from launcher.settings import ROOT
from launcher.stack import Stack

BASELINE = ROOT / "bench" / "baseline"
TARGET_PARENTS = 20


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="levels 1,5 for 10 s, no CV, no full training")
    p.add_argument("--levels", default=None, help="concurrent parents per level (default 1,5,20,50)")
    p.add_argument("--duration", type=float, default=None, help="seconds per level (default 40)")
    p.add_argument("--think", default="1,3", help="think time min,max in seconds (default 1,3)")
    p.add_argument("--saturation-parents", type=int, default=TARGET_PARENTS)
    p.add_argument("--skip-train", action="store_true", help="do not time a full training")
    p.add_argument("--skip-cv", action="store_true", help="no cross-validation")
    p.add_argument("--skip-fresh", action="store_true", help="do not time set-up on a fresh clone")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--cv-per-intent", type=int, default=None, help="CV on a sample of N examples per intent")
    p.add_argument("--profile", choices=["auto", "always", "never"], default="auto",
                   help="py-spy the bot's server at saturation: when a load target is missed (auto)")
    p.add_argument("--model", default=str(ROOT / "models" / "ocrn.tar.gz"))
    p.add_argument("--out", default=None, help="report path (default docs/benchmarks.md)")
    args = p.parse_args(argv)
    if args.quick:
        args.levels = args.levels or "1,5"
        args.duration = args.duration or 10
        args.skip_train = args.skip_cv = args.skip_fresh = True
    args.levels = [int(x) for x in (args.levels or "1,5,20,50").split(",")]
    args.duration = args.duration or 40
    args.think = tuple(float(x) for x in args.think.split(","))
    return args


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", flush=True)


def machine() -> dict:
    mem_kb = next(int(lv.split()[1]) for lv in Path("/proc/meminfo").read_text().splitlines()
                  if lv.startswith("MemTotal:"))
    cpu = next((lv.split(":", 1)[1].strip() for lv in Path("/proc/cpuinfo").read_text().splitlines()
                if lv.startswith("model name")), platform.machine())

    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    import rasa
    return {"date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "commit": git("rev-parse", "--short", "HEAD") or "unknown",
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "cores": os.cpu_count(), "cpu": cpu, "mem_gib": mem_kb / 1024 ** 2,
            "python": platform.python_version(), "rasa": rasa.__version__,
            "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def load_test(name: str, stack: Stack, args, work: Path) -> dict:
    """Cold start, warm-up, the paced levels and the saturation level against one stack."""
    try:
        cold = servers.wait_first_answer(stack)
        stack.wait_ready()
        log(f"{name}: first answer after {cold['cold_start_s']:.1f} s; warming up")
        load.warm_up(stack.url)
        levels = []
        for n in args.levels:
            result = load.run_level(stack.url, n, args.duration, args.think, seed=n, tag=f"{name}{n}",
                                    server_cpu=lambda: servers.cpu(stack))
            log(f"{name}: {n:>3} parents  {result['msg_per_s']:.1f} msg/s  p95 {result['p95_ms'] or 0:.0f} ms"
                f"  errors {result['errors']}")
            levels.append(result)
        saturation = load.run_level(stack.url, args.saturation_parents, args.duration, (0, 0), seed=99,
                                    tag=f"{name}sat", server_cpu=lambda: servers.cpu(stack))
        log(f"{name}: saturation {saturation['msg_per_s']:.1f} msg/s  p95 {saturation['p95_ms'] or 0:.0f} ms")
        out = {"cold": cold, "levels": levels, "saturation": saturation, "resources": servers.resources(stack)}
        if name == "bot" and _profile_wanted(args, out):
            log("bot: profiling the Rasa server with py-spy at saturation")
            seconds = min(args.duration, 30)
            out["profile"] = profile.record(
                stack.rasa.pid, work, "profile-load",
                lambda: load.run_level(stack.url, args.saturation_parents, seconds, (0, 0), seed=7,
                                       tag="profile"))
        if name == "bot":
            log("bot: parsing the emergency sets through /model/parse")
            out["emergencies"] = nlu_eval.emergencies(lambda text: servers.parse(stack, text))
        return out
    finally:
        stack.stop()


def bot_stack(args, work: Path) -> Stack:
    return servers.start(Path(args.model).resolve(), work)


def baseline_stack(model: Path, work: Path) -> Stack:
    """The bare Rasa bot: no custom actions, its own credentials."""
    return servers.start(model, work, BASELINE / "credentials.yml", with_actions=False)


def profile_cold_start(args, work: Path) -> Optional[dict]:
    """A second cold start of the bot with py-spy attached from the first moments."""
    if not profile.available():
        return None
    stack = bot_stack(args, work)
    try:
        time.sleep(0.5)  # let the interpreter start, so py-spy can attach
        sampler = profile.Sampler(stack.rasa.pid, work, "profile-start")
        servers.wait_first_answer(stack)
        return sampler.stop()
    finally:
        stack.stop()


def _profile_wanted(args, result: dict) -> bool:
    if args.profile != "auto":
        return args.profile == "always"
    at = next((lv for lv in result["levels"] if lv["parents"] == TARGET_PARENTS), None)
    slow = at is not None and (at["p95_ms"] or 0) > 100
    return slow or result["saturation"]["msg_per_s"] < 50


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    run_id = datetime.now().strftime("%Y%m%d-%H%M%S") + ("-quick" if args.quick else "")
    work = (ROOT / "var" / "bench" / run_id).resolve()
    work.mkdir(parents=True, exist_ok=True)
    out = Path(args.out) if args.out else (work / "benchmarks.md" if args.quick else ROOT / "docs" / "benchmarks.md")
    results = {"meta": machine(), "training": {}, "load": {}, "nlu": {}, "fresh": None,
               "settings": {"levels": args.levels, "duration_s": args.duration, "think_s": list(args.think),
                            "saturation_parents": args.saturation_parents, "target_parents": TARGET_PARENTS,
                            "conversations": len(load.CONVERSATIONS)}}
    results["meta"]["stamp"] = dataclasses.asdict(sections.measure(sections.LOAD))
    results["meta"]["command"] = "python -m bench.run " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    log(f"run {run_id}: output under {work}")

    if not args.skip_fresh:
        log("fresh clone: make setup, make train, make run until the first answer (empty caches)")
        results["fresh"] = fresh_clone.measure(work / "fresh")
        log(f"fresh clone: set-up {results['fresh']['setup_s']:.0f} s, training "
            f"{results['fresh']['train_s']:.0f} s, first answer after "
            f"{results['fresh']['clone_to_first_answer_s']:.0f} s")
    if not args.skip_train:
        log("training the full model from scratch (temp dir, empty cache); a few minutes")
        results["training"]["bot"] = train(ROOT / "config.yml", ROOT / "domain.yml", ROOT / "data",
                                           work / "train-full", "ocrn")
        log(f"full training: {results['training']['bot']['wall_s']:.0f} s wall")
        Path(results["training"]["bot"]["model"]).unlink(missing_ok=True)
    log("training the baseline bot")
    results["training"]["baseline"] = train(BASELINE / "config.yml", BASELINE / "domain.yml",
                                            BASELINE / "data", work / "baseline", "baseline")

    results["load"]["bot"] = load_test("bot", bot_stack(args, work / "bot"), args, work)
    results["profile"] = results["load"]["bot"].pop("profile", None)
    cold = results["load"]["bot"]["cold"]["cold_start_s"]
    if args.profile == "always" or (args.profile == "auto" and cold > 20):
        log("bot: profiling a second cold start with py-spy")
        results["profile_start"] = profile_cold_start(args, work / "bot-start")
    results["nlu"]["emergencies"] = results["load"]["bot"].pop("emergencies")
    # Both bots store conversations the same way (redacting SQLite store, WAL), so the
    # ratio is the pipeline's cost.
    base = baseline_stack(Path(results["training"]["baseline"]["model"]), work / "baseline-server")
    results["load"]["baseline"] = load_test("baseline", base, args, work)

    log("danger model and rules: CPU per message")
    results["danger"] = danger_eval.latency()
    log(f"danger model: {results['danger']['cpu_ms_per_message']:.2f} ms CPU per message")
    log("rasa test nlu on the held-out set")
    results["nlu"]["heldout"] = nlu_eval.heldout(Path(args.model).resolve(), work / "nlu-heldout")
    if not args.skip_cv:
        log(f"cross-validation, {args.folds} folds (trains {args.folds} models)")
        results["nlu"]["cv"] = nlu_eval.cross_validation(args.folds, work / "nlu-cv", args.cv_per_intent)

    results["meta"]["wall_s"] = time.monotonic() - started
    (work / "results.json").write_text(json.dumps(results, indent=1))
    out.parent.mkdir(parents=True, exist_ok=True)
    report.write(results, out, out.with_name("benchmarks_latency.png"))
    log(f"report: {out} (raw results: {work / 'results.json'})")
    for row in report.targets(results):
        log(f"  {row[3]:>8}  {row[0]}: {row[1]} (target {row[2]})")
    return stale_check(out)


def stale_check(out: Path, root: Path = ROOT) -> int:
    """1, with one loud line each, when the sections this run writes are stale or unstamped.

    The other sections of the page are only named: `make quality` and `make bench-review`
    own them.
    """
    own = sections.check(out, ["load"], root)
    if out.resolve() == sections.PAGE.resolve():
        for line in sections.check(out, [s.name for s in sections.SECTIONS if s.name != "load"], root):
            log(f"note, not this run's: {line}")
    for line in own:
        print(f"STALE {line}", file=sys.stderr, flush=True)
    if own:
        print(f"make bench FAILED: {out} holds {len(own)} stale section(s) this run is responsible for",
              file=sys.stderr, flush=True)
    return 1 if own else 0


if __name__ == "__main__":
    sys.exit(main())
