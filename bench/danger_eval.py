"""Leave-one-writer-out evaluation of the danger model and the danger rules.

    python -m bench.danger_eval                 # the table per kind and per writer
    python -m bench.danger_eval --choose        # also the thresholds the figures suggest

For each independent writer of data/danger/: train on every other writer (and on the
team's sets, which are never held out), then score that writer's messages. A message
gets the emergency answer when a rule fires or P(danger) >= `upper`, the safety
question when lower <= P < upper. Figures: help-line recall (emergency answer or
safety question) and emergency-answer recall on the emergencies; the emergency-answer
and safety-question rates on the look-alikes; per kind, with the worst writer next to
the mean. The thresholds in config.yml were chosen from these out-of-writer scores
(`--choose`, `choose_thresholds`).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from components.danger_model import KINDS, DangerModel, Example, level, load_corpus, load_corpus_file
from components.danger_rules import matching_rule
from launcher.settings import ROOT

CORPUS = ROOT / "data" / "danger"
TEAM_PREFIX = "team_"  # the team's own sets: always trained on, never held out
EMERGENCY_INTENT = "report_emergency"


def nlu_examples(path: Path = ROOT / "data" / "nlu.yml") -> List[Example]:
    """The intent classifier's examples: `report_emergency` as danger, the rest harmless."""
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if "intent" not in block:
            continue
        danger = block["intent"] == EMERGENCY_INTENT
        for line in block["examples"].splitlines():
            text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
            if text:
                out.append(Example(text, danger, None, "team_nlu"))
    return out


def config_thresholds(path: Path = ROOT / "config.yml") -> Tuple[float, float]:
    """(lower, upper) of the DangerClassifier in config.yml."""
    pipeline = yaml.safe_load(path.read_text(encoding="utf-8"))["pipeline"]
    step = next(s for s in pipeline if s["name"].endswith("DangerClassifier"))
    return float(step["lower"]), float(step["upper"])


@dataclass
class Scored:
    example: Example
    probability: float
    rule: Optional[str]

    def level(self, lower: float, upper: float) -> Optional[str]:
        return level(self.probability, self.rule, lower, upper)


def leave_one_writer_out(examples: Sequence[Example], model_args: Optional[dict] = None) -> List[Scored]:
    """Every independent writer's messages, scored by a model trained without that writer."""
    writers = sorted({e.writer for e in examples if not e.writer.startswith(TEAM_PREFIX)})
    scored = []
    for writer in writers:
        train = [e for e in examples if e.writer != writer]
        test = [e for e in examples if e.writer == writer]
        model = DangerModel(**(model_args or {})).fit([e.text for e in train], [e.danger for e in train],
                                                      [e.kind for e in train])
        for example, probability in zip(test, model.probabilities([e.text for e in test])):
            rule = matching_rule(example.text)
            scored.append(Scored(example, probability, rule.id if rule else None))
    return scored


def rates(scored: Sequence[Scored], lower: float, upper: float) -> Dict[str, float]:
    danger = [s for s in scored if s.example.danger]
    safe = [s for s in scored if not s.example.danger]
    levels_d = [s.level(lower, upper) for s in danger]
    levels_s = [s.level(lower, upper) for s in safe]
    share = lambda xs, want: sum(x in want for x in xs) / max(len(xs), 1)  # noqa: E731
    return {"help_recall": share(levels_d, ("emergency", "question")),
            "emergency_recall": share(levels_d, ("emergency",)),
            "lookalike_emergency": share(levels_s, ("emergency",)),
            "lookalike_question": share(levels_s, ("question",)),
            "emergencies": len(danger), "lookalikes": len(safe)}


def table(scored: Sequence[Scored], lower: float, upper: float) -> Dict[str, Dict[str, Dict[str, float]]]:
    """{kind or "all": {"mean": rates, "worst": rates of the worst writer, writer: rates}}."""
    out: Dict[str, Dict[str, Dict[str, float]]] = {}
    for kind in ("all",) + KINDS:
        rows = [s for s in scored if kind == "all" or s.example.kind == kind]
        by_writer = defaultdict(list)
        for s in rows:
            by_writer[s.example.writer].append(s)
        per_writer = {w: rates(rs, lower, upper) for w, rs in sorted(by_writer.items())}
        entry = {"mean": rates(rows, lower, upper), **per_writer}
        # Writers of everyday messages only (no emergencies) count for the look-alikes alone.
        with_danger = [r for r in per_writer.values() if r["emergencies"]]
        with_safe = [r for r in per_writer.values() if r["lookalikes"]]
        entry["worst"] = min(with_danger, key=lambda r: r["help_recall"]) if with_danger else {}
        entry["worst_lookalike"] = max(with_safe, key=lambda r: r["lookalike_emergency"]) if with_safe else {}
        out[kind] = entry
    return out


def choose_thresholds(scored: Sequence[Scored], lookalike_emergency: float = 0.03,
                      lookalike_question: float = 0.08) -> Tuple[float, float]:
    """`upper`: the lowest that gives the emergency answer to at most 3 % of the look-alikes;
    `lower`: the lowest under it that asks the safety question of at most 8 % of them.
    Both on out-of-writer scores; the goals of the issue are 3 % and 10 %."""
    grid = [i / 100 for i in range(2, 99)]
    upper = min((t for t in grid if rates(scored, 0.0, t)["lookalike_emergency"] <= lookalike_emergency),
                default=0.99)
    lower = min((t for t in grid if t <= upper and rates(scored, t, upper)["lookalike_question"]
                 <= lookalike_question), default=upper)
    return lower, upper


