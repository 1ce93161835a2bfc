"""Every name in actions/names.py exists in domain.yml (or is Rasa's own)."""
import pytest
import yaml

from actions import names
from launcher.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
# *_KEY names are keys of the parse data, *_KIND kinds of follow-up: not names of the domain.
NAMES = {key: value for key, value in vars(names).items()
         if key.isupper() and isinstance(value, str) and not key.endswith(("_KEY", "_KIND"))}


def _declared(key: str) -> set:
    if key.endswith("_INTENT"):
        return set(DOMAIN["intents"])
    if key.endswith("_RESPONSE"):
        return set(DOMAIN["responses"])
    if key.endswith("_ACTION"):
        return set(DOMAIN.get("actions", []))
    return set(DOMAIN["slots"]) | set(DOMAIN.get("entities", []))


@pytest.mark.parametrize("key", sorted(NAMES))
def test_name_is_declared_in_the_domain(key):
    value = NAMES[key]
    assert value in names.RASA_BUILTIN or value in _declared(key), f"{key} = {value!r} not in domain.yml"


def test_age_band_is_both_slot_and_entity():
    assert names.AGE_BAND in DOMAIN["slots"] and names.AGE_BAND in DOMAIN["entities"]
