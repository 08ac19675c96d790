"""Helpers to drive the fake Bot API with a real aiogram Bot in tests."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.devtools.bot_api import FakeBotApi


class FastCloseSession(AiohttpSession):
    """AiohttpSession.close() sleeps 250 ms for SSL shutdown; nothing to wait for here."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(fake: FakeBotApi, **defaults: Any) -> Bot:
    """A Bot talking to ``fake``; ``defaults`` are DefaultBotProperties (e.g. parse_mode)."""
    session = FastCloseSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(fake.token, session=session, default=DefaultBotProperties(**defaults))


def keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    """A one-row inline keyboard."""
    return InlineKeyboardMarkup(inline_keyboard=[list(buttons)])


async def refused(call: Awaitable[Any], error: type[Exception] = TelegramBadRequest) -> str:
    """The description of the error the awaited call raised."""
    with pytest.raises(error) as raised:
        await call
    return raised.value.message  # type: ignore[attr-defined]


async def raw_post(fake: FakeBotApi, method: str, **kwargs: Any) -> httpx.Response:
    """A request aiogram would never send (``data=``, ``json=``, ``params=`` of httpx)."""
    async with httpx.AsyncClient(trust_env=False) as client:
        return await client.post(f"{fake.base_url}/bot{fake.token}/{method}", **kwargs)
