"""The content register: where each answer in domain.yml comes from.

content/register.yml maps each response name to an entry, or, for a response with
several variants (utter_age_band_note), to a list with one entry per variant in
domain order. An entry has `source:` (sentences or fragments quoted literally from
the practice's page) and/or `addition:` (why text that is not on the page is there).
An answer with both is page text plus an addition, such as a plain explanation of a
hard word or a help line.

It lives here, not in data/, because Rasa reads every YAML file under data/ as
training data and scripts/train.sh retrains when one of them changes.
"""
import os
import re
from pathlib import Path
from typing import Iterator, List, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "domain.yml"
REGISTER = ROOT / "content" / "register.yml"
# The practice's page: shared/ beside the repository, unless OCRN_CONTENT_PAGE names it.
PAGE = Path(os.environ.get("OCRN_CONTENT_PAGE") or ROOT.parent / "shared" / "content" / "hechtingsproblemen.txt")


def page_text() -> str:
    """The practice's page; one clear line when it is not where it is expected."""
    if not PAGE.is_file():
        raise FileNotFoundError(f"The practice's page is expected at {PAGE} (shared/ beside the "
                                "repository); set OCRN_CONTENT_PAGE to its path")
    return PAGE.read_text(encoding="utf-8")

KEYS = {"source", "addition"}


class Answer(NamedTuple):
    """One variant of a response, with its register entry."""
    name: str
    index: int
    variant: dict
    entry: dict


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    """Whitespace only: line breaks and runs of spaces become one space."""
    return re.sub(r"\s+", " ", text).strip()


def entries_of(value) -> list:
    return value if isinstance(value, list) else [value]


def answers(responses: dict, register: dict) -> Iterator[Answer]:
    """Every variant of every response in domain order, with its entry ({} if missing)."""
    for name, variants in responses.items():
        entries = entries_of(register.get(name) or {})
        for index, variant in enumerate(variants):
            entry = entries[index] if index < len(entries) else {}
            yield Answer(name, index, variant, entry if isinstance(entry, dict) else {})


def problems(responses: dict, register: dict, page: str) -> List[str]:
    """Everything that makes the register incomplete or wrong; empty when it is right."""
    found = [f"{name}: in the register, but domain.yml has no such response"
             for name in register if name not in responses]
    for name, variants in responses.items():
        count = len(entries_of(register[name])) if register.get(name) else 0
        if count != len(variants):
            found.append(f"{name}: {len(variants)} variant(s) in domain.yml, {count} in the register")
    page_text = normalise(page)
    for answer in answers(responses, register):
        label = f"{answer.name}[{answer.index}]"
        unknown = set(answer.entry) - KEYS
        if unknown:
            found.append(f"{label}: unknown key(s) {sorted(unknown)}; use source or addition")
        source, addition = answer.entry.get("source"), answer.entry.get("addition")
        if not source and not (isinstance(addition, str) and addition.strip()):
            found.append(f"{label}: neither a source on the page nor a reason for an addition")
        if source is not None and not isinstance(source, list):
            found.append(f"{label}: source must be a list of quotes")
            continue
        for quote in source or []:
            if not isinstance(quote, str) or not normalise(quote) or normalise(quote) not in page_text:
                found.append(f"{label}: not on the page: {quote!r}")
    return found


def origin(entry: dict) -> str:
    """'page', 'page + addition' or 'addition'."""
    if entry.get("source"):
        return "page + addition" if entry.get("addition") else "page"
    return "addition"
