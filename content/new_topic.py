"""Scaffold a new topic: `make new-topic NAME=ask_<question>` (docs/changing-content.md).

Adds the mechanical parts, each marked TODO, to the files that need them: the topic
entry (content/topics.yml), the intent and a response (domain.yml), the rule to the
answer action (data/rules.yml) and the register entry (content/register.yml). What needs
a person is left, and printed as a checklist: the Dutch answer from the page, training
examples by independent writers, a test story, held-out examples, the intents table.
tests/test_topics.py then names every file that still lacks something.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _insert_after(path: Path, anchor: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    if anchor not in content:
        raise SystemExit(f"{path.relative_to(ROOT)}: cannot find {anchor!r}; add the entry by hand")
    path.write_text(content.replace(anchor, anchor + text, 1), encoding="utf-8")


def scaffold(intent: str) -> list:
    if not re.fullmatch(r"ask_[a-z][a-z_]*", intent):
        raise SystemExit("NAME must look like ask_<question> (English snake_case)")
    topic = intent[len("ask_"):]
    response = f"utter_{topic}"
    if intent in (ROOT / "content" / "topics.yml").read_text(encoding="utf-8"):
        raise SystemExit(f"{intent} is already in content/topics.yml")
    with (ROOT / "content" / "topics.yml").open("a", encoding="utf-8") as f:
        f.write(f"  {intent}:\n    answer: {response}\n    name: \"TODO: het onderwerp in een paar woorden\"\n"
                f"    staff: \"TODO: naam voor medewerkers\"\n    feedback: {topic}\n"
                f"    follow_ups: {{school: ask_teacher_tips, home: ask_help_at_home, why: ask_causes, "
                f"how: ask_help_at_home, more: ask_treatment}}\n")
    _insert_after(ROOT / "domain.yml", "intents:\n", f"  - {intent}\n")
    _insert_after(ROOT / "domain.yml", "responses:\n",
                  f"  {response}:\n    - text: \"TODO: het antwoord, van de pagina, B1, je\"\n\n")
    with (ROOT / "data" / "rules.yml").open("a", encoding="utf-8") as f:
        f.write(f"\n- rule: TODO {topic.replace('_', ' ')}\n  steps:\n  - intent: {intent}\n"
                "  - action: action_answer\n")
    with (ROOT / "content" / "register.yml").open("a", encoding="utf-8") as f:
        f.write(f"\n{response}:\n  source:\n    - TODO: the page's sentences, quoted literally\n"
                "  addition: TODO, or remove when all of it is on the page\n")
    return [
        f"domain.yml: write the text of {response} (B1, je, from ../shared/content/hechtingsproblemen.txt)",
        f"content/register.yml: {response}: the page's sentences it quotes, and why any addition",
        f"content/topics.yml: {intent}: name, staff, feedback group, follow-ups",
        f"data/nlu.yml: - intent: {intent} with at least 20 examples from independent writers "
        "(helper sessions with their own persona), metadata: {writer: ...}",
        f"tests/nlu_heldout.yml: examples of {intent} written blind (never copied into data/nlu.yml)",
        f"tests/test_stories.yml: a story with real parent text that ends in action_answer for {intent}",
        f"docs/intents.md: a row for {intent}",
        "then: make check-content",
    ]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m content.new_topic ask_<question>")
    for step in scaffold(sys.argv[1]):
        print(f"[ ] {step}")


if __name__ == "__main__":
    main()
