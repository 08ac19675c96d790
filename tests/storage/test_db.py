import asyncio
import contextlib
import sqlite3
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
        await conn.execute(
            "INSERT INTO chats (chat_id, created_at) VALUES (8, 0) ON CONFLICT DO NOTHING"
        )
    assert await db.fetch_one("SELECT 1 FROM chats WHERE chat_id = 8") is not None


async def test_migration_2_keeps_rows_and_children_and_never_reuses_an_account_id(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v1.sqlite3"
    with sqlite3.connect(path) as conn:  # a database as version 1 left it
        conn.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
        conn.execute("INSERT INTO chats (chat_id, created_at) VALUES (1, 0)")
        for account_id in (1, 2, 3):
            conn.execute(
                "INSERT INTO accounts (id, chat_id, site, api_key_enc, key_fingerprint, key_hint,"
                " linked_by, created_at, paused, next_poll_at) VALUES (?, 1, 's', 'e', ?, 'k',"
                " 1, 0, ?, 50)",
                (account_id, f"f{account_id}", int(account_id == 2)),
            )
        conn.execute("INSERT INTO exchange_state VALUES (1, 10, 0, 1, 0), (2, 11, 0, 1, 1)")
        conn.execute(
            "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
            " VALUES ('3:accrued:9:1', 1, 3, 'accrued', '{}', 0)"
        )
        conn.execute("DELETE FROM accounts WHERE id = 3")  # unlinked: id 3 was used

    db = await Database.open(path)
    try:
        states = await db.fetch_all("SELECT account_id FROM exchange_state ORDER BY 1")
        assert [row[0] for row in states] == [1, 2]  # not cascade-deleted by the rebuild
        paused = await db.fetch_one("SELECT paused_at, next_check_at FROM accounts WHERE id = 2")
        assert paused is not None and tuple(paused) == (50, 3650)
        async with db.transaction() as conn:
            row = await conn.fetch_one(
                "INSERT INTO accounts (chat_id, site, api_key_enc, key_fingerprint, key_hint,"
                " linked_by, created_at) VALUES (1, 's', 'e', 'f4', 'k', 1, 0) RETURNING id"
            )
            assert row is not None and row[0] == 4  # never 3 again
            await conn.execute("DELETE FROM accounts WHERE id = 4")
            row = await conn.fetch_one(
                "INSERT INTO accounts (chat_id, site, api_key_enc, key_fingerprint, key_hint,"
                " linked_by, created_at) VALUES (1, 's', 'e', 'f5', 'k', 1, 0) RETURNING id"
            )
            assert row is not None and row[0] == 5
        await db.execute("DELETE FROM accounts WHERE id = 1")
        gone = await db.fetch_one("SELECT COUNT(*) FROM exchange_state WHERE account_id = 1")
        assert gone is not None and gone[0] == 0  # foreign keys are on again afterwards
    finally:
        await db.close()
