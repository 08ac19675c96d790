"""Push notifications end to end: the real `python -m bot` process at POLL_INTERVAL=1, the
sandbox process and the strict fake Bot API. Each change arrives once: across a restart,
across a `kill -9` between detection and sending, and after the exchanger was down."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeUser
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import BotProcess, SandboxProcess

EXCHANGE = {
    "currency_code_give": "BTC",
    "currency_code_get": "USDTTRC20",
    "amount_give": "0.01",
    "amount_get": "650.00",
    "partner_reward": "2.50",
}


def db_value(path: Path, sql: str) -> Any:
    with sqlite3.connect(path, timeout=5) as conn:
        row = conn.execute(sql).fetchone()
    return row[0] if row else None


async def wait_db(path: Path, sql: str, seconds: float = 20.0) -> None:
    """Waits until the query on the bot's database returns something truthy."""
    async with asyncio.timeout(seconds):
        while not db_value(path, sql):  # noqa: ASYNC110 - a condition in another process
            await asyncio.sleep(0.05)


async def requests(sandbox: SandboxProcess, method: str) -> int:
    return int((await sandbox.control("GET", f"requests?method={method}"))["count"])


async def wait_requests(sandbox: SandboxProcess, method: str, more_than: int) -> None:
    async with asyncio.timeout(20):
        while await requests(sandbox, method) <= more_than:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


class World:
    """One affiliate with a little history, linked from Ann's private chat."""

    def __init__(self, fake: FakeBotApi, sandbox: SandboxProcess, bot: BotProcess, db: Path):
        self.fake, self.sandbox, self.bot, self.db = fake, sandbox, bot, db
        self.ann: FakeUser = fake.user(1001, "Ann", language_code="en")
        self.chat: FakeChat = fake.private_chat(self.ann)
        self.key = ""

    async def setup(self) -> dict[str, int]:
        partner = await self.sandbox.control(
            "POST",
            "partners",
            {
                "balance": "3.00",
                "min_payout": "10.00",
                "methods": [{"id": 1, "title": "USDT TRC20"}],
            },
        )
        self.key = partner["api_key"]
        items = {
            "history": await self.add_exchange(exchange_success=1, accrued=1),
            "done": await self.add_exchange(exchange_success=1),
            "payout": (await self.control("POST", "payouts", {"pay_amount": "11.00"}))["id"],
        }
        await self.start_bot()
        await self.say(f"/link {self.key}", "Account linked")
        await wait_db(self.db, "SELECT baseline_done FROM accounts")
        return items

    async def start_bot(self) -> None:
        mark = self.bot.mark()
        await self.bot.start()
        await self.bot.wait_for_output("Start polling", timeout=30, since=mark)

    async def control(self, verb: str, path: str, body: Any = None) -> Any:
        return await self.sandbox.control(verb, f"partners/{self.key}/{path}", body)

    async def add_exchange(self, **fields: Any) -> int:
        return int((await self.control("POST", "exchanges", EXCHANGE | fields))["id"])

    async def say(self, text: str, expect: str) -> str:
        mark = self.fake.revision
        await self.fake.send_text(self.chat, self.ann, text)
        return (await self.fake.wait_for_text(self.chat.id, expect, since=mark, timeout=20)).text

    def count(self, fragment: str) -> int:
        return sum(fragment in m.text for m in self.fake.bot_messages(self.chat.id))


def world(fake: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot) -> World:
    bot = make_bot(throttle_seconds="0", http_timeout="2")
    return World(fake, sandbox, bot, Path(bot.env["DATABASE_PATH"]))


async def test_each_change_arrives_once_across_a_restart(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    w = world(bot_api, sandbox, make_bot)
    items = await w.setup()
    await w.control("PATCH", f"exchanges/{items['done']}", {"accrued": 1})
    accrued = await bot_api.wait_for_text(w.chat.id, "Reward accrued", timeout=20)
    assert f"Exchange #{items['done']}: 0.01 BTC → 650.00 USDTTRC20" in accrued.text
    assert "2.50 USD" in accrued.text
    await w.control("PATCH", f"payouts/{items['payout']}", {"status": 1})
    paid = await bot_api.wait_for_text(w.chat.id, f"Payout #{items['payout']}", timeout=20)
    assert "paid" in paid.text and "11.00" in paid.text

    assert await w.bot.terminate() == 0
    assert "Notifications stopped" in w.bot.output()
    await w.start_bot()
    # /settings: new exchanges off; a new exchange is polled, then accrued.
    await w.say("/settings", "Notifications in this chat")
    await bot_api.wait_for_answer(
        await bot_api.press_button(w.chat, w.ann, "New referred exchange")
    )
    await bot_api.wait_for(  # the same message, edited in place
        lambda m: "🔕 New referred exchange" in m.button_texts(), chat_id=w.chat.id
    )
    fresh = await w.add_exchange()
    await wait_requests(sandbox, "get_exchanges", await requests(sandbox, "get_exchanges"))
    await w.control("PATCH", f"exchanges/{fresh}", {"exchange_success": 1, "accrued": 1})
    await bot_api.wait_for_text(w.chat.id, f"Exchange #{fresh}", timeout=20)

    assert w.count("Reward accrued") == 2 and w.count(f"Payout #{items['payout']}") == 1
    assert w.count(f"Exchange #{items['history']}") == 0  # linking announced no history
    assert w.count("New referred exchange") == 0
    reason = "SELECT dropped_reason FROM outbox WHERE kind = 'new_exchange'"
    assert db_value(w.db, reason) == "turned off in /settings"  # detected, then not sent
    assert bot_api.violations == []


async def test_kill_9_between_detection_and_sending_delivers_exactly_once(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    w = world(bot_api, sandbox, make_bot)
    items = await w.setup()
    await bot_api.stop()  # Telegram is unreachable: the notification stays in the outbox
    await w.control("PATCH", f"exchanges/{items['done']}", {"accrued": 1})
    await wait_db(w.db, "SELECT COUNT(*) FROM outbox WHERE kind = 'accrued' AND sent_at IS NULL")
    await w.bot.kill()
    await bot_api.start()
    await w.start_bot()
    await bot_api.wait_for_text(w.chat.id, "Reward accrued", timeout=20)
    await wait_db(w.db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
    assert w.count("Reward accrued") == 1
    assert db_value(w.db, "SELECT COUNT(*) FROM outbox") == 1
    assert bot_api.violations == []


async def test_exchanger_down_keeps_commands_working_and_catches_up(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    w = world(bot_api, sandbox, make_bot)
    items = await w.setup()
    await sandbox.control("POST", "faults", {"mode": "drop"})
    failed = await requests(sandbox, "get_exchanges")
    await w.control("PATCH", f"exchanges/{items['done']}", {"accrued": 1})
    await wait_requests(sandbox, "get_exchanges", failed + 1)
    assert "Commands" in await w.say("/help", "Commands")
    assert w.count("Reward accrued") == 0
    await sandbox.control("DELETE", "faults")
    await bot_api.wait_for_text(w.chat.id, "Reward accrued", timeout=30)

    await sandbox.control("POST", f"partners/{w.key}/rotate")  # the old key dies at once
    await bot_api.wait_for_text(w.chat.id, "rejected your API key", timeout=20)
    assert w.count("Reward accrued") == 1
    output = w.bot.output()
    assert (
        f"Polling {sandbox.url} failed" in output and f"Polling {sandbox.url} recovered" in output
    )
    assert w.key not in output
    assert bot_api.violations == []
