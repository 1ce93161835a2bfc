"""Training the model: when it is needed (the stamp), and with which environment.

The stamp is a hash of everything the trained model depends on: config, domain, the
training data, the custom NLU components, the name of the Dutch spaCy pipeline and the
training environment below. `scripts/train.sh` (`make train`) writes it next to the
model after training; the tests refuse a model whose stamp differs from the one the
files give now (`stale_model_reason`), so they never grade a model trained on other data.

Training environment (`DETERMINISTIC_ENV`). DIET has a fixed `random_seed`. Measured
on the 2-core machine by training the same data twice and parsing 3 800 messages
(docs/testing.md, "Deterministic training"): two trainings gave bit-identical
confidences, also on one core instead of two; what changed them was the number of
TensorFlow threads (TensorFlow takes it from the machine's CPU count unless it is
set) and the CPU's instruction set (oneDNN's matrix kernels: at most 6e-5, no
prediction changed). So the threads are fixed at one each for inter- and intra-op
work (same CPU time; about 20 % more wall time than two threads), with deterministic
TensorFlow ops and a fixed string-hash seed. `TF_ENABLE_ONEDNN_OPTS=0` was tried and
left out: it removed no difference and cost about 18 % more CPU time. Set
`ONEDNN_MAX_CPU_ISA=AVX2` as well to make the matrix kernels the same on every x86-64
machine; it cost about 25 % more CPU time here, so it is not the default.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from launcher.settings import MODEL, QUIET_ENV, RASA, ROOT

STAMP = MODEL.with_suffix("").with_suffix(".stamp")  # models/ocrn.stamp

# Single-threaded TensorFlow, deterministic ops, fixed hash seed.
DETERMINISTIC_ENV = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",  # read by Rasa (rasa/utils/tensorflow/environment.py)
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_DETERMINISTIC_OPS": "1",
    "PYTHONHASHSEED": "0",
}


def stamp_inputs(root: Path = ROOT) -> List[Path]:
    """The files a trained model depends on, in a fixed order."""
    files = [root / "config.yml", root / "domain.yml"]
    files += sorted((root / "data").rglob("*.yml"))
    files += sorted((root / "components").glob("*.py")) + sorted((root / "components").glob("*.yml"))
    return files


def training_stamp(root: Path = ROOT, pipeline: Optional[str] = None) -> str:
    """SHA-256 over the model's inputs (`stamp_inputs`), the training environment and
    the spaCy pipeline's name."""
    if pipeline is None:
        from components.spacy_pipeline import resolve

        pipeline = resolve().name
    digest = hashlib.sha256()
    for path in stamp_inputs(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    digest.update(json.dumps(DETERMINISTIC_ENV, sort_keys=True).encode() + b"\0")
    digest.update(pipeline.encode())
    return digest.hexdigest()


def stale_model_reason(model: Path = MODEL, stamp: Path = STAMP, root: Path = ROOT) -> Optional[str]:
    """Why `model` must not be tested (missing, no stamp, or trained on other files), or None."""
    if not model.is_file():
        return f"No trained model at {model}. Train first: make train"
    if not stamp.is_file():
        return (f"{model} has no training stamp ({stamp.name}): it was not trained by "
                f"`make train`. Train it with: make train")
    if stamp.read_text().strip() != training_stamp(root):
        return (f"{model} is older than the data: config, domain, data/, components/ or the "
                f"spaCy pipeline changed since it was trained. Train again: make train")
    return None


def training_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """This process's environment with the quiet and the deterministic settings on top."""
    return {**os.environ, **QUIET_ENV, **DETERMINISTIC_ENV, **(extra or {})}


def rasa_train_command(out: Path, name: str, extra: Iterable[str] = ()) -> List[str]:
    return [RASA, "train", "--fixed-model-name", name, "--out", str(out), "--force", *extra]


def train(force: bool = False) -> int:
    """Train into models/ unless the stamp says nothing changed; write the stamp after."""
    want = training_stamp()
    if not force and stale_model_reason() is None:
        print(f"[train] Nothing changed since the last training: using {MODEL.relative_to(ROOT)}")
        return 0
    from components.spacy_pipeline import resolve

    print(f"[train] Training the model (spaCy pipeline: {resolve().name}). This takes a few minutes.")
    start = time.monotonic()
    proc = subprocess.run(rasa_train_command(MODEL.parent, MODEL.name.split(".")[0]),
                          cwd=ROOT, env=training_env())
    if proc.returncode != 0:
        return proc.returncode
    STAMP.write_text(want + "\n")
    print(f"[train] Done in {time.monotonic() - start:.0f} s: {MODEL.relative_to(ROOT)}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Train the model when its inputs changed.")
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--print-stamp", action="store_true", help="print the stamp and exit")
    args = parser.parse_args(argv)
    if args.print_stamp:
        print(training_stamp())
        return 0
    return train(force=args.force)


if __name__ == "__main__":
    sys.exit(main())
