"""The storage tests run on both engines: `db` is a fresh SQLite file or a fresh PostgreSQL
database (a copy of a migrated template) on the session's throwaway server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests.postgres import new_database


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        database = await Database.open(tmp_path / "bot.sqlite3")
    else:
        database = await Database.open(await new_database(request.getfixturevalue("pg_server")))
    yield database
    await database.close()
