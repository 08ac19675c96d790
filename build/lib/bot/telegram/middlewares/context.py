"""Per-update context: the chat's stored row and a translator in the user's language.

Registered as an outer middleware on updates, so error handlers see `t` too. Writing to the
chat row here (first contact, coming back after a block) keeps every handler free of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat as TgChat
from aiogram.types import TelegramObject, User

from bot.i18n import Translator, language_for
from bot.storage.chats import ChatRepo


class ContextMiddleware(BaseMiddleware):
    def __init__(self, chats: ChatRepo) -> None:
        self._chats = chats

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        tg_chat: TgChat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        chat = None
        if tg_chat is not None:
            chat = await self._chats.get(tg_chat.id)
            if chat is None or not chat.active or chat.chat_type != tg_chat.type:
                await self._chats.ensure(tg_chat.id, tg_chat.type)
                chat = await self._chats.get(tg_chat.id)
        data["chat_row"] = chat
        data["t"] = Translator(
            language_for(chat.language if chat else None, user.language_code if user else None)
        )
        return await handler(event, data)
