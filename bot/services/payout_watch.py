"""Payout timing, pure: when a pending payout deserves a reminder (per-site thresholds) and
the site's typical time to pay (the median of the payouts the bot watched being paid)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

HOUR = 3600


@dataclass(frozen=True, slots=True)
class Thresholds:
    default_hours: float = 48.0
    sites: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Thresholds:
        """ValueError on anything but "H" or "H,site=H,…" with positive hours."""
        default, sites = None, {}
        for part in (p.strip() for p in text.split(",") if p.strip()):
            site, _, hours = part.rpartition("=")
            value = float(hours)
            if not 0 < value <= 24 * 365:
                raise ValueError(f"hours must be positive (at most a year): {part!r}")
            if site:
                sites[site.strip().rstrip("/")] = value
            elif default is None:
                default = value
            else:
                raise ValueError("one default number of hours only")
        return cls(48.0 if default is None else default, sites)

    def seconds(self, site: str) -> float:
        return self.sites.get(site.rstrip("/"), self.default_hours) * HOUR

    @property
    def shortest(self) -> float:
        return min([self.default_hours, *self.sites.values()]) * HOUR


@dataclass(frozen=True, slots=True)
class TypicalPayTime:
    seconds: int  # the median
    watched: int  # how many paid payouts it is based on


def typical(durations: Sequence[int]) -> TypicalPayTime | None:
    if not durations:
        return None
    return TypicalPayTime(int(statistics.median(durations)), len(durations))
