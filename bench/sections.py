"""Generated sections of docs/benchmarks.md, each stamped with the commit it measured.

`make bench` (bench/report.py) rewrites the whole page; `make bench-review`
(bench/review_scale.py) and `make quality` (bench/quality.py) write only the section
between their markers. Each keeps the others': report.py carries the marked sections
over, the others replace only their own.

Every section is written by `replace`, which adds a stamp line (date, short commit,
"+ uncommitted changes" when the section's inputs were dirty), so no writer repeats it.
`check` (`python -m bench.sections --check`) lists the sections whose stamped commit is
older than the last commit that changed what they measure: figures older than the code
they describe are stale, and an unstamped section (written before stamps) is too.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.md"

LOAD = ("<!-- load:start -->", "<!-- load:end -->")  # bench/run.py via bench/report.py
REVIEW_SCALE = ("<!-- review-scale:start -->", "<!-- review-scale:end -->")
QUALITY = ("<!-- quality:start -->", "<!-- quality:end -->")  # bench/quality.py
SEALED = ("<!-- danger-sealed:start -->", "<!-- danger-sealed:end -->")  # bench/danger_eval.py --sealed
REDACTION_SEALED = ("<!-- redaction-sealed:start -->", "<!-- redaction-sealed:end -->")  # bench/redaction_eval.py
# bench/conversation_eval.py --write: conversation sets measured once
CONVERSATIONS_SEALED = ("<!-- conversations-sealed:start -->", "<!-- conversations-sealed:end -->")
# Carried over when report.py rewrites the page.
MARKED = (QUALITY, SEALED, REDACTION_SEALED, CONVERSATIONS_SEALED, REVIEW_SCALE)

# What a trained model is made of, and what the running bot adds around it.
MODEL_INPUTS = ("config.yml", "domain.yml", "data/", "components/")
SERVED = MODEL_INPUTS + ("actions/", "channels/", "tracker_store/")


@dataclass(frozen=True)
class Section:
    """A marked section: who writes it, and the paths (relative to the repository) it measures.

    A record (`record=True`) reports one measurement of a frozen state on purpose (the
    sealed sets, measured once and never again): it is stamped when written but not
    checked, since no later run could bring it up to date.
    """

    name: str
    markers: tuple
    inputs: tuple
    command: str
    record: bool = False


SECTIONS = (
    Section("load", LOAD, SERVED + ("tests/nlu_heldout.yml",), "make bench"),
    Section("quality", QUALITY,
            SERVED + ("tests/nlu_heldout.yml", "tests/data/conversations_heldout/", "tests/data/redaction_cases.yml"),
            "make quality"),
    Section("review-scale", REVIEW_SCALE, ("review/", "tracker_store/"), "make bench-review"),
    Section("danger-sealed", SEALED, MODEL_INPUTS, "python -m bench.danger_eval --sealed FILE --write",
            record=True),
    Section("redaction-sealed", REDACTION_SEALED, ("tracker_store/",),
            "python -m bench.redaction_eval FILES --write LABEL", record=True),
    Section("conversations-sealed", CONVERSATIONS_SEALED, SERVED,
            "python -m bench.conversation_eval --sets DIR --write LABEL", record=True),
)

_STAMP = re.compile(r"^_Measured at commit `(?P<commit>[^`]*)`(?P<dirty> \+ uncommitted changes)?"
                    r" on (?P<date>\d{4}-\d\d-\d\d \d\d:\d\d)\..*_$", re.M)


@dataclass(frozen=True)
class Stamp:
    """The commit a section measured (short hash, "unknown" outside git), and when."""

    commit: str
    dirty: bool
    date: str

    def line(self, inputs: Sequence[str]) -> str:
        dirty = " + uncommitted changes" if self.dirty else ""
        return (f"_Measured at commit `{self.commit}`{dirty} on {self.date}. Inputs: {', '.join(inputs)} "
                "(`python -m bench.sections --check` says when a later commit changed them)._")


def section_for(markers: tuple) -> Section:
    return next(s for s in SECTIONS if s.markers == tuple(markers))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


def measure(markers: tuple, root: Path = ROOT) -> Stamp:
    """The stamp for a section measured now: HEAD, and whether its inputs differ from HEAD.

    Call it when the measurement starts (a long run may outlive a commit) and hand the
    result to `replace`; untracked files count as changes, since Rasa trains on every
    file under data/.
    """
    inputs = section_for(markers).inputs
    commit = _git(root, "rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    status = _git(root, "status", "--porcelain", "--", *inputs)
    dirty = status.returncode != 0 or bool(status.stdout.strip())
    return Stamp(commit, dirty, datetime.now().strftime("%Y-%m-%d %H:%M"))


def stamped(markers: tuple, section: str, stamp: Stamp) -> str:
    """`section` with its old stamp lines removed and `stamp` under its first heading."""
    lines = [line for line in section.split("\n") if not _STAMP.match(line)]
    at = next((i for i, line in enumerate(lines) if line.startswith("#")), None)
    if at is None:
        at = next((i for i, line in enumerate(lines) if line.strip() == markers[0]), -1)
        insert = [stamp.line(section_for(markers).inputs)]
    else:
        insert = ["", stamp.line(section_for(markers).inputs)]
        if at + 1 < len(lines) and lines[at + 1].strip():
            insert.append("")
    lines[at + 1:at + 1] = insert
    return "\n".join(lines)


def replace(path: Path, markers: tuple, section: str, measured: Optional[Stamp] = None,
            root: Path = ROOT, top: bool = False) -> None:
    """Put `section` (with its markers) in place of the marked one in `path`, stamped.

    Args:
        measured: the stamp taken when the measurement started; now if None.
        root: the repository whose commit the section measured.
        top: where the markers are absent, put the section first instead of last.
    """
    section = stamped(markers, section, measured or measure(markers, root))
    start, end = markers
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + section + rest.split(end, 1)[1]
    elif top:
        current = section + "\n" + ("\n" + current.lstrip("\n") if current.strip() else "")
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


def _body(text: str, markers: tuple) -> Optional[str]:
    start, end = markers
    if start not in text or end not in text.split(start, 1)[1]:
        return None
    return text.split(start, 1)[1].split(end, 1)[0]


def stale(section: Section, text: str, root: Path = ROOT) -> Optional[str]:
    """One line saying why `section` of the page `text` is stale, or None when it is current."""
    if section.record:
        return None
    head = f"{section.name}: "
    todo = f"run `{section.command}`"
    body = _body(text, section.markers)
    if body is None:
        return head + (f"no stamped section between `{section.markers[0]}` markers (written before stamps, "
                       f"or absent), so stale; {todo}")
    found = _STAMP.search(body)
    if not found:
        return head + f"unstamped (written before stamps), so stale; {todo}"
    commit = found["commit"]
    if _git(root, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        return head + f"stamped commit `{commit}` is unknown to git here, so stale; {todo}"
    last = _git(root, "log", "-1", "--format=%h %cs", "--", *section.inputs).stdout.split()
    if not last or _git(root, "merge-base", "--is-ancestor", last[0], commit).returncode == 0:
        return None
    changed = sorted(set(_git(root, "log", "--format=", "--name-only", f"{commit}..HEAD", "--",
                              *section.inputs).stdout.split()))
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return head + (f"measured `{commit}` on {found['date']}, but commit `{last[0]}` ({last[1]}) changed "
                   f"{shown or 'its inputs'} since; {todo}")


def check(path: Path = PAGE, names: Optional[Iterable[str]] = None, root: Path = ROOT) -> List[str]:
    """One line per stale, unstamped or missing section of `path` (all sections, or `names`)."""
    wanted = set(names) if names is not None else {s.name for s in SECTIONS}
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    problems = [stale(s, text, root) for s in SECTIONS if s.name in wanted]
    return [p for p in problems if p]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="List stale sections of docs/benchmarks.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 when a section is stale or unstamped")
    parser.add_argument("--page", type=Path, default=PAGE)
    parser.add_argument("--section", action="append", choices=[s.name for s in SECTIONS],
                        help="check only this section (repeatable)")
    args = parser.parse_args(argv)
    if not args.check:
        parser.print_help()
        return 2
    problems = check(args.page, args.section)
    for line in problems:
        print(f"STALE {line}", file=sys.stderr)
    if not problems:
        print(f"{args.page}: every checked section is stamped and current")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
