"""`make run` itself leaves the SQLite tracker database and its -wal/-shm private (0600).

Issue 19 found var/tracker.db and its side files 0644 after `make run`: the launcher's
check for staff accounts created the file before the servers' private umask applied, and
only var/ being 0700 kept it from other users. Here `python -m launcher run` (what `make
run` runs once the model is trained) starts under the usual umask 022 with its database in
a folder anyone may read, answers one message, and the modes are read while it runs and
after Ctrl-C.
"""
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

from launcher import procs
from launcher.client import Bot
from launcher.settings import ROOT
from launcher.stack import free_port, sqlite_endpoints

READY = "De OCRN-chatassistent draait"
START_TIMEOUT = 300  # seconds: Rasa loads the model on a busy two-core machine


def _modes(db: Path) -> dict:
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return {path.name: oct(stat.S_IMODE(path.stat().st_mode)) if path.exists() else "missing" for path in files}


def _wait_for_line(log: Path, line: str, process: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if line in log.read_text(errors="replace"):
            return True
        time.sleep(1)
    return False


def test_make_run_leaves_the_database_and_its_side_files_private(model, tmp_path):
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o755)  # unlike var/ (0700): the files must be private on their own
    db = open_folder / "tracker.db"
    rasa_port, action_port, widget_port, review_port = (free_port() for _ in range(4))
    endpoints = sqlite_endpoints(tmp_path / "endpoints.yml", db, action_port)
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port),
           "WIDGET_PORT": str(widget_port), "REVIEW_PORT": str(review_port), "RASA_ENDPOINTS": str(endpoints),
           "RASA_AUTH_TOKEN": "test-token", "REVIEW_AUTOSTART": "auto"}
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        launcher = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "-m", "launcher", "run"], cwd=ROOT,
                                    env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                    umask=0o022)
    try:
        assert _wait_for_line(log, READY, launcher, START_TIMEOUT), log.read_text(errors="replace")[-3000:]
        # Answered, so the turn is stored: the store's pooled connection keeps -wal and -shm.
        assert Bot(f"http://127.0.0.1:{rasa_port}", "test-token").send("file-modes", "Wat is hechting?", timeout=60)
        running = _modes(db)
        launcher.send_signal(signal.SIGINT)  # Ctrl-C
        launcher.wait(timeout=60)
        stopped = _modes(db)
    finally:
        for pid in procs.descendants(launcher.pid) + [launcher.pid]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    print(f"\nfile modes while `launcher run` runs: {running}; after Ctrl-C: {stopped}")
    assert running == {"tracker.db": "0o600", "tracker.db-wal": "0o600", "tracker.db-shm": "0o600"}
    assert stopped["tracker.db"] == "0o600"
    assert all(mode in ("0o600", "missing") for mode in stopped.values())  # SQLite removes them at the last close
