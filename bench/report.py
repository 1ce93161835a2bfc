"""Write docs/benchmarks.md and the latency chart from a run's results.json.

Also usable alone, to re-render a finished run: python -m bench.report var/bench/<run>/results.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullLocator  # noqa: E402

from bench import sections  # noqa: E402

RSS_LIMIT_MB = 1536  # 1.5 GiB


def _f(value, digits=0, unit=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def _level(side: dict, parents: int) -> Optional[dict]:
    return next((lv for lv in side.get("levels", []) if lv["parents"] == parents), None)


def targets(r: dict) -> List[tuple]:
    """(figure, value, target, pass/miss) rows."""
    rows = []
    bot, base = r["load"].get("bot", {}), r["load"].get("baseline", {})
    at = r["settings"]["target_parents"]
    lb, lf = _level(bot, at), _level(base, at)

    def row(name, value, shown, target, ok):
        rows.append((name, shown, target, "n/a" if value is None else ("pass" if ok else "**miss**")))

    p95 = lb and lb["p95_ms"]
    row(f"p95 latency at {at} concurrent parents", p95, _f(p95, 0, " ms"), "≤ 100 ms", p95 is not None and p95 <= 100)
    sat = bot.get("saturation", {}).get("msg_per_s")
    row("capacity (saturation, no think time)", sat, _f(sat, 1, " msg/s"), "≥ 50 msg/s", sat is not None and sat >= 50)
    ratio = lb and lf and lf["p95_ms"] and lb["p95_ms"] / lf["p95_ms"]
    row(f"p95 at {at} parents / baseline's", ratio, _f(ratio, 2, "×"), "≤ 1.5×", ratio is not None and ratio <= 1.5)
    train = (r["training"].get("bot") or {}).get("wall_s")
    row("training from scratch (wall)", train, _f(train, 0, " s"), "≤ 180 s", train is not None and train <= 180)
    cold = bot.get("cold", {}).get("cold_start_s")
    row("cold start (spawn → first REST answer)", cold, _f(cold, 1, " s"), "≤ 20 s", cold is not None and cold <= 20)
    fresh = r.get("fresh") or {}
    setup = fresh.get("setup_s")
    row("fresh clone: set-up before training (`make setup`)", setup, _f(setup, 0, " s"), "≤ 120 s",
        setup is not None and setup <= 120)
    first = fresh.get("clone_to_first_answer_s")
    row("fresh clone to first answer (set-up + training + start)", first, _f(first, 0, " s"),
        "≤ 360 s (training ≤ 180 s)", first is not None and first <= 360)
    again = fresh.get("second_run_s")
    row("second `make run`, nothing changed, to first answer", again, _f(again, 0, " s"),
        "≤ 30 s + cold start", again is not None and cold is not None and again <= 30 + cold)
    rss = bot.get("resources", {}).get("rasa_peak_rss_mb")
    row("peak RSS, Rasa server", rss, _f(rss, 0, " MiB"), "≤ 1.5 GiB (1536 MiB)",
        rss is not None and rss <= RSS_LIMIT_MB)
    danger_ms = (r.get("danger") or {}).get("cpu_ms_per_message")
    row("danger model and rules, CPU per message", danger_ms, _f(danger_ms, 2, " ms"), "≤ 5 ms",
        danger_ms is not None and danger_ms <= 5)
    acc = (r["nlu"].get("heldout") or {}).get("accuracy")
    row("NLU held-out intent accuracy", acc, _f(acc, 3), "≥ 0.95", acc is not None and acc >= 0.95)
    cv = r["nlu"].get("cv") or {}
    label = "NLU cross-validation macro-F1"
    if cv and (cv.get("folds") != 5 or cv.get("per_intent")):
        sample = f", sample of {cv['per_intent']}/intent" if cv.get("per_intent") else ""
        label += f" ({cv['folds']} folds{sample}: not the target setting)"
    f1 = cv.get("macro_f1")
    row(label, f1, _f(f1, 3), "≥ 0.90 (5 folds)", f1 is not None and f1 >= 0.90)
    return rows


def chart(r: dict, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for name, colour in (("bot", "tab:red"), ("baseline", "tab:blue")):
        levels = r["load"].get(name, {}).get("levels", [])
        if not levels:
            continue
        x = [lv["parents"] for lv in levels]
        ax.plot(x, [lv["p95_ms"] for lv in levels], "o-", color=colour, label=f"{name} p95")
        ax.plot(x, [lv["p50_ms"] for lv in levels], "s--", color=colour, alpha=0.6, label=f"{name} p50")
    ax.axhline(100, color="grey", linestyle=":", label="target p95 100 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = sorted({lv["parents"] for s in r["load"].values() for lv in s.get("levels", [])})
    ax.set_xticks(ticks)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if str(v)[0] in "25" else ""))
    ax.set_xlabel("concurrent parents (think time %g–%g s)" % tuple(r["settings"]["think_s"]))
    ax.set_ylabel("latency per message (ms)")
    ax.set_title("REST latency vs concurrency: OCRN bot and minimal Rasa baseline")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _table(header: List[str], rows: List[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _load_rows(r: dict) -> List[list]:
    rows = []
    for name in ("bot", "baseline"):
        side = r["load"].get(name)
        if not side:
            continue
        other = r["load"].get("baseline" if name == "bot" else "bot", {})
        for lv in side["levels"] + [dict(side["saturation"], saturation=True)]:
            ref = other.get("saturation") if lv.get("saturation") else _level(other, lv["parents"])
            ratio = ref and ref.get("p95_ms") and name == "bot" and lv["p95_ms"] / ref["p95_ms"]
            rows.append([name, f"{lv['parents']}" + (" (no think time)" if lv.get("saturation") else ""),
                         _f(lv["msg_per_s"], 1), _f(lv["p50_ms"]), _f(lv["p95_ms"]), _f(lv["p99_ms"]),
                         _f(lv["max_ms"]), f"{lv['errors']}" + (f" {lv['error_kinds']}" if lv["errors"] else ""),
                         _f(lv.get("server_cpu_ms_per_msg"), 1), _f(lv.get("client_cpu_ms_per_msg"), 1),
                         _f(ratio, 2, "×") if ratio else ""])
    return rows


def _findings(r: dict) -> List[str]:
    """Causes the data itself shows, so they stay true for every run."""
    out = []
    bot, base = r["load"].get("bot", {}), r["load"].get("baseline", {})
    b, f = bot.get("saturation", {}), base.get("saturation", {})
    if b.get("server_cpu_ms_per_msg") and f.get("server_cpu_ms_per_msg"):
        out.append(
            f"Server CPU per message at saturation: bot {b['server_cpu_ms_per_msg']:.1f} ms (Rasa + action "
            f"server), baseline {f['server_cpu_ms_per_msg']:.1f} ms. Rasa handles messages on one asyncio "
            f"event loop, so one instance cannot go beyond about 1000 / (CPU ms per message) ≈ "
            f"{1000 / b['server_cpu_ms_per_msg']:.0f} msg/s for the bot and ≈ "
            f"{1000 / f['server_cpu_ms_per_msg']:.0f} msg/s for the baseline; waits that block the loop "
            f"(SQLite commits) and the load client's and other processes' share of the 2 cores lower it further.")
    prof = r.get("profile")
    if prof and prof.get("areas"):
        top = ", ".join(f"{a['area']} {a['share']:.0%}" for a in prof["areas"][:6])
        out.append(f"Where the bot's Rasa server spends its time at saturation (py-spy): {top}.")
    start = r.get("profile_start")
    if start and start.get("areas"):
        top = ", ".join(f"{a['area']} {a['share']:.0%}" for a in start["areas"][:5])
        out.append(f"Where a cold start spends its time (py-spy): {top}.")
    return out


def _profile_section(title: str, prof: Optional[dict]) -> List[str]:
    if not prof or not prof.get("areas"):
        reason = (prof or {}).get("error", "target met, or --profile never")
        return [f"### {title}", "", f"Not profiled ({reason}).", ""] if prof else []
    lines = [f"### {title}", "",
             f"py-spy, {prof['samples']} samples over {prof.get('seconds', 0):.0f} s (raw stacks: `{prof['raw']}`). "
             "Each sample counts for the deepest area of code on its stack (TensorFlow is named with the "
             "Rasa model that called it), so the shares add up to 100 %"
             + (f"; {prof['imports_share']:.0%} of the samples are under Python imports"
                if prof.get("imports_share", 0) > 0.01 else "")
             + ".", "",
             _table(["area", "share of samples"], [[a["area"], f"{a['share']:.1%}"] for a in prof["areas"]
                                                  if a["share"] >= 0.001]),
             "", "Top leaf functions (self time):", "",
             _table(["function", "share"], [[f"`{x['function']}`", f"{x['share']:.1%}"]
                                            for x in prof["top_leaf_functions"]]), ""]
    if prof["our_code_frames"]:
        lines += ["Deepest frame of our own code (components/, tracker_store/, channels/, actions/) on the stack:", "",
                  _table(["frame", "share"], [[f"`{x['frame']}`", f"{x['share']:.1%}"]
                                              for x in prof["our_code_frames"] if x["share"] >= 0.001]), ""]
    return lines


def _emergency_rows(r: dict) -> List[list]:
    rows = []
    for name, e in (r["nlu"].get("emergencies") or {}).items():
        n = e["n"] or 1
        rows.append([name, e["n"], f"{e['classifier']} ({e['classifier'] / n:.0%})",
                     f"{e['safety_net']} ({e['safety_net'] / n:.0%})", e["only_net"], e["only_classifier"],
                     f"{e['final']} ({e['final'] / n:.0%})", e["in_training_data"]])
    return rows


def _nlu_section(title: str, s: dict) -> List[str]:
    lines = [f"### {title}", "",
             f"Intent accuracy **{s['accuracy']:.3f}**, macro-F1 **{s['macro_f1']:.3f}** on {s['examples']} "
             f"messages ({s['seconds']:.0f} s).", "", "Worst five intents:", "",
             _table(["intent", "F1", "precision", "recall", "examples"],
                    [[w["intent"], f"{w['f1']:.3f}", f"{w['precision']:.3f}", f"{w['recall']:.3f}", w["support"]]
                     for w in s["worst"]]), "", "Most frequent confusions (true → predicted):", "",
             _table(["true intent", "predicted", "count"],
                    [[c["intent"], c["predicted"], c["count"]] for c in s["confusions"]]), ""]
    return lines


def write(r: dict, out: Path, chart_path: Path) -> None:
    m, s = r["meta"], r["settings"]
    chart(r, chart_path)
    lines = [
        sections.LOAD[0], "# Benchmarks and evaluation", "",
        f"Generated by `bench/run.py` (`make bench`): run `{m['command']}`, which took "
        f"{m['wall_s'] / 60:.1f} min. Do not edit by hand: run `make bench` again.", "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['mem_gib']:.1f} GiB memory, Python {m['python']}, "
        f"Rasa {m['rasa']}. Load average at the start: {m['loadavg']} (other work on the machine makes every "
        f"figure noisier).", "",
        "## Targets", "",
        _table(["figure", "value", "target", "result"], targets(r)), "",
        "## Load over the REST channel", "",
        f"Each simulated parent holds a real multi-turn conversation ({s['conversations']} scripted paths: "
        f"worried parent → age → aanmelden (action server), teacher, emergency in mid-conversation, "
        f"feedback buttons…) over `/webhooks/rest/webhook`, then starts a new one with a new sender id, for "
        f"{s['duration_s']:.0f} s per level; think time between a parent's messages is uniform "
        f"{s['think_s'][0]:g}–{s['think_s'][1]:g} s (compressed: real parents take 10–60 s to read and type, "
        f"so N parents here are several times N real ones). The saturation row has "
        f"{s['saturation_parents']} parents and no think time: the instance's capacity. Servers as `make run` "
        f"starts them (`rasa run --enable-api`, token from the environment, SQLite tracker store in a "
        f"temp dir, action server) "
        f"on loopback, each warmed up with one pass of every conversation. Latency is client-side, per "
        f"message. The **baseline** is a minimal Rasa bot (`bench/baseline/`: whitespace tokens, word counts, "
        f"logistic regression, RulePolicy, the same SQLite tracker store, no action server) under the same load.", "",
        _table(["bot", "parents", "msg/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
                "server CPU ms/msg", "client CPU ms/msg", "p95 / baseline"], _load_rows(r)), "",
        f"![latency versus concurrency]({chart_path.name})", "",
    ]
    findings = _findings(r)
    if findings:
        lines += ["Findings:", ""] + [f"- {f}" for f in findings] + [""]
    lines += _profile_section("Profile of the Rasa server at saturation", r.get("profile"))
    lines += _profile_section("Profile of a cold start (spawn until the first answer)", r.get("profile_start"))
    res_rows = []
    for name in ("bot", "baseline"):
        side = r["load"].get(name)
        if side:
            res = side["resources"]
            res_rows.append([name, _f(side["cold"]["cold_start_s"], 1, " s"),
                             _f(side["cold"]["first_reply_s"] * 1000, 0, " ms"),
                             _f(res.get("rasa_peak_rss_mb"), 0, " MiB"),
                             _f(res.get("actions_peak_rss_mb"), 0, " MiB") if "actions_peak_rss_mb" in res else "—"])
    train_rows = [[name, _f(t["wall_s"], 0, " s"), _f(t["cpu_s"], 0, " s")]
                  for name, t in r["training"].items() if t]
    lines += [
        "## Resources", "",
        "Cold start: from spawning `rasa run` until the first answer over REST (the model is loaded "
        "before the server listens). Peak RSS: `VmHWM` from `/proc/<pid>/status` after the load test.", "",
        _table(["bot", "cold start", "first answer itself", "peak RSS Rasa server", "peak RSS action server"],
               res_rows), "",
        "Training from scratch: `rasa train --force` of the project's config, domain and data into a temp "
        "dir with an empty Rasa cache (`RASA_CACHE_DIRECTORY`); CPU is user + system time of the process.", "",
        _table(["model", "wall", "CPU"], train_rows) if train_rows else "(training skipped: --skip-train)", "",
    ]
    if r.get("fresh"):
        f = r["fresh"]
        lines += [
            "## A newcomer's first `make run`", "",
            "`bench/fresh_clone.py`: `git clone` of HEAD into a temp folder, with empty uv, pip and npm "
            "caches, then `make setup` (virtual environment from the hash-checked lock, spaCy pipeline, "
            "widget packages), `make train`, and `make run` until the REST channel answers; then a second "
            "`make run` with nothing changed.", "",
            _table(["step", "time"], [["`make setup` (everything before training)", _f(f["setup_s"], 0, " s")],
                                      ["`make train`", _f(f["train_s"], 0, " s")],
                                      ["`make run` until the first answer", _f(f["first_run_s"], 0, " s")],
                                      ["**clone to first answer**", _f(f["clone_to_first_answer_s"], 0, " s")],
                                      ["second `make run` until the first answer", _f(f["second_run_s"], 0, " s")]]),
            "",
        ]
    lines += ["## NLU", ""]
    nlu = r["nlu"]
    if nlu.get("heldout"):
        lines += _nlu_section("Held-out set (`tests/nlu_heldout.yml`, `rasa test nlu`)", nlu["heldout"])
    if nlu.get("cv"):
        cv = nlu["cv"]
        extra = f", on a sample of {cv['per_intent']} examples per intent" if cv.get("per_intent") else ""
        lines += _nlu_section(f"Cross-validation on `data/nlu.yml` ({cv['folds']} folds, `config.yml`{extra})", cv)
    else:
        lines += ["Cross-validation skipped (--skip-cv or --quick).", ""]
    if nlu.get("emergencies"):
        lines += [
            "### Emergencies: safety net versus classifier", "",
            "Each message is parsed once by the running bot (`/model/parse`). The SafetyNet and InputGuard "
            "replace only `intent`, never `intent_ranking`, so `intent_ranking[0]` is what the classifier "
            "(DIET, with the FallbackClassifier's threshold) answered on its own; the output key "
            "`safety_net` says the net fired; `intent` is what the bot acted on. \"In training data\": "
            "messages that also occur verbatim in `data/nlu.yml` (the classifier has seen them).", "",
            _table(["set", "messages", "classifier alone", "safety net fired", "only the net", "only the classifier",
                    "bot answered report_emergency", "in training data"], _emergency_rows(r)), "",
        ]
        for name, e in nlu["emergencies"].items():
            if e["missed"]:
                lines += [f"Missed in {name}: " + "; ".join(f"\"{t}\"" for t in e["missed"]), ""]
    carried = sections.kept(out)  # e.g. `make bench-review`'s section
    out.write_text(carried + "\n" if carried else "", encoding="utf-8")
    sections.replace(out, sections.LOAD, "\n".join(lines + [sections.LOAD[1]]), measured=stamp(m), top=True)


def stamp(meta: dict) -> sections.Stamp:
    """The commit the run measured: taken at its start (results of older runs: their meta)."""
    if "stamp" in meta:
        return sections.Stamp(**meta["stamp"])
    return sections.Stamp(meta["commit"], meta["dirty"], meta["date"][:16])


if __name__ == "__main__":
    results = json.loads(Path(sys.argv[1]).read_text())
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs/benchmarks.md")
    write(results, target, target.with_name("benchmarks_latency.png"))
