"""Samples collected across sessions, and percentiles."""

from __future__ import annotations

import math
from collections import defaultdict


class Samples:
    """figure key → its samples (one per run, or per window); `missing` keeps why not."""

    def __init__(self) -> None:
        self.values: defaultdict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    def add(self, key: str, value: float) -> None:
        self.values[key].append(float(value))

    def get(self, key: str) -> list[float]:
        return list(self.values.get(key, []))

    def fail(self, reason: str) -> None:
        """A session failed: figures without samples say so."""
        self.failures.append(reason)

    def why_missing(self, key: str) -> str:
        if self.values.get(key):
            return ""
        return "; ".join(["no sample", *self.failures])[:300]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.99 = p99); the maximum for small samples."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
