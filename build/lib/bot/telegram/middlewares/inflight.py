"""Counts updates being handled, so shutdown can let them finish.

aiogram stops polling on SIGTERM but does not wait for handlers still running (each update
is a task of its own); the session would then close under them, and a user's command that
was already acknowledged to Telegram would get no answer. `drain()` waits for them, bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

log = logging.getLogger(__name__)


class InFlightMiddleware(BaseMiddleware):
    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._running += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def drain(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("Shutdown: %d update(s) still being handled were abandoned", self._running)
