"""Per-user rate limit for handlers flagged `exchanger` (they may call the exchanger's API), so
the bot cannot be used to flood an exchanger — without a person ever feeling it.

A token bucket per user: `burst` requests at once, then one more every `interval` seconds.
Written as GCRA (one "theoretical arrival time" per user, the token bucket in one number)
rather than with a library: `aiolimiter` keeps one limiter object per key and sleeps inside
`acquire()` with no bound and on the loop's clock, and `limits` has no token bucket; here we need
"how long until a token" to choose between a short delay and a refusal, an injected clock for
deterministic tests, and bounded memory for many users.

Over the limit the answer is delayed (up to `max_delay` seconds: the request takes the next
token ahead of time) instead of refused. Only beyond that is a request refused, and then the
user gets ONE "slow down" notice per flood (no more until the bucket would be full again);
other refused messages are dropped silently and refused button presses get a silent answer.

Memory is bounded: a user whose bucket is full again is forgotten, at most MAX_TRACKED_USERS.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.i18n import Translator

FLAG = "exchanger"
EXCHANGER: dict[str, bool] = {FLAG: True}  # `flags=EXCHANGER` on a handler
MAX_TRACKED_USERS = 50_000


@dataclass(frozen=True, slots=True)
class Decision:
    """`delay` seconds before handling; or refused, with `notice` for the first refusal."""

    delay: float = 0.0
    refused: bool = False
    notice: bool = False
    retry_in: float = 0.0


@dataclass(slots=True)
class _Bucket:
    tat: float  # when the bucket would be full again ("theoretical arrival time")
    quiet_until: float = 0.0  # no further "slow down" notice before this


class TokenBucket:
    """GCRA: a request at `now` conforms when tat - (burst - 1) * interval <= now."""

    def __init__(
        self,
        interval: float,
        burst: int,
        max_delay: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self._tolerance = max(burst - 1, 0) * interval
        self._max_delay = max_delay
        self._clock = clock
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    def take(self, user_id: int) -> Decision:
        now = self._clock()
        bucket = self._buckets.get(user_id)
        tat = max(bucket.tat, now) if bucket else now
        wait = tat - self._tolerance - now
        if wait > self._max_delay:
            assert bucket is not None  # a new user always conforms
            notice = bucket.quiet_until <= now
            if notice:
                bucket.quiet_until = tat  # silent until the reserved tokens are used up
            return Decision(refused=True, notice=notice, retry_in=wait - self._max_delay)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(tat)
        bucket.tat = tat + self.interval
        self._buckets.move_to_end(user_id)
        self._prune(now)
        return Decision(delay=max(wait, 0.0))

    def _prune(self, now: float) -> None:
        """Users whose bucket is full again are forgotten (from the least recently active)."""
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            full = oldest.tat <= now and oldest.quiet_until <= now
            if not full and len(self._buckets) <= MAX_TRACKED_USERS:
                return
            self._buckets.popitem(last=False)

    @property
    def tracked(self) -> int:
        """Users currently remembered (bounded)."""
        return len(self._buckets)


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self,
        interval: float,
        burst: int = 8,
        max_delay: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bucket = TokenBucket(interval, burst, max_delay, clock)
        self._sleep = sleep

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if self.bucket.interval <= 0 or user is None or not get_flag(data, FLAG):
            return await handler(event, data)
        decision = self.bucket.take(user.id)
        if not decision.refused:
            if decision.delay > 0:
                await self._sleep(decision.delay)
            return await handler(event, data)
        t: Translator = data["t"]
        text = t("throttle.slow_down", seconds=max(1, math.ceil(decision.retry_in)))
        if isinstance(event, CallbackQuery):  # must be answered anyway: the notice or nothing
            await event.answer(text if decision.notice else None, show_alert=False)
        elif isinstance(event, Message) and decision.notice:
            await event.answer(text)
        return None
