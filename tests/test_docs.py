"""The docs a newcomer relies on stay true: every intent is documented and tested."""
import re

import pytest
import yaml

from launcher.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
INTENTS = sorted(DOMAIN["intents"])
INTENTS_DOC = (ROOT / "docs" / "intents.md").read_text(encoding="utf-8")
STORIES = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text(encoding="utf-8"))["stories"]
TESTED = {step["intent"] for story in STORIES for step in story["steps"] if "intent" in step}


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_a_row_in_docs_intents(intent):
    assert re.search(rf"^\| `{intent}` \|", INTENTS_DOC, flags=re.M), f"add a row for {intent} to docs/intents.md"


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_a_test_story(intent):
    assert intent in TESTED, f"add a story with {intent} to tests/test_stories.yml"


def test_docs_intents_names_no_intent_that_is_gone():
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", INTENTS_DOC, flags=re.M))
    assert documented - set(INTENTS) == set()


def test_readme_is_a_short_map_whose_links_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
    assert "make run" in readme and "make test" in readme
