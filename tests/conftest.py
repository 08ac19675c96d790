"""Shared fixtures: a real SQLite file per test, the key vault, repositories."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def vault() -> KeyVault:
    return KeyVault([Fernet.generate_key()])


@pytest.fixture
def chats(db: Database) -> ChatRepo:
    return ChatRepo(db)


@pytest.fixture
def account_repo(db: Database, vault: KeyVault) -> AccountRepo:
    return AccountRepo(db, vault)


# The e2e harness: a strict fake Bot API, the sandbox process and the real bot process.
from tests.fakes.fixtures import bot_api, make_bot, sandbox  # noqa: E402, F401
