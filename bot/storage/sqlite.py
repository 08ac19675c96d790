"""SQLite through aiosqlite: one write connection per process, WAL, migrations at start.

aiosqlite runs the connection in its own thread; many coroutines share it. A transaction
spans several awaits, so `transaction()` holds an asyncio lock: without it, statements of two
coroutines would interleave inside one transaction. Plain reads go to a second, read-only
connection: WAL lets it read the last committed state while a write batch is open, so a
command never waits behind the poller and never sees a half-written transaction.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.db import SQLITE, Connection, Database, IntegrityError, Params, Row
from bot.storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)


class SQLiteConnection(Connection):
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        try:
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return max(cursor.rowcount, 0)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        try:
            cursor = await self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        await cursor.close()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        try:  # fetchall steps a RETURNING statement to its end before the cursor closes
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc


class SQLiteDatabase(Database):
    dialect = SQLITE

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self._conn = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path) -> SQLiteDatabase:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path)
        await _pragma(writer, "journal_mode=WAL")
        db = cls(writer, await _connect(path))
        try:
            await db._migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        async with self._write_lock:
            await self._reader.close()
            await self._conn.close()

    async def _migrate(self) -> None:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"database schema version {current} is newer than this bot "
                f"({len(MIGRATIONS)}): upgrade the bot"
            )
        if current == len(MIGRATIONS):
            return
        # Off outside the transactions (it cannot change inside one): a table rebuild must not
        # cascade-delete the rows that reference the old table.
        await _pragma(self._conn, "foreign_keys=OFF")
        try:
            for version, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                # executescript commits first; the script's own BEGIN keeps it atomic.
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{migration}\nPRAGMA user_version = {version};"
                )
                async with self._conn.execute("PRAGMA foreign_key_check") as cursor:
                    broken = list(await cursor.fetchall())
                if broken:
                    await self._conn.rollback()
                    raise RuntimeError(f"migration {version} broke foreign keys: {broken[:3]}")
                await self._conn.commit()
                log.info("Database migrated to schema version %d", version)
        finally:
            await _pragma(self._conn, "foreign_keys=ON")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (cancellation included)."""
        async with self._write_lock:
            try:
                # Inside the try: a task cancelled while BEGIN runs in aiosqlite's thread would
                # otherwise leave the shared connection in a transaction for good.
                await self._conn.execute("BEGIN IMMEDIATE")
                yield SQLiteConnection(self._conn)
            except BaseException:
                # Queued behind a BEGIN still running in the thread, so it always undoes it;
                # a no-op when no transaction is open. Shielded: it must run even when cancelled.
                await asyncio.shield(self._conn.rollback())
                raise
            else:
                await self._conn.commit()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._reader.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._reader.execute(sql, tuple(params)) as cursor:
            return await cursor.fetchone()


async def _connect(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    for pragma in ("synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
        await _pragma(conn, pragma)
    return conn


async def _pragma(conn: aiosqlite.Connection, pragma: str) -> None:
    # Close the cursor: an unfinished PRAGMA statement keeps a read lock on the file.
    async with conn.execute(f"PRAGMA {pragma}"):
        pass
