"""Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright, headless.

Loaded as a plugin by tests/conftest.py: a module that needs a browser asks for the
`browser` fixture (the widget tests and the review tool's browser tests).
"""
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parent / "output"


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "Chromium missing: run bash scripts/setup_web.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as tests/output/<name>.png (for people to look at)."""
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
