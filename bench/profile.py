"""Profile the Rasa server with py-spy (bench/requirements.txt) while it is under load.

py-spy samples the server's Python stacks from outside (`record --format raw`, one
line of `frame;frame;... count` per distinct stack). Each sample goes to the area of
the deepest frame on its stack that belongs to a known area, so the shares add up
to 100 % and a wrapper high on every stack (the channel guard, Rasa's engine) only
gets its own time: TensorFlow called from DIET counts as TensorFlow, SQLAlchemy
called from our redacting store as SQL. Also the top leaf functions, and the
inclusive share of imports (start-up).
"""
from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

from launcher.settings import ROOT

PY_SPY = Path(sys.executable).parent / "py-spy"
RATE = 100
OUR_DIRS = ("components", "tracker_store", "channels", "actions")

TF = "TensorFlow / Keras"
# (label, substrings of a frame's file path); first match names a frame's area.
AREAS = [
    ("our code: components/ danger model, rules and safety net",
     [f"{ROOT}/components/{name}" for name in ("danger", "danger_model", "danger_rules", "safety_net")]),
    ("our code: components/input_guard.py", [f"{ROOT}/components/input_guard"]),
    ("our code: components/age_extractor.py", [f"{ROOT}/components/age_extractor"]),
    ("our code: components/ (other)", [f"{ROOT}/components/"]),
    ("our code: tracker_store/ (redaction)", [f"{ROOT}/tracker_store/"]),
    ("our code: channels/ (REST/socketio channels, length cap, action guard)", [f"{ROOT}/channels/"]),
    ("spaCy / thinc", ["/spacy/", "/thinc/"]),
    ("Rasa NLU featurizers", ["rasa/nlu/featurizers/"]),
    ("Rasa DIETClassifier", ["rasa/nlu/classifiers/diet"]),
    ("Rasa TEDPolicy", ["rasa/core/policies/ted_policy"]),
    ("Rasa policies (Rule, Memoization, ensemble)", ["rasa/core/policies/"]),
    (TF, ["/tensorflow/", "/keras/"]),
    ("tracker store: SQL (Rasa + SQLAlchemy + sqlite3)", ["rasa/core/tracker_store.py", "/sqlalchemy/", "/sqlite3/"]),
    ("tracker (de)serialisation, events", ["rasa/shared/core/trackers.py", "rasa/shared/core/events.py"]),
    ("action server call (HTTP client)", ["rasa/utils/endpoints.py", "/aiohttp/"]),
    ("Rasa actions and responses (NLG)", ["rasa/core/actions/", "rasa/core/nlg/"]),
    ("Sanic / HTTP server", ["/sanic/"]),
    ("logging", ["/logging/", "structlog"]),
    ("Rasa engine (graph runner, model loading)", ["rasa/engine/", "rasa/core/agent.py"]),
    ("Rasa message processing (processor, channels, other Rasa)", ["/rasa/"]),
    ("Python imports (importlib itself)", ["<frozen importlib._bootstrap"]),
    ("asyncio event loop", ["/asyncio/", "uvloop"]),
]


def available() -> bool:
    return PY_SPY.is_file() or shutil.which("py-spy") is not None


class Sampler:
    """`py-spy record` attached to a running process until `stop()` (SIGINT makes it write)."""

    def __init__(self, pid: int, out: Path, name: str):
        self.raw, self.log_path = out / f"{name}.raw.txt", out / f"{name}.py-spy.log"
        exe = str(PY_SPY) if PY_SPY.is_file() else "py-spy"
        self.log = open(self.log_path, "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [exe, "record", "--pid", str(pid), "--rate", str(RATE), "--format", "raw",
             "--full-filenames", "--nonblocking", "--output", str(self.raw)],
            stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self) -> dict:
        seconds = time.monotonic() - self.started
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        if not self.raw.is_file():
            return {"error": self.log_path.read_text()[-500:]}
        return summarise(self.raw, seconds)


def record(pid: int, out: Path, name: str, load: Callable[[], None]) -> Optional[dict]:
    """Run `load` while py-spy samples `pid`; None without py-spy."""
    if not available():
        return None
    sampler = Sampler(pid, out, name)
    load()
    return sampler.stop()


def _short(frame: str) -> str:
    frame = frame.replace(str(ROOT) + "/", "")
    return re.sub(r"[^\s(]*/site-packages/", "", frame)


def _area(frame: str) -> Optional[str]:
    return next((label for label, parts in AREAS if any(p in frame for p in parts)), None)


def _deepest_area(frames: list) -> str:
    """The deepest known area; TensorFlow is named with the Rasa model that called it."""
    found = None
    for frame in reversed(frames):
        label = _area(frame)
        if label and not found:
            found = label
            if label != TF:
                return label
        elif label and label != TF:
            return f"{TF}, called by {label}"
    return found or "other (stdlib, third-party)"


def summarise(raw: Path, seconds: float) -> dict:
    total, imports, areas, leaves, ours = 0, 0, Counter(), Counter(), Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n, frames = int(count), stack.split(";")
        total += n
        imports += n * any("<frozen importlib._bootstrap>" in f for f in frames)
        area = _deepest_area(frames)
        areas[area] += n
        leaves[frames[-1].strip()] += n
        if area.startswith("our code"):  # self time of our own code, by function
            ours[_short(next(f for f in reversed(frames) if _area(f) == area))] += n
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    return {
        "samples": total, "seconds": seconds,
        "raw": str(raw.resolve().relative_to(ROOT)) if raw.resolve().is_relative_to(ROOT) else str(raw),
        "busy_share": total / (RATE * seconds) if seconds else None,
        "imports_share": share(imports),
        "areas": [{"area": a, "share": share(n)} for a, n in areas.most_common()],
        "top_leaf_functions": [{"function": _short(f), "share": share(n)}
                               for f, n in leaves.most_common(12)],
        "our_code_frames": [{"frame": f, "share": share(n)} for f, n in ours.most_common(8)],
    }