def markdown(result: Dict, lower: float, upper: float, writers: List[str]) -> str:
    pct = lambda x: "–" if x is None else f"{x:.3f}"  # noqa: E731
    lines = [f"Thresholds: safety question from P = {lower:.2f}, emergency answer from P = {upper:.2f} "
             f"(or a rule). Writers held out in turn: {', '.join(writers)}.", "",
             "| kind | emergencies | help-line recall (mean / worst writer) | emergency-answer recall "
             "| look-alikes | emergency answer on look-alikes (mean / worst) | safety question on look-alikes |",
             "|---|---|---|---|---|---|---|"]
    for kind, entry in result.items():
        m, w, wl = entry["mean"], entry["worst"], entry["worst_lookalike"]
        lines.append(f"| {kind} | {m['emergencies']} | {pct(m['help_recall'])} / {pct(w.get('help_recall', 0))} "
                     f"| {pct(m['emergency_recall'])} | {m['lookalikes']} | {pct(m['lookalike_emergency'])} / "
                     f"{pct(wl.get('lookalike_emergency', 0))} | {pct(m['lookalike_question'])} |")
    lines += ["", "| writer | emergencies | help-line recall | emergency-answer recall | look-alikes "
              "| emergency answer on look-alikes | safety question on look-alikes |", "|---|---|---|---|---|---|---|"]
    for writer in writers:
        r = result["all"].get(writer)
        if r:
            if not r["emergencies"]:  # a writer of everyday messages only
                r = {**r, "help_recall": None, "emergency_recall": None}
            lines.append(f"| {writer} | {r['emergencies']} | {pct(r['help_recall'])} | {pct(r['emergency_recall'])} "
                         f"| {r['lookalikes']} | {pct(r['lookalike_emergency'])} | {pct(r['lookalike_question'])} |")
    return "\n".join(lines)


def scored_by_model(examples: Sequence[Example], model_path: Path) -> List[Scored]:
    """The examples parsed by the trained Rasa model: what the bot itself decides."""
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()
    out = []
    for example in examples:
        danger = loop.run_until_complete(agent.parse_message(example.text))["danger"]
        out.append(Scored(example, danger["probability"], danger["rule"]))
    loop.close()
    return out


SEALED_HEADING = "## Emergencies: sealed sets"


def _write_sealed(table_text: str, writer: str, messages: int) -> None:
    """Add one sealed set's figures to its section of docs/benchmarks.md, after the earlier ones."""
    from datetime import datetime

    from bench import sections

    start, end = sections.SEALED
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    earlier = page.split(start, 1)[1].split(end, 1)[0].split(SEALED_HEADING, 1)[-1].strip() if start in page else ""
    lower, upper = config_thresholds()
    body = [start, SEALED_HEADING, "", earlier, "",
            f"### {writer}, measured {datetime.now():%Y-%m-%d %H:%M}", "",
            f"Measured once with the frozen model (thresholds {lower:.2f} / {upper:.2f}), by "
            f"`python -m bench.danger_eval --sealed ... --write`: {messages} messages by writer `{writer}`, "
            "written by a helper session that saw neither the rules, the model nor the corpus, kept "
            "outside the project and not opened before this measurement. It joined the training corpus "
            "only afterwards. Reported as it came out.", "", table_text, "", end]
    sections.replace(ROOT / "docs" / "benchmarks.md", sections.SEALED, "\n".join(b for b in body if b is not None))


def latency(messages: int = 1000) -> Dict[str, float]:
    """CPU milliseconds per message of what the DangerClassifier does per message (the
    rules and the model's score), with a model trained as the pipeline trains it."""
    import time

    examples = corpus()
    model = DangerModel().fit([e.text for e in examples], [e.danger for e in examples],
                              [e.kind for e in examples])
    texts = [e.text for e in examples[:messages]]
    start = time.process_time()
    for text in texts:
        matching_rule(text)
        model.score(text)
    return {"cpu_ms_per_message": (time.process_time() - start) * 1000 / len(texts), "messages": len(texts)}


def corpus() -> List[Example]:
    return load_corpus(CORPUS) + nlu_examples()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--choose", action="store_true", help="print the thresholds the scores suggest")
    parser.add_argument("--sealed", help="a writer's file never trained on: parse it with the trained model")
    parser.add_argument("--model", default=str(ROOT / "models" / "ocrn.tar.gz"))
    parser.add_argument("--write", action="store_true",
                        help="with --sealed: write the result into docs/benchmarks.md (measured once)")
    args = parser.parse_args(argv)
    lower, upper = config_thresholds()
    if args.sealed:
        scored = scored_by_model(load_corpus_file(Path(args.sealed)), Path(args.model))
    else:
        scored = leave_one_writer_out(corpus())
    if args.choose:
        lower, upper = choose_thresholds(scored)
        print(f"suggested thresholds: lower {lower:.3f}, upper {upper:.3f}")
    writers = sorted({s.example.writer for s in scored})
    text = markdown(table(scored, lower, upper), lower, upper, writers)
    print(text)
    if args.sealed and args.write:
        _write_sealed(text, Path(args.sealed).stem, len(scored))
    misses = [s for s in scored if s.example.danger and s.level(lower, upper) is None]
    print(f"\n{len(misses)} emergencies without help lines (writer, kind, P):")
    for s in misses[:40]:
        print(f"  {s.example.writer} {s.example.kind} {s.probability:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
