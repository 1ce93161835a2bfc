"""Generated sections of docs/benchmarks.md that other benchmark scripts write.

`make bench` (bench/report.py) rewrites the whole page; `make bench-review`
(bench/review_scale.py) and `make quality` (bench/quality.py) write only the section
between their markers. Each keeps the others': report.py carries the marked sections
over, the others replace only their own.
"""
from __future__ import annotations

import re
from pathlib import Path

REVIEW_SCALE = ("<!-- review-scale:start -->", "<!-- review-scale:end -->")
QUALITY = ("<!-- quality:start -->", "<!-- quality:end -->")  # bench/quality.py
SEALED = ("<!-- danger-sealed:start -->", "<!-- danger-sealed:end -->")  # bench/danger_eval.py --sealed
REDACTION_SEALED = ("<!-- redaction-sealed:start -->", "<!-- redaction-sealed:end -->")  # bench/redaction_eval.py
MARKED = (QUALITY, SEALED, REDACTION_SEALED, REVIEW_SCALE)


def replace(path: Path, markers: tuple, section: str) -> None:
    """Put `section` (with its markers) in place of the marked one in `path`, or append it."""
    start, end = markers
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + section + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(current, encoding="utf-8")


def kept(path: Path) -> str:
    """Every marked section of `path` (to write again after regenerating the page)."""
    if not path.exists():
        return ""
    text, found = path.read_text(encoding="utf-8"), []
    for start, end in MARKED:
        found += re.findall(rf"{re.escape(start)}.*?{re.escape(end)}", text, flags=re.S)
    return "\n\n".join(found)
