"""`rasa train` into a temp dir, timed: wall clock and CPU time of the training process."""
from __future__ import annotations

import resource
import subprocess
import time
from pathlib import Path

from launcher.settings import RASA, ROOT, server_env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def train(config: Path, domain: Path, data: Path, out: Path, name: str) -> dict:
    """Train from scratch: a fresh Rasa cache dir (RASA_CACHE_DIRECTORY) and --force."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    env = {**server_env(), "RASA_CACHE_DIRECTORY": str(out / "cache")}
    cmd = [RASA, "train", "--config", str(config), "--domain", str(domain), "--data", str(data),
           "--out", str(out), "--fixed-model-name", name, "--force"]
    cpu0, t0 = _children_cpu(), time.monotonic()
    with open(out / f"train-{name}.log", "w") as log:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wall, cpu = time.monotonic() - t0, _children_cpu() - cpu0
    if proc.returncode != 0:
        tail = (out / f"train-{name}.log").read_text()[-3000:]
        raise RuntimeError(f"rasa train ({name}) failed:\n{tail}")
    return {"model": str(out / f"{name}.tar.gz"), "wall_s": wall, "cpu_s": cpu}
