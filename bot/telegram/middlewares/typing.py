""" "typing…" in the chat while a handler waits for the exchanger: aiogram's ChatActionSender.

Handlers flagged `EXCHANGER` (reports, /link, the /payout steps, ✅ Confirm) may wait seconds
for a site. After `initial_sleep` seconds the chat shows "typing…", renewed every 5 seconds
until the handler ends; a quick answer (the usual case) sends no chat action at all. A chat
action Telegram refuses (flood control, a chat that blocked the bot) just ends the "typing…":
it never fails or delays the handler (ReplyRetryMiddleware does not retry it either).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, TelegramObject
from aiogram.utils.chat_action import ChatActionSender

from bot.telegram.middlewares.throttling import FLAG

TYPING_AFTER = 1.0  # seconds: an answer quicker than this needs no "typing…"
log = logging.getLogger(__name__)


class _Typing(ChatActionSender):
    """aiogram's sender, whose background task would otherwise end with an exception nobody
    retrieves when Telegram refuses the chat action."""

    async def _worker(self) -> None:
        try:
            await super()._worker()
        except TelegramAPIError as exc:  # network errors included
            log.debug("Chat action in chat %s stopped: %s", self.chat_id, type(exc).__name__)


class TypingMiddleware(BaseMiddleware):
    def __init__(self, initial_sleep: float = TYPING_AFTER) -> None:
        self._initial_sleep = initial_sleep

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None or not get_flag(data, FLAG):
            return await handler(event, data)
        async with _Typing.typing(
            bot=data["bot"],
            chat_id=chat.id,
            message_thread_id=data.get("event_thread_id"),
            initial_sleep=self._initial_sleep,
        ):
            return await handler(event, data)
