"""Rate limits of the sender: a global pace and a minimum gap per chat.

`Pacer` is a token bucket of capacity one: slots `1/rate` apart, so no burst can exceed the
rate in any window (Telegram counts in sliding windows). `pause()` holds every slot back
(429 retry_after, Telegram unreachable). `ChatPacer` keeps one chat's messages apart, counted
from the end of the previous send: what Telegram sees is then never closer than the gap.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

_PRUNE_AT = 10_000  # chats remembered before the stale ones are forgotten


class Pacer:
    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def wait(self) -> None:
        while True:
            now = self._clock()
            if now < self._paused_until:
                await asyncio.sleep(self._paused_until - now)
                continue
            # The slot is taken before sleeping: concurrent waiters queue one interval apart.
            slot = max(now, self._next)
            self._next = slot + self._interval
            if slot > now:
                await asyncio.sleep(slot - now)
            if self._clock() >= self._paused_until:  # not paused while we slept
                return


class ChatPacer:
    def __init__(
        self, private_gap: float, group_gap: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._private_gap = private_gap
        self._group_gap = group_gap
        self._clock = clock
        self._free_at: dict[int, float] = {}

    def gap(self, is_group: bool) -> float:
        return self._group_gap if is_group else self._private_gap

    async def wait(self, chat_id: int) -> None:
        delay = self._free_at.get(chat_id, 0.0) - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def sent(self, chat_id: int, is_group: bool) -> None:
        now = self._clock()
        self._free_at[chat_id] = now + self.gap(is_group)
        if len(self._free_at) > _PRUNE_AT:
            self._free_at = {c: t for c, t in self._free_at.items() if t > now}
