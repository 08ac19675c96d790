"""Fixtures of the notification tests: a linked account, the outbox, an in-process sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestServer

from bot.exchanger import OldApiClient, make_http_client
from bot.exchanger.models import Credentials
from bot.notifications.outbox import Outbox
from bot.notifications.schedule import PollSchedule
from bot.sandbox import SandboxState, create_app
from bot.storage.accounts import Account, AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database

SITE = "https://ex.example"
Link = Callable[..., Awaitable[Account]]


@pytest.fixture
def outbox(db: Database) -> Outbox:
    return Outbox(db)


@pytest.fixture
def schedule(db: Database) -> PollSchedule:
    return PollSchedule(db)


@pytest.fixture
def link(chats: ChatRepo, account_repo: AccountRepo) -> Link:
    """`await link(chat_id, key, site=SITE, chat_type="private")` → a freshly linked account."""

    async def make(
        chat_id: int = 100, key: str = "key-0001", *, site: str = SITE, chat_type: str = "private"
    ) -> Account:
        await chats.ensure(chat_id, chat_type)
        return await account_repo.add(chat_id, Credentials(site, key), linked_by=chat_id)

    return make


@dataclass
class Exchanger:
    state: SandboxState
    url: str
    api: OldApiClient


@pytest.fixture
async def exchanger() -> AsyncIterator[Exchanger]:
    """The sandbox app on a local port, and the real client talking to it."""
    state = SandboxState()
    server = TestServer(create_app(state))
    await server.start_server()
    http = make_http_client(connect_timeout=1.0, read_timeout=2.0)
    try:
        yield Exchanger(state, str(server.make_url("")).rstrip("/"), OldApiClient(http))
    finally:
        await http.aclose()
        await server.close()
