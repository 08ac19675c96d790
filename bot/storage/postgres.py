"""PostgreSQL through asyncpg: a small pool, one transaction per `transaction()`, migrations
under an advisory lock so that several bot processes starting at once migrate once.

Statements are the repositories' own text with SQLite's `?` placeholders numbered as `$n`
(db.numbered, cached); asyncpg prepares and caches each statement per connection. Reads run
on any pooled connection outside a transaction: READ COMMITTED sees the last committed state,
as SQLite's reader connection does.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bot.storage.db import POSTGRESQL, Connection, Database, IntegrityError, Params, Row, numbered
from bot.storage.migrations import MIGRATIONS_PG

log = logging.getLogger(__name__)

# pg_advisory_lock key of the migration (any constant; "pexbot" in ASCII).
MIGRATION_LOCK = 0x706578626F74
POOL_SIZE = 10


def _changed(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") → the row count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresConnection(Connection):
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            return _changed(await self._conn.execute(numbered(sql), *params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            await self._conn.executemany(numbered(sql), rows)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            return list(await self._conn.fetch(numbered(sql), *params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc


class PostgresDatabase(Database):
    dialect = POSTGRESQL

    def __init__(self, pool: asyncpg.Pool, url: str = "") -> None:
        self._pool = pool
        self._url = url

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = POOL_SIZE) -> PostgresDatabase:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=pool_size)
        db = cls(pool, url)
        try:
            await db._migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        await self._pool.close()

    async def dedicated(self) -> asyncpg.Connection:
        """A connection outside the pool, for a session lock held as long as it lives."""
        return await asyncpg.connect(self._url, timeout=10)

    @staticmethod
    async def ping(conn: object) -> None:
        assert isinstance(conn, asyncpg.Connection)
        await conn.fetchval("SELECT 1", timeout=10)

    @staticmethod
    async def close_dedicated(conn: object) -> None:
        assert isinstance(conn, asyncpg.Connection)
        await conn.close(timeout=5)

    async def _migrate(self) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
                )
                current = int(await conn.fetchval("SELECT MAX(version) FROM schema_version") or 0)
                if current > len(MIGRATIONS_PG):
                    raise RuntimeError(
                        f"database schema version {current} is newer than this bot "
                        f"({len(MIGRATIONS_PG)}): upgrade the bot"
                    )
                for version, script in enumerate(MIGRATIONS_PG[current:], start=current + 1):
                    async with conn.transaction():
                        await conn.execute(script)
                        await conn.execute("INSERT INTO schema_version VALUES ($1)", version)
                    log.info("Database migrated to schema version %d", version)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._pool.acquire() as conn, conn.transaction():
            yield PostgresConnection(conn)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._pool.acquire() as conn:
            return list(await conn.fetch(numbered(sql), *params))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._pool.acquire() as conn:
            return await conn.fetchrow(numbered(sql), *params)
