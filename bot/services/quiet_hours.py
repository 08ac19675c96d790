"""Quiet hours, pure: a chat's notifications are held from `start` to `end` o'clock in its
time zone (e.g. 23 → 8 spans midnight) and released together at `end`, as one summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

RELEASE_WINDOW = 600.0  # seconds after the end in which held rows count as released together


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: int  # hour 0..23, local
    end: int  # hour 0..23, local; end == start: never quiet
    timezone: str | None = None

    @classmethod
    def parse(cls, text: str, timezone: str | None = None) -> QuietHours | None:
        """ "23-8" → 23:00 to 08:00; None when it is not two hours 0..23 that differ."""
        start, sep, end = text.replace("–", "-").partition("-")
        if not sep or not start.strip().isdigit() or not end.strip().isdigit():
            return None
        first, last = int(start), int(end)
        if not (0 <= first <= 23 and 0 <= last <= 23) or first == last:
            return None
        return cls(first, last, timezone)

    def _local(self, now: float) -> datetime:
        return datetime.fromtimestamp(now, ZoneInfo(self.timezone or "UTC"))

    def until(self, now: float) -> float | None:
        """The end of the quiet period `now` is in (unix time); None when not quiet."""
        local = self._local(now)
        hour = local.hour
        inside = (
            (self.start <= hour < self.end)
            if self.start < self.end
            else (hour >= self.start or hour < self.end)
        )
        if self.start == self.end or not inside:
            return None
        end = local.replace(hour=self.end, minute=0, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.timestamp()

    def just_ended(self, now: float) -> bool:
        """Within RELEASE_WINDOW after the end: what is due now was held."""
        local = self._local(now)
        end = local.replace(hour=self.end, minute=0, second=0, microsecond=0)
        return 0 <= (local - end).total_seconds() < RELEASE_WINDOW
