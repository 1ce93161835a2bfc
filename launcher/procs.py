"""Memory and CPU time of a process tree, read from /proc (Linux), for the benchmarks."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional


def _parent_of(stat: str) -> int:
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid: int) -> List[int]:
    """`pid` and every process below it (the rasa CLI may fork workers)."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(_parent_of((entry / "stat").read_text()), []).append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _status_kb(pid: int, field: str) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _tree_mb(pid: int, field: str) -> Optional[float]:
    values = [_status_kb(p, field) for p in descendants(pid)]
    known = [v for v in values if v is not None]
    return sum(known) / 1024 if known else None


def rss_mb(pid: int) -> Optional[float]:
    """Resident memory (VmRSS) of a process tree now, in MiB; None when it is gone."""
    return _tree_mb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process tree, in MiB."""
    return _tree_mb(pid, "VmHWM") or 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process tree so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks
