"""PostgreSQL's migrations: four processes starting at once on an empty database migrate it
once (the advisory lock), and a database newer than the bot is refused."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS_PG
from tests.postgres import Server


async def empty_database(server: Server, name: str) -> str:
    admin = await asyncpg.connect(server.url("postgres"))
    try:
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    return server.url(name)


async def test_four_starts_at_once_migrate_once(pg_server: Server) -> None:
    url = await empty_database(pg_server, "race_migrations")
    dbs = await asyncio.gather(*(Database.open(url) for _ in range(4)))
    try:
        versions = await dbs[0].fetch_all("SELECT version FROM schema_version ORDER BY version")
        assert [row[0] for row in versions] == list(range(1, len(MIGRATIONS_PG) + 1))
    finally:
        for db in dbs:
            await db.close()


async def test_a_newer_schema_is_refused(pg_server: Server) -> None:
    url = await empty_database(pg_server, "newer_schema")
    db = await Database.open(url)
    await db.execute("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS_PG) + 1,))
    await db.close()
    with pytest.raises(RuntimeError, match="newer than this bot"):
        await Database.open(url)
