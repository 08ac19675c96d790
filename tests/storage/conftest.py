"""The storage tests run on both engines: `db` is a fresh SQLite file or a fresh PostgreSQL
database (a copy of a migrated template) on the session's throwaway server."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.storage.db import Database
from tests.postgres import TEMPLATE, Server, running_server

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    with running_server() as server:
        yield server


async def new_database(pg_server: Server) -> str:
    """A new, migrated, empty database on the test server; returns its URL."""
    admin = await asyncpg.connect(pg_server.url("postgres"))
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", TEMPLATE):
            await admin.execute(f"CREATE DATABASE {TEMPLATE}")
            template = await Database.open(pg_server.url(TEMPLATE))
            await template.close()
        name = f"test_{next(_names)}"
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await admin.close()
    return pg_server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        database = await Database.open(tmp_path / "bot.sqlite3")
    else:
        database = await Database.open(await new_database(request.getfixturevalue("pg_server")))
    yield database
    await database.close()
