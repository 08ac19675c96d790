"""Why the storage layer is thin: the same statements through it and through SQLAlchemy 2's
async Core, on both engines, CPU per poll-sized unit of work.

One unit = what the poller does per account in a round, in its batch shape: claim (the due
SELECT, LIMIT 100, once per 100 polls), read the open items (one SELECT), and its share of a
200-poll write transaction (an executemany UPDATE of accounts). The statements and data are
identical; only the layer differs (SQLAlchemy: `text()` with named parameters, its
`create_async_engine` pool, `postgresql+asyncpg` / `sqlite+aiosqlite`).

SQLAlchemy is not a dependency of the bot: install it into a scratch directory to run this.

    .venv/bin/pip install --target /tmp/sa "sqlalchemy[asyncio]>=2"
    PYTHONPATH=/tmp/sa .venv/bin/python -m bench.storage_layers
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench.bench_storage import seed
from bot.storage.db import Database
from tests.postgres import Server, running_server

ACCOUNTS, ROUNDS, RUNS = 1_000, 3, 3
DUE = (
    "SELECT a.id, a.chat_id, a.site, a.key_hint, a.api_key_enc, a.baseline_done,"
    " a.payout_available, a.failures, a.last_success_at, c.active, a.paused, a.paused_at,"
    " a.created_at FROM accounts a JOIN chats c ON c.chat_id = a.chat_id"
    " WHERE a.paused = 0 AND a.next_poll_at <= {now} ORDER BY a.next_poll_at LIMIT {limit}"
)
OPEN = (
    "SELECT (SELECT MIN(time) FROM exchange_state WHERE account_id = {a} AND accrued = 0),"
    " (SELECT MIN(time) FROM payout_state WHERE account_id = {a} AND status = 0),"
    " (SELECT MAX(payout_id) FROM payout_state WHERE account_id = {a})"
)
SUCCESS = (
    "UPDATE accounts SET next_poll_at = {at}, failures = 0, last_error = NULL,"
    " last_success_at = {polled}, baseline_done = 1, payout_available = 0 WHERE id = {id}"
)


def ours(template: str, names: list[str]) -> str:
    return template.format(**dict.fromkeys(names, "?"))


def named(template: str, names: list[str]) -> str:
    return template.format(**{n: f":{n}" for n in names})


async def thin(db: Database, ids: list[int]) -> None:
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        for claim in range(0, len(chunk), 100):
            await db.fetch_all(ours(DUE, ["now", "limit"]), (time.time() + 1e9, 100))
            for account in chunk[claim : claim + 100]:
                await db.fetch_one(ours(OPEN, ["a"]).replace("?", "?1"), (account,))
        async with db.transaction() as conn:
            await conn.executemany(
                ours(SUCCESS, ["at", "polled", "id"]), [(1.0, 1, i) for i in chunk]
            )


async def alchemy(engine: Any, ids: list[int]) -> None:
    from sqlalchemy import text

    due, opened = text(named(DUE, ["now", "limit"])), text(named(OPEN, ["a"]))
    success = text(named(SUCCESS, ["at", "polled", "id"]))
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        for claim in range(0, len(chunk), 100):
            async with engine.connect() as conn:
                (await conn.execute(due, {"now": time.time() + 1e9, "limit": 100})).fetchall()
            for account in chunk[claim : claim + 100]:
                async with engine.connect() as conn:
                    (await conn.execute(opened, {"a": account})).fetchone()
        async with engine.begin() as conn:
            await conn.execute(success, [{"at": 1.0, "polled": 1, "id": i} for i in chunk])


async def cpu_per_poll(work: Any, ids: list[int]) -> float:
    await work(ids[:200])  # warm-up: prepared statements, caches
    started = time.process_time()
    for _ in range(ROUNDS):
        await work(ids)
    return (time.process_time() - started) / (ROUNDS * len(ids)) * 1e6


async def measure(engine_name: str, work_dir: Path, server: Server) -> tuple[float, float]:
    from sqlalchemy.ext.asyncio import create_async_engine

    if engine_name == "sqlite":
        path = work_dir / f"layers-{time.monotonic_ns()}.sqlite3"
        db = await Database.open(path)
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    else:
        name = f"layers_{time.monotonic_ns() % 10**9}"
        admin = await asyncpg.connect(server.url("postgres"))
        await admin.execute(f"CREATE DATABASE {name}")
        await admin.close()
        db = await Database.open(server.url(name))
        engine = create_async_engine(
            f"postgresql+asyncpg://postgres@/{name}?host={server.socket_dir}&port={server.port}"
        )
    try:
        await seed(db, ACCOUNTS)
        rows = await db.fetch_all("SELECT id FROM accounts ORDER BY id")
        ids = [int(r[0]) for r in rows]
        ours_us = await cpu_per_poll(lambda chunk: thin(db, chunk), ids)
        theirs_us = await cpu_per_poll(lambda chunk: alchemy(engine, chunk), ids)
        return ours_us, theirs_us
    finally:
        await engine.dispose()
        await db.close()


async def main() -> None:
    with tempfile.TemporaryDirectory() as work, running_server(durable=True) as server:
        for engine_name in ("sqlite", "postgresql"):
            pairs = [await measure(engine_name, Path(work), server) for _ in range(RUNS)]
            thin_us = statistics.median(p[0] for p in pairs)
            sa_us = statistics.median(p[1] for p in pairs)
            print(
                f"{engine_name:10} thin layer {thin_us:7.1f} µs/poll   "
                f"SQLAlchemy Core {sa_us:7.1f} µs/poll   ({sa_us / thin_us:.2f}×)   "
                f"runs: {[f'{a:.0f}/{b:.0f}' for a, b in pairs]}"
            )


if __name__ == "__main__":
    asyncio.run(main())
