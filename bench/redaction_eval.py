"""Redaction recall on planted sets by independent writers, per writer and per kind.

    python -m bench.redaction_eval tests/data/redaction_writers/*.yml
    python -m bench.redaction_eval FILES --deduce-path DIR   # also `deduce`, installed apart
    python -m bench.redaction_eval FILES --write "label"     # into docs/benchmarks.md

Each file: {writer, personal: [{text, pii: {kind: [items]}}], clean: [texts]}. An item
counts as caught when it no longer occurs in the redacted text; a clean message must
come out unchanged. `deduce` (the maintained Dutch de-identification library) cannot be
installed next to Rasa 3.6 (it needs regex >= 2024.11, Rasa pins < 2022.11), so it is
compared from its own folder (`pip install --target DIR deduce pyyaml`).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, List

import yaml

from launcher.settings import ROOT


def recall(files: List[Path], redactor: Callable[[str], str]) -> Dict:
    kinds, caught, writers = Counter(), Counter(), {}
    clean = changed = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        got = planted = 0
        for case in data["personal"]:
            redacted = redactor(case["text"])
            for kind, items in case["pii"].items():
                kind = "e-mail" if kind == "email" else kind
                for item in items:
                    kinds[kind] += 1
                    planted += 1
                    if item not in redacted:
                        caught[kind] += 1
                        got += 1
        for text in data.get("clean", []):
            clean += 1
            changed += redactor(text) != text
        writers[data["writer"]] = (got, planted)
    return {"kinds": {k: (caught[k], kinds[k]) for k in sorted(kinds)}, "writers": writers,
            "clean": (changed, clean), "total": (sum(caught.values()), sum(kinds.values()))}


def markdown(results: Dict[str, Dict]) -> str:
    names = list(results)
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    ratio = lambda pair: f"{pair[0]}/{pair[1]} ({pair[0] / max(pair[1], 1):.3f})"  # noqa: E731
    lines.append("| **all items** | " + " | ".join(ratio(r["total"]) for r in results.values()) + " |")
    for writer in results[names[0]]["writers"]:
        lines.append(f"| writer {writer} | " + " | ".join(ratio(r["writers"][writer]) for r in results.values()) + " |")
    for kind in results[names[0]]["kinds"]:
        lines.append(f"| {kind} | " + " | ".join(ratio(r["kinds"][kind]) for r in results.values()) + " |")
    lines.append("| clean messages changed | " + " | ".join(ratio(r["clean"]) for r in results.values()) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--deduce-path", help="a folder where deduce is installed (pip --target)")
    parser.add_argument("--write", metavar="LABEL", help="write the table into docs/benchmarks.md")
    args = parser.parse_args(argv)
    from tracker_store.redact import redact

    results = {"project rules": recall(args.files, redact)}
    if args.deduce_path:
        sys.path.insert(0, args.deduce_path)
        import deduce

        model = deduce.Deduce()
        results[f"deduce {getattr(deduce, '__version__', '')}".strip()] = recall(
            args.files, lambda text: model.deidentify(text).deidentified_text)
    table = markdown(results)
    print(table)
    if args.write:
        from bench import sections

        start, end = sections.REDACTION_SEALED
        heading = "## Personal data: sets by writers the rules never saw"
        page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
        earlier = page.split(start, 1)[1].split(end, 1)[0].split(heading, 1)[-1].strip() if start in page else ""
        body = [start, heading, "", earlier, "",
                f"{args.write}. Measured on {datetime.now():%Y-%m-%d %H:%M} by `python -m bench.redaction_eval`; "
                "reported as it came out.", "", table, "", end]
        sections.replace(ROOT / "docs" / "benchmarks.md", sections.REDACTION_SEALED, "\n".join(body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
