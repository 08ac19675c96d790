import asyncio
import contextlib
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS


async def test_migrations_apply_once_and_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.sqlite3"
    db = await Database.open(path)
    row = await db.fetch_one("PRAGMA user_version")
    assert row is not None and row[0] == len(MIGRATIONS)
    await db.execute("INSERT INTO chats (chat_id, created_at) VALUES (1, 0)")
    await db.close()

    reopened = await Database.open(path)
    assert (await reopened.fetch_one("SELECT COUNT(*) FROM chats"))[0] == 1  # type: ignore[index]
    mode = await reopened.fetch_one("PRAGMA journal_mode")
    assert mode is not None and mode[0] == "wal"
    await reopened.close()


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    await db.close()
    with pytest.raises(RuntimeError, match="newer"):
        await Database.open(path)


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(ZeroDivisionError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (chat_id, created_at) VALUES (5, 0)")
            _ = 1 / 0
    assert await db.fetch_one("SELECT 1 FROM chats WHERE chat_id = 5") is None


async def test_reader_does_not_see_an_open_transaction(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO chats (chat_id, created_at) VALUES (6, 0)")
        assert await db.fetch_one("SELECT 1 FROM chats WHERE chat_id = 6") is None
    assert await db.fetch_one("SELECT 1 FROM chats WHERE chat_id = 6") is not None


async def test_cancelled_while_beginning_leaves_no_open_transaction(db: Database) -> None:
    async def write() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (chat_id, created_at) VALUES (7, 0)")

    for _ in range(20):  # cancel at different points of BEGIN / INSERT / COMMIT
        task = asyncio.create_task(write())
        await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await write_ok(db)


async def write_ok(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT OR IGNORE INTO chats (chat_id, created_at) VALUES (8, 0)")
    assert await db.fetch_one("SELECT 1 FROM chats WHERE chat_id = 8") is not None
