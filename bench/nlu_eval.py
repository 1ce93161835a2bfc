"""NLU figures: `rasa test nlu` on the held-out file, cross-validation, and the emergencies.

Emergencies: the SafetyNet and the InputGuard only replace `intent`; they never touch
`intent_ranking`, which stays as DIET (and the FallbackClassifier, which puts
`nlu_fallback` first when it fires) left it. So on one parse of the real model,
`intent_ranking[0]` is what the classifier alone would have answered, the output key
`safety_net` says whether the net fired, and `intent` is what the bot acted on.
"""
from __future__ import annotations

import json
import random
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import yaml

from launcher.settings import RASA, ROOT, server_env

HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
TRAINING = ROOT / "data" / "nlu.yml"
EMERGENCY = "report_emergency"


def examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU YAML file."""
    pairs = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block.get("examples", "").splitlines():
            if line.strip().startswith("- "):
                pairs.append((line.strip()[2:].strip(), block["intent"]))
    return pairs


def _rasa_test(args: List[str], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    env = {**server_env(), "RASA_CACHE_DIRECTORY": str(out / "cache")}
    t0 = time.monotonic()
    with open(out / "rasa-test.log", "w") as log:
        proc = subprocess.run([RASA, "test", "nlu", "--out", str(out), *args], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"rasa test nlu failed:\n{(out / 'rasa-test.log').read_text()[-3000:]}")
    return time.monotonic() - t0


def _summary(out: Path) -> dict:
    report = json.loads((out / "intent_report.json").read_text())
    intents = {k: v for k, v in report.items()
               if isinstance(v, dict) and "f1-score" in v and not k.endswith(" avg")
               and v.get("support", 0) > 0}
    worst = sorted(intents.items(), key=lambda kv: (kv[1]["f1-score"], kv[0]))[:5]
    errors_file = out / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.is_file() else []
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro avg"]["f1-score"],
        "examples": report["macro avg"]["support"],
        "worst": [{"intent": k, "f1": v["f1-score"], "precision": v["precision"],
                   "recall": v["recall"], "support": v["support"]} for k, v in worst],
        "confusions": [{"intent": a, "predicted": b, "count": n} for (a, b), n in pairs.most_common(10)],
    }


def heldout(model: Path, out: Path) -> dict:
    seconds = _rasa_test(["--nlu", str(HELDOUT), "--model", str(model)], out)
    return {**_summary(out), "seconds": seconds}


def cross_validation(folds: int, out: Path, per_intent: Optional[int] = None) -> dict:
    """`rasa test nlu --cross-validation` with config.yml; optionally on a per-intent sample."""
    data = TRAINING
    if per_intent:
        rng, by_intent = random.Random(42), {}
        for text, intent in examples(TRAINING):
            by_intent.setdefault(intent, []).append(text)
        sample = [{"intent": i, "examples": "".join(f"- {t}\n" for t in rng.sample(ts, min(per_intent, len(ts))))}
                  for i, ts in by_intent.items()]
        out.mkdir(parents=True, exist_ok=True)
        data = out / "nlu_sample.yml"
        data.write_text(yaml.safe_dump({"version": "3.1", "nlu": sample}, allow_unicode=True))
    seconds = _rasa_test(["--nlu", str(data), "--config", str(ROOT / "config.yml"),
                          "--cross-validation", "--folds", str(folds), "--no-plot"], out)
    return {**_summary(out), "seconds": seconds, "folds": folds, "per_intent": per_intent}


def emergencies(parse: Callable[[str], dict]) -> dict:
    """Who catches the emergencies: the classifier alone, the safety net, both, or neither."""
    training = {text.lower() for text, _ in examples(TRAINING)}
    sets = {
        "held-out report_emergency": [t for t, i in examples(HELDOUT) if i == EMERGENCY],
    }
    out = {}
    for name, texts in sets.items():
        counts = Counter()
        missed = []
        for text in texts:
            result = parse(text)
            by_classifier = (result.get("intent_ranking") or [{}])[0].get("name") == EMERGENCY
            by_net = bool(result.get("safety_net"))
            counts["classifier"] += by_classifier
            counts["safety_net"] += by_net
            counts["only_net"] += by_net and not by_classifier
            counts["only_classifier"] += by_classifier and not by_net
            counts["final"] += result["intent"]["name"] == EMERGENCY
            if result["intent"]["name"] != EMERGENCY:
                missed.append(text)
        out[name] = {"n": len(texts), **counts, "missed": missed,
                     "in_training_data": sum(t.lower() in training for t in texts)}
    return out
