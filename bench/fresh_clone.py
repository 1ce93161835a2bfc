"""What a newcomer waits for: a fresh clone, `make run`, the first answer.

Clones the repository's HEAD into a temp folder and, with empty uv, pip and npm caches,
times `make setup` (everything before training), `make train`, and `make run` until the
REST channel gives its first answer; then stops it and times a second `make run` with
nothing changed. The servers get free ports, so a running `make run` is not disturbed.

    python -m bench.fresh_clone [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict

import requests

from launcher.settings import ROOT
from launcher.stack import free_port


def _timed(cmd, cwd: Path, env: Dict[str, str], log: Path) -> float:
    started = time.monotonic()
    with open(log, "w") as out:
        result = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{log.read_text()[-3000:]}")
    return time.monotonic() - started


def _run_until_first_answer(clone: Path, env: Dict[str, str], log: Path, timeout: float = 600) -> float:
    """Start `make run`, return the seconds until the REST channel answers, stop it."""
    url = f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook"
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while time.monotonic() - started < timeout and proc.poll() is None:
                try:
                    reply = requests.post(url, json={"sender": "fresh", "message": "hoi"}, timeout=30)
                    if reply.ok and reply.json():
                        return time.monotonic() - started
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            raise RuntimeError(f"make run gave no answer:\n{log.read_text()[-3000:]}")
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def measure(work: Path) -> Dict[str, float]:
    clone = work / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    caches = {"UV_CACHE_DIR": work / "uv-cache", "PIP_CACHE_DIR": work / "pip-cache",
              "npm_config_cache": work / "npm-cache"}
    env = {**os.environ, **{key: str(path) for key, path in caches.items()},
           "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
           "WIDGET_PORT": str(free_port()), "REVIEW_AUTOSTART": "0"}
    env.pop("RASA_AUTH_TOKEN", None)
    setup = _timed(["make", "setup"], clone, env, work / "setup.log")
    train = _timed(["make", "train"], clone, env, work / "train.log")
    first = _run_until_first_answer(clone, env, work / "run1.log")
    second = _run_until_first_answer(clone, env, work / "run2.log")
    return {"setup_s": setup, "train_s": train, "first_run_s": first,
            "clone_to_first_answer_s": setup + train + first, "second_run_s": second}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ocrn-fresh-"))
    try:
        figures = measure(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
