"""Where the bot's CPU goes: a cProfile file summed up by package (`python -m bench --profile`).

Time spent inside C functions (socket calls, json, sqlite3 …) is charged to the Python package
that called them, in proportion to the calls' time, so that "httpcore" means httpcore with its
system calls. cProfile sees the main thread only: SQLite work in aiosqlite's thread is not here.
"""

from __future__ import annotations

import pstats
import re
import sys
from collections import Counter
from pathlib import Path

_SITE = re.compile(r"site-packages/([^/]+)/")
_REPO = re.compile(r"/(bot|bench|tests)/(\w+)")
_STDLIB = re.compile(r"python3\.\d+/(\w+)")

Func = tuple[str, int, str]


def package(func: Func) -> str:
    path = func[0]
    if found := _SITE.search(path):
        return found.group(1)
    if found := _REPO.search(path):
        return f"{found.group(1)}.{found.group(2)}"
    if found := _STDLIB.search(path):
        return f"stdlib {found.group(1)}"
    return ""  # a C function: charged to its callers


def by_package(stats: pstats.Stats) -> Counter[str]:
    totals: Counter[str] = Counter()
    table = stats.stats  # type: ignore[attr-defined]
    for func, (_, _, own, _, callers) in table.items():
        name = package(func)
        if name or not callers:
            totals[name or "C (no caller)"] += own
            continue
        weights = {caller: data[2] for caller, data in callers.items()}
        total = sum(weights.values()) or 1.0
        for caller, weight in weights.items():
            totals[package(caller) or "C"] += own * weight / total
    return totals


def summary(path: Path, lines: int = 15) -> str:
    stats = pstats.Stats(str(path))
    totals = by_package(stats)
    whole = sum(totals.values()) or 1.0
    out = [f"{path}: {whole:.1f} s of the main thread's CPU under the profiler, by package:"]
    out += [f"  {share / whole:6.1%}  {name}" for name, share in totals.most_common(lines)]
    return "\n".join(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(summary(Path(name)))
