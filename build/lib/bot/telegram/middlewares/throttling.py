"""Per-user rate limit for handlers flagged `exchanger` (they call the exchanger's API), so
the bot cannot be used to flood an exchanger. Memory is bounded: entries are kept in the order
they were recorded, so expired ones are dropped from the front, and at most MAX_TRACKED_USERS
are kept."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.i18n import Translator

FLAG = "exchanger"
EXCHANGER: dict[str, bool] = {FLAG: True}  # `flags=EXCHANGER` on a handler
MAX_TRACKED_USERS = 50_000


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._last: OrderedDict[int, float] = OrderedDict()

    def wait_time(self, user_id: int) -> float:
        """Seconds this user must still wait; 0 records a new call."""
        now = self._clock()
        last = self._last.get(user_id)
        if last is not None and now - last < self._interval:
            return self._interval - (now - last)
        self._last[user_id] = now
        self._last.move_to_end(user_id)
        self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        while self._last and (
            len(self._last) > MAX_TRACKED_USERS
            or now - next(iter(self._last.values())) >= self._interval
        ):
            self._last.popitem(last=False)

    @property
    def tracked(self) -> int:
        """Users currently remembered (bounded)."""
        return len(self._last)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if self._interval <= 0 or user is None or not get_flag(data, FLAG):
            return await handler(event, data)
        wait = self.wait_time(user.id)
        if wait <= 0:
            return await handler(event, data)
        t: Translator = data["t"]
        text = t("throttle.wait", seconds=math.ceil(wait))
        if isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=False)
        elif isinstance(event, Message):
            await event.answer(text)
        return None
