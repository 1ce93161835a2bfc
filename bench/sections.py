"""Generated sections of docs/benchmarks.md that other benchmark scripts write.

`make bench` (bench/report.py) rewrites the whole page; `make bench-review`
(bench/review_scale.py) writes only the section between its markers. Each keeps the
other's: report.py carries the marked sections over, review_scale.py replaces only its own.
"""
from __future__ import annotations

import re
from pathlib import Path

REVIEW_SCALE = ("<!-- review-scale:start -->", "<!-- review-scale:end -->")


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
    start, end = (re.escape(marker) for marker in REVIEW_SCALE)
    return "\n\n".join(re.findall(rf"{start}.*?{end}", path.read_text(encoding="utf-8"), flags=re.S))
