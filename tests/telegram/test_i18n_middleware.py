from typing import Any

import pytest
from aiogram.types import TelegramObject, User

from bot.i18n import Translator
from bot.storage.chats import Chat
from bot.telegram.middlewares.i18n import I18nMiddleware


def _chat(language: str | None) -> Chat:
    return Chat(1, "private", language, active=True, notifications=frozenset())


def _user(code: str | None) -> User:
    return User(id=1, is_bot=False, first_name="A", language_code=code)


@pytest.mark.parametrize(
    ("chat", "user", "expected"),
    [
        (_chat("en"), _user("ru"), "en"),  # the chat's setting wins
        (_chat(None), _user("ru-RU"), "ru"),  # then the user's Telegram language
        (_chat(None), _user("uk"), "ru"),  # a close language
        (_chat(None), _user("de"), "en"),  # then English
        (None, None, "en"),
    ],
)
async def test_the_translator_follows_chat_then_user_then_english(
    chat: Chat | None, user: User | None, expected: str
) -> None:
    seen: dict[str, Any] = {}

    async def handler(event: TelegramObject, data: dict[str, Any]) -> str:
        seen.update(data)
        return "done"

    data = {"chat_row": chat, "event_from_user": user}
    assert await I18nMiddleware()(handler, TelegramObject(), data) == "done"
    assert isinstance(seen["t"], Translator) and seen["t"].language == expected
