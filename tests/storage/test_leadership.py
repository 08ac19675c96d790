"""Several processes on one PostgreSQL database (issue 15): one sender at a time by an advisory
lock that moves when its holder's connection dies, and outbox rows claimed before sending."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.leadership import SENDER_LOCK, Leadership
from bot.storage.outbox import Message, Outbox, PollResult
from tests.postgres import Server, new_database
from tests.storage.test_payout_claims import linked


async def test_one_process_holds_the_sender_role_until_its_connection_dies(
    pg_server: Server,
) -> None:
    url = await new_database(pg_server)
    first, second = await Database.open(url), await Database.open(url)
    try:
        a, b = Leadership(first, SENDER_LOCK, "Sender"), Leadership(second, SENDER_LOCK, "Sender")
        assert await a.held() and not await b.held()
        assert await a.held() and not await b.held()  # kept while a's connection answers
        # a dies: PostgreSQL ends its session (here: the server terminates the backend)
        await first.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks"
            " WHERE locktype = 'advisory' AND objid = ? AND granted",
            (SENDER_LOCK & 0xFFFFFFFF,),
        )
        assert await b.held()
        assert not await a.held()  # a notices its lost connection and does not send
        await b.release()
        assert await a.held()
        await a.release()
    finally:
        await first.close()
        await second.close()


async def test_the_one_sqlite_process_is_always_the_sender(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        role = Leadership(db, SENDER_LOCK, "Sender")
        assert await role.held()
        await role.release()
        assert await role.held()
    finally:
        await db.close()


async def test_outbox_rows_are_claimed_by_one_sender_only(
    pg_server: Server, vault: KeyVault
) -> None:
    url = await new_database(pg_server)
    dbs = [await Database.open(url) for _ in range(3)]
    try:
        now = time.time()
        results = []
        for chat in range(20):
            account = await linked(dbs[0], vault, 500 + chat)
            message = Message(f"{account.id}:k", "accrued", 500 + chat, account.id, {"n": 1})
            results.append(PollResult(account.id, now + 60, polled_at=now, messages=(message,)))
        assert await Outbox(dbs[0]).save(results) == 20
        for _ in range(2):  # warm the pools: the claims start together
            await asyncio.gather(*(d.fetch_one("SELECT 1") for d in dbs))
        batches = await asyncio.gather(*(Outbox(d).due(8, lease=60.0) for d in dbs))
        ids = [row.id for batch in batches for row in batch]
        assert len(ids) == len(set(ids)) == 20  # 3 claims of ≤ 8: each row once
        assert await Outbox(dbs[0]).due(100) == []  # claimed: not due to anyone
        later = Outbox(dbs[1], clock=lambda: now + 61)
        assert len(await later.due(100)) == 20  # the sender died: due again after the lease
    finally:
        for d in dbs:
            await d.close()
