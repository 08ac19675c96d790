"""The real `python -m bot` on PostgreSQL (DATABASE_URL): linking, notifications across a
restart and /settings, as on SQLite; each change arrives once; the password is never logged."""

from __future__ import annotations

import asyncio

import asyncpg

from bot.devtools.bot_api import FakeBotApi
from tests.e2e.test_notifications import World
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess
from tests.postgres import Server, new_database


async def wait_pg(url: str, sql: str, seconds: float = 20.0) -> None:
    conn = await asyncpg.connect(url)
    try:
        async with asyncio.timeout(seconds):
            while not await conn.fetchval(sql):  # noqa: ASYNC110 - written by the bot process
                await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def test_the_bot_runs_on_postgresql(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, pg_server: Server
) -> None:
    url = await new_database(pg_server)
    # The test server trusts local connections: the password is accepted and never needed,
    # so it can only show up in the output if the bot leaked it (it logs at DEBUG here).
    with_password = url.replace("postgres@", "postgres:s3cret-pw@")
    bot = make_bot(throttle_seconds="0", http_timeout="2", database_url=with_password)
    w = World(bot_api, sandbox, bot, bot.env["DATABASE_PATH"])  # type: ignore[arg-type]
    partner = await sandbox.control("POST", "partners", {"balance": "3.00"})
    w.key = partner["api_key"]
    done = await w.add_exchange(exchange_success=1)
    payout = (await w.control("POST", "payouts", {"pay_amount": "11.00"}))["id"]
    await w.start_bot()
    await w.say(f"/link {w.key}", "Account linked")
    await wait_pg(url, "SELECT baseline_done FROM accounts")

    await w.control("PATCH", f"exchanges/{done}", {"accrued": 1})
    await bot_api.wait_for_text(w.chat.id, "Reward accrued", timeout=20)
    assert await w.bot.terminate() == 0
    await w.start_bot()
    await w.control("PATCH", f"payouts/{payout}", {"status": 1})
    await bot_api.wait_for_text(w.chat.id, f"Payout #{payout}", timeout=20)
    await w.say("/settings", "Notifications in this chat")

    assert w.count("Reward accrued") == 1 and w.count(f"Payout #{payout}") == 1
    await wait_pg(url, "SELECT COUNT(*) = 2 FROM outbox WHERE sent_at IS NOT NULL")
    assert "s3cret-pw" not in w.bot.output()
    assert bot_api.violations == []
