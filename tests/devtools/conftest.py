"""Fixtures of the tests of the fakes: the shared ``bot_api`` plus an aiogram ``bot`` and a chat."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.aiogram_client import make_bot
from tests.fakes.fixtures import bot_api

__all__ = ["bot", "bot_api", "chat_id"]


@pytest.fixture
async def bot(bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    """An aiogram Bot with parse_mode=HTML by default, like the project's bot."""
    instance = make_bot(bot_api, parse_mode="HTML")
    yield instance
    await instance.session.close()


@pytest.fixture
def chat_id(bot_api: FakeBotApi) -> int:
    """The private chat of user 1001 "Ann"."""
    return bot_api.private_chat(bot_api.user(1001, "Ann")).id
