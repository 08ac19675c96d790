"""The notification engine's clock: unix seconds that never go back.

Poll and retry times are stored as unix seconds (they survive a restart), but scheduling on
the wall clock stalls after the clock is set back: every stored time is suddenly in the
future. `SchedulingClock` follows the wall clock forward and, when it jumps back, keeps
counting from where it was with the monotonic clock. After a restart it starts from the wall
clock again, and `PollSchedule.spread` / `Outbox.unstall` pull in times that lie implausibly
far ahead (set before the clock went back while the bot was down).
"""

from __future__ import annotations

import time
from collections.abc import Callable


class SchedulingClock:
    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._wall, self._monotonic = wall, monotonic
        self._offset = wall() - monotonic()

    def __call__(self) -> float:
        steady = self._monotonic()
        wall = self._wall()
        if wall > self._offset + steady:  # the wall clock went forward (or we drifted): follow
            self._offset = wall - steady
        return self._offset + steady
