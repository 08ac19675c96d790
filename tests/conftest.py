"""Shared fixtures: a real SQLite file per test, the key vault, repositories."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.exchanger.models import Credentials
from bot.storage.accounts import Account, AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.outbox import Outbox
from bot.storage.schedule import PollSchedule
from tests.postgres import Server, running_server

SITE = "https://ex.example"
Link = Callable[..., Awaitable[Account]]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject's addopts): two workers per core, at most 8. The long tests mostly
    wait on real processes (bots, PostgreSQL, the fakes), so one worker per core leaves the
    cores half idle (the suite took 6 min on 2 cores, 3.7 min with 4 workers); more than 8
    would start one PostgreSQL server per worker for little gain."""
    return min(2 * (os.cpu_count() or 1), 8)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """A throwaway PostgreSQL server, started on first use in this test process."""
    with running_server() as server:
        yield server


@pytest.fixture
def vault() -> KeyVault:
    return KeyVault([Fernet.generate_key()])


@pytest.fixture
def chats(db: Database) -> ChatRepo:
    return ChatRepo(db)


@pytest.fixture
def account_repo(db: Database, vault: KeyVault) -> AccountRepo:
    return AccountRepo(db, vault)


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


# The e2e harness: a strict fake Bot API, the sandbox process and the real bot process.
from tests.fakes.fixtures import bot_api, make_bot, sandbox  # noqa: E402, F401
