"""Storage engines: one polling round's database work on SQLite and on PostgreSQL.

For N accounts (each with 20 stored exchanges and 5 payouts), the poller's own storage calls
in its own order: claim due accounts (`PollSchedule.due` + `reschedule`, 100 at a time), read
each one's window and snapshot (`open_items`, `snapshot`), then write the results 200 at a
time in one transaction (`Outbox.save`: every 10th account has a changed exchange and a
notification). No HTTP: the figures are the database layer's alone, for the same work on both.

- bot CPU per poll: this process's user+system time (all threads: aiosqlite's too) / N;
  a poll sends two requests (get_exchanges + get_payouts), so per request it is half;
- server CPU per poll: PostgreSQL's processes (postmaster and children, /proc) / N;
- p99 of a poll's write transaction: wall time of `Outbox.save` per batch.

PostgreSQL runs with its defaults (fsync, synchronous commit), as an operator gets it, in a
throwaway cluster (tests/postgres.py) on a Unix socket. SQLite is the bot's default (WAL,
synchronous=NORMAL). `python -m bench --only storage`, or alone:
`python -m bench.bench_storage --sizes 1000 10000`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench.context import SCALES, Context
from bench.machine import cpu_seconds
from bench.report import Row
from bot.exchanger.models import PayoutStatus
from bot.storage.db import Database
from bot.storage.outbox import Message, Outbox, PollResult
from bot.storage.schedule import PollSchedule
from bot.storage.snapshots import ExchangeState, PayoutState
from tests.postgres import Server, running_server

EXCHANGES, PAYOUTS = 20, 5
CLAIM, FLUSH = 100, 200


@dataclass
class Figures:
    cpu_us: float  # bot CPU per poll, µs
    server_us: float | None  # PostgreSQL CPU per poll, µs
    save_p99_ms: float
    save_p50_ms: float


async def seed(db: Database, accounts: int) -> None:
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO chats (chat_id, created_at) VALUES (?, 0)",
            [(50_000_000 + i,) for i in range(accounts)],
        )
        await conn.executemany(
            "INSERT INTO accounts (chat_id, site, api_key_enc, key_fingerprint, key_hint,"
            " linked_by, created_at, baseline_done, next_poll_at, last_success_at)"
            " VALUES (?, 'https://ex.bench', 'token', ?, 'benc', 1, 0, 1, 0, 1000)",
            [(50_000_000 + i, f"fp{i}") for i in range(accounts)],
        )
        ids = [int(r[0]) for r in await conn.fetch_all("SELECT id FROM accounts ORDER BY id")]
        await conn.executemany(
            "INSERT INTO exchange_state VALUES (?, ?, ?, 1, 0)",
            [(a, e, 1000 + e) for a in ids for e in range(1, EXCHANGES + 1)],
        )
        await conn.executemany(
            "INSERT INTO payout_state VALUES (?, ?, ?, 0)",
            [(a, p, 1000 + p) for a in ids for p in range(1, PAYOUTS + 1)],
        )


async def one_round(db: Database, accounts: int, server: Server | None) -> Figures:
    schedule, outbox = PollSchedule(db), Outbox(db)
    now = time.time()
    saves: list[float] = []
    pending: list[PollResult] = []
    cpu0 = time.process_time()
    server0 = server_cpu(server)
    polled = 0
    while polled < accounts:
        due = await schedule.due(now, CLAIM)
        if not due:
            break
        await schedule.reschedule([(a.id, now + 600) for a in due])
        for account in due:
            opened = await schedule.open_items(account.id)
            await schedule.snapshot(
                account,
                list(range(1, EXCHANGES + 1)),
                list(range(1, PAYOUTS + 1)),
                opened.last_payout_id,
            )
            pending.append(_result(account.id, account.chat_id, polled, now))
            polled += 1
            if len(pending) >= FLUSH:
                saves.append(await _timed_save(outbox, pending))
                pending = []
    if pending:
        saves.append(await _timed_save(outbox, pending))
    cpu = time.process_time() - cpu0
    server_used = server_cpu(server) - server0 if server else None
    saves.sort()
    return Figures(
        cpu_us=cpu / polled * 1e6,
        server_us=server_used / polled * 1e6 if server_used is not None else None,
        save_p99_ms=saves[min(len(saves) - 1, int(len(saves) * 0.99))] * 1e3,
        save_p50_ms=statistics.median(saves) * 1e3,
    )


def _result(account_id: int, chat_id: int, index: int, now: float) -> PollResult:
    changed = index % 10 == 0
    exchanges = (ExchangeState(1, 1001, True, True),) if changed else ()
    messages = (
        (Message(f"{account_id}:accrued:1:{int(now)}", "accrued", chat_id, account_id, {}),)
        if changed
        else ()
    )
    return PollResult(
        account_id,
        now + 60,
        polled_at=now,
        exchanges=exchanges,
        payouts=(PayoutState(1, 1001, PayoutStatus.PENDING),) if changed else (),
        messages=messages,
    )


async def _timed_save(outbox: Outbox, batch: list[PollResult]) -> float:
    started = time.perf_counter()
    await outbox.save(batch)
    return time.perf_counter() - started


def server_cpu(server: Server | None) -> float:
    """The server's CPU so far: its live processes plus the children that already exited (the
    postmaster's cutime/cstime), so a backend ending mid-round does not lose its time."""
    if server is None:
        return 0.0
    master, *children = server.pids
    stat = Path(f"/proc/{master}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    total = sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    for pid in children:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


async def measure(engine: str, accounts: int, work: Path, server: Server | None) -> Figures:
    if engine == "sqlite":
        db = await Database.open(work / f"bench-{accounts}-{time.monotonic_ns()}.sqlite3")
    else:
        assert server is not None
        name = f"bench_{accounts}_{int(time.time() * 1000) % 10**9}"
        admin = await asyncpg.connect(server.url("postgres"))
        try:
            await admin.execute(f"CREATE DATABASE {name}")
        finally:
            await admin.close()
        db = await Database.open(server.url(name))
    try:
        await seed(db, accounts)
        await one_round(db, min(accounts, 200), server)  # warm-up: prepared statements, cache
        async with db.transaction() as conn:
            await conn.execute("UPDATE accounts SET next_poll_at = 0")
        return await one_round(db, accounts, server if engine == "postgresql" else None)
    finally:
        await db.close()


async def run(ctx: Context) -> list[Row]:
    return await rows(ctx.scale.poll_sizes, ctx.scale.runs, ctx.directory("storage"), ctx)


async def rows(
    sizes: tuple[int, ...], runs: int, work: Path, ctx: Context | None = None
) -> list[Row]:
    found: dict[tuple[str, int], list[Figures]] = {}
    with running_server(durable=True) as server:
        for accounts in sizes:
            for engine in ("sqlite", "postgresql"):
                for index in range(max(runs, 1)):
                    if ctx:
                        ctx.progress(f"storage {engine}, {accounts} accounts, run {index + 1}")
                    figures = await measure(engine, accounts, work, server)
                    found.setdefault((engine, accounts), []).append(figures)
    out: list[Row] = []
    for (engine, accounts), figures in found.items():
        out.append(
            Row(
                key=f"13.cpu_us_per_poll.{engine}.{accounts}",
                figure=f"bot CPU per poll's storage work, {engine}, {accounts} accounts",
                unit="µs",
                limit_text="two requests per poll",
                samples=[f.cpu_us for f in figures],
            )
        )
        if engine == "postgresql":
            out.append(
                Row(
                    key=f"13.server_us_per_poll.{accounts}",
                    figure=f"PostgreSQL server CPU per poll, {accounts} accounts",
                    unit="µs",
                    samples=[f.server_us or 0.0 for f in figures],
                )
            )
        out.append(
            Row(
                key=f"13.save_p99_ms.{engine}.{accounts}",
                figure=f"p99 of a poll batch's write transaction ({FLUSH} polls), {engine}, "
                f"{accounts} accounts",
                unit="ms",
                samples=[f.save_p99_ms for f in figures],
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_storage")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SCALES["full"].poll_sizes))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        result = asyncio.run(rows(tuple(args.sizes), args.runs, Path(work)))
    for row in result:
        samples = ", ".join(f"{s:.1f}" for s in row.samples)
        print(f"{row.key:40} {statistics.median(row.samples):9.1f} {row.unit}  [{samples}]")


if __name__ == "__main__":
    main()
