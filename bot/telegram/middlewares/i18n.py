"""The user's language: a translator `t` for every update, shaped like aiogram's I18nMiddleware.

aiogram's own `I18nMiddleware` drives its gettext `I18n` object; our catalogs are Fluent, so
this is the same pattern over `bot.i18n`: one overridable `get_locale(event, data)` (the chat's
setting → the user's Telegram language → English) and the result injected as `data["t"]`.
Registered as an outer middleware on updates after ContextMiddleware (which loads `chat_row`),
so error handlers see `t` too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.i18n import Translator, language_for
from bot.storage.chats import Chat


class I18nMiddleware(BaseMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        chat: Chat | None = data.get("chat_row")
        user: User | None = data.get("event_from_user")
        return language_for(chat.language if chat else None, user.language_code if user else None)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["t"] = Translator(await self.get_locale(event, data))
        return await handler(event, data)
