"""wait_for_telegram: getMe retried with backoff on network errors, 5xx and 429, one WARNING
line per attempt; a rejected token raises TokenRejected at once; a stop request ends waiting."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.utils.backoff import BackoffConfig

from bot.devtools.bot_api import FakeBotApi
from bot.telegram.connect import TokenRejected, wait_for_telegram
from tests.fakes.aiogram_client import make_bot

FAST = BackoffConfig(min_delay=0.01, max_delay=0.05, factor=2.0, jitter=0.0)


async def test_server_errors_and_flood_waits_are_retried_one_line_each(
    bot_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    bot_api.fail_next("getMe", 502, count=2)
    bot_api.drop_next("getMe")
    bot = make_bot(bot_api)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.telegram.connect"):
            me = await wait_for_telegram(bot, asyncio.Event(), FAST)
    finally:
        await bot.session.close()
    assert me is not None and me.id == bot_api.bot.id
    lines = [r.getMessage() for r in caplog.records]
    assert [line.split(":")[0] for line in lines] == [
        f"Telegram Bot API unreachable (getMe attempt {n}" for n in (1, 2, 3)
    ]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback


async def test_a_rejected_token_is_not_retried(bot_api: FakeBotApi) -> None:
    bot = make_bot(bot_api)
    bot_api.fail_next("getMe", 401, "Unauthorized")
    try:
        with pytest.raises(TokenRejected):
            await wait_for_telegram(bot, asyncio.Event(), FAST)
    finally:
        await bot.session.close()


async def test_a_stop_request_ends_the_wait(bot_api: FakeBotApi) -> None:
    bot_api.fail_next("getMe", 500, count=1000)
    bot = make_bot(bot_api)
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.2, stop.set)
    try:
        assert await wait_for_telegram(bot, stop, FAST) is None
    finally:
        await bot.session.close()
