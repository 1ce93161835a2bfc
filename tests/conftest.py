"""Shared fixtures: the trained model, and real servers started for the tests."""
import asyncio
import sys
from pathlib import Path

import pytest
import yaml

# Server start-up lives in tests/servers.py (also used by tests/test_faults.py);
# `Bot` stays importable from here.
from servers import Bot, Servers  # noqa: F401
from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "ocrn.tar.gz"
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def nlu_examples(path: Path):
    """(text, intent) pairs of a Rasa NLU YAML file."""
    pairs = []
    for block in load_yaml(path)["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()
            if text.startswith("- "):
                pairs.append((text[2:].strip(), block["intent"]))
    return pairs


@pytest.fixture(scope="session")
def agent():
    """The trained model, loaded in-process."""
    from rasa.core.agent import Agent

    assert MODEL.is_file(), "Train first: make train"
    return Agent.load(str(MODEL))


@pytest.fixture(scope="session")
def parse(agent):
    loop = asyncio.new_event_loop()

    def _parse(text):
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()


@pytest.fixture(scope="session")
def widget_origin():
    """Where tests/test_widget.py serves the widget page; the Rasa server allows it (CORS)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def bot(tmp_path_factory, widget_origin):
    """Start the real action server and Rasa server (REST + socketio, SQLite tracker store)."""
    servers = Servers(tmp_path_factory.mktemp("servers"), cors=widget_origin).start()
    yield servers.bot
    servers.stop()
