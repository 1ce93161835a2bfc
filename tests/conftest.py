"""Shared fixtures: the trained model, and real servers started for the tests."""
import asyncio
from pathlib import Path

import pytest
import yaml

from servers import Bot, current_model, free_port, test_stack

# Shared fixtures: the staff review tool (review, staff, admin) and Chromium (browser).
pytest_plugins = ["review_support", "browser"]


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
def model():
    """The trained model's path; refused when it is older than the data."""
    return current_model()


@pytest.fixture(scope="session")
def agent():
    """The trained model, loaded in-process; refused when it is older than the data."""
    from rasa.core.agent import Agent

    return Agent.load(str(current_model()))


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
def stack(tmp_path_factory, widget_origin):
    """The real action server and Rasa server (REST + socketio, SQLite tracker store)."""
    servers = test_stack(tmp_path_factory.mktemp("servers"), cors=widget_origin).start()
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def bot(stack):
    return Bot.of(stack)


@pytest.fixture(scope="session")
def figures(pytestconfig):
    """Add a line to the "figures" section at the end of the test output (measurements
    the issues ask to report, e.g. axe-core counts; shown without -s too)."""
    pytestconfig.ocrn_figures = getattr(pytestconfig, "ocrn_figures", [])
    return pytestconfig.ocrn_figures.append


def pytest_terminal_summary(terminalreporter, config):
    lines = getattr(config, "ocrn_figures", [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


# Fixtures that need a trained model or start real servers.
_INTEGRATION_FIXTURES = {"model", "agent", "parse", "stack", "bot", "servers", "talks", "review", "staff", "admin"}
_MODULE_MARKS = {"test_bench": "integration", "test_widget": "browser", "test_scale": "scale",
                 "test_review_browser": "browser", "test_review_postgres": "scale",
                 "test_widget_help": "browser", "test_webchat_client": "browser"}


def pytest_collection_modifyitems(items):
    """Give every test one of the markers of pytest.ini, by its module and fixtures:
    `make test-fast` runs `-m unit`, `make test` runs them all."""
    for item in items:
        mark = _MODULE_MARKS.get(item.module.__name__)
        if mark is None:
            mark = "integration" if _INTEGRATION_FIXTURES & set(item.fixturenames) else "unit"
        item.add_marker(mark)
