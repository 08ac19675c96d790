"""A reply that meets Telegram's flood control (429 "retry after N") is sent again after N s.

Two parts, both aiogram's own extension points:
- `HandlerScope`, an outer update middleware, marks the code that handles an update (handlers,
  their middlewares and the error handlers) in a context variable;
- `ReplyRetryMiddleware`, a client session middleware (`bot.session.middleware(...)`), retries a
  Bot API call that raised TelegramRetryAfter, but only inside that scope.

The notification sender shares the Bot, yet runs outside any update: it keeps its own 429
handling (defer the chat, free the send slot) and is never retried, or delayed, from here.
Attempts are bounded, and so is the wait: a retry_after beyond MAX_WAIT is not waited for.
A chat action ("typing…", see typing.py) is never retried: a handler would wait for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, SendChatAction, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject

if TYPE_CHECKING:
    from aiogram import Bot

MAX_ATTEMPTS = 3  # the first call and two retries
MAX_WAIT = 30.0  # seconds; a longer flood wait is not worth holding a handler for

_handling_update: ContextVar[bool] = ContextVar("handling_update", default=False)
log = logging.getLogger(__name__)


class HandlerScope(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = _handling_update.set(True)
        try:
            return await handler(event, data)
        finally:
            _handling_update.reset(token)


class ReplyRetryMiddleware(BaseRequestMiddleware):
    def __init__(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not _handling_update.get() or isinstance(method, SendChatAction):
            return await make_request(bot, method)  # "typing…" is cosmetic: never waited for
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == MAX_ATTEMPTS or exc.retry_after > MAX_WAIT:
                    raise
                log.info(
                    "%s hit flood control; sending again in %d s",
                    type(method).__name__,
                    exc.retry_after,
                )
                await self._sleep(exc.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover
