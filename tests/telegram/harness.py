"""The real Dispatcher (as `python -m bot` builds it) in the test's event loop, talking to the
strict FakeBotApi over HTTP and to the seeded sandbox exchanger, also in-process.

    async def test_x(harness: Harness) -> None:
        bot = await harness.start_bot()
        await harness.fake.send_text(harness.chat, harness.user, "/balance")
        reply = await harness.fake.wait_for_text(harness.chat.id, "Balance")

`start_bot(**settings)` may be called again after `stop()` to model a restart over the same
database file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiogram import Bot, Dispatcher
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet

from bot.__main__ import make_bot, make_dispatcher
from bot.config import Settings
from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeMessage, FakeUser
from bot.exchanger import OldApiClient, make_http_client
from bot.sandbox import SandboxState, create_app, seed_demo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.telegram.handlers import get_routers
from tests.sandbox.harness import Sandbox


@dataclass
class RunningBot:
    bot: Bot
    dp: Dispatcher
    db: Database
    http: httpx.AsyncClient
    task: asyncio.Task[None]

    async def stop(self) -> None:
        if not self.task.done():
            await self.dp.stop_polling()
            await self.task
        await self.bot.session.close()
        await self.http.aclose()
        await self.db.close()


@dataclass
class Harness:
    fake: FakeBotApi
    sandbox: Sandbox
    tmp_path: Path
    user: FakeUser
    chat: FakeChat
    encryption_key: str = field(default_factory=lambda: Fernet.generate_key().decode())
    running: list[RunningBot] = field(default_factory=list)

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "bot_token": self.fake.token,
            "exchanger_url": str(self.sandbox.client.base_url).rstrip("/"),
            "telegram_api_url": self.fake.base_url,
            "database_path": self.tmp_path / "bot.sqlite3",
            "encryption_key": self.encryption_key,
            "throttle_seconds": 0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start_bot(self, **overrides: Any) -> RunningBot:
        settings = self.settings(**overrides)
        vault = KeyVault([self.encryption_key.encode()])
        db = await Database.open(settings.database_path)
        http = make_http_client(read_timeout=2.0)
        bot = make_bot(settings)
        _detach_routers()
        dp = make_dispatcher(settings, db, vault, OldApiClient(http))
        task = asyncio.create_task(
            dp.start_polling(bot, handle_signals=False, polling_timeout=1, close_bot_session=False)
        )
        running = RunningBot(bot, dp, db, http, task)
        self.running.append(running)
        # No need to wait: updates queue up in the fake until polling starts.
        return running

    async def say(
        self, text: str, user: FakeUser | None = None, chat: FakeChat | None = None
    ) -> FakeMessage:
        return await self.fake.send_text(chat or self.chat, user or self.user, text)

    async def ask(self, text: str, expect: str) -> FakeMessage:
        """Send `text` in the default chat and wait for a new bot message containing `expect`."""
        mark = self.fake.revision
        await self.say(text)
        return await self.fake.wait_for_text(self.chat.id, expect, since=mark)

    async def link(self, key: str) -> FakeMessage:
        return await self.ask(f"/link {key}", "Account linked")


def _detach_routers() -> None:
    """Routers are module-level (aiogram's convention) and attach to one Dispatcher for the
    process's life; a test builds a new Dispatcher per bot start, so free them first."""
    for router in get_routers():
        router._parent_router = None


async def make_harness(tmp_path: Path) -> AsyncIterator[Harness]:
    state = SandboxState()
    seed_demo(state)
    server = TestServer(create_app(state))
    await server.start_server()
    fake = FakeBotApi()
    await fake.start()
    user = fake.user(1001, "Ann", language_code="en")
    harness = Harness(
        fake=fake,
        sandbox=Sandbox(state, httpx.AsyncClient(base_url=str(server.make_url("")), timeout=5)),
        tmp_path=tmp_path,
        user=user,
        chat=fake.private_chat(user),
    )
    try:
        yield harness
    finally:
        for running in harness.running:
            await running.stop()
        await harness.sandbox.client.aclose()
        await fake.stop()
        await server.close()
