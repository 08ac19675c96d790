"""Pytest fixtures of the e2e harness; import them in tests/conftest.py::

    from tests.fakes.fixtures import bot_api, make_bot, sandbox  # noqa: F401

``bot_api``: a started FakeBotApi; ``sandbox``: a started SandboxProcess (demo data seeded);
``make_bot``: a factory of BotProcess objects wired to both (not started; killed at teardown).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.processes import BotProcess, SandboxProcess, bot_env

MakeBot = Callable[..., BotProcess]


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[SandboxProcess]:
    process = SandboxProcess(log_path=tmp_path / "sandbox.log")
    await process.start()
    try:
        yield process
    finally:
        await process.kill()


@pytest.fixture
async def make_bot(
    bot_api: FakeBotApi, sandbox: SandboxProcess, tmp_path: Path
) -> AsyncIterator[MakeBot]:
    """``make_bot(**settings)`` -> a BotProcess (call ``await bot.start()``); settings such as
    ``admin_ids="1001"`` become environment variables (ADMIN_IDS=1001)."""
    made: list[BotProcess] = []

    def make(**settings: str) -> BotProcess:
        env = bot_env(
            token=bot_api.token,
            telegram_api_url=bot_api.base_url,
            exchanger_url=sandbox.url,
            database_path=tmp_path / f"bot{len(made)}.sqlite3",
            **settings,
        )
        process = BotProcess(env, cwd=tmp_path, log_path=tmp_path / f"bot{len(made)}.log")
        made.append(process)
        return process

    try:
        yield make
    finally:
        for process in made:
            if process.pid is not None:
                await process.kill()
