"""Big accounts and flaky sites, end to end: the real `python -m bot` at POLL_INTERVAL=1, the
sandbox process and the strict fake Bot API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.devtools.bot_api import FakeBotApi
from tests.e2e.test_notifications import EXCHANGE, db_value, wait_db
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess

PARTNER = {"balance": "3.00", "min_payout": "10.00", "methods": [{"id": 1, "title": "USDT"}]}


async def link(fake: FakeBotApi, chat_id: int, key: str) -> None:
    chat = fake.private_chat(fake.user(chat_id, "Ann"))
    mark = fake.revision
    await fake.send_text(chat, fake.user(chat_id), f"/link {key}")
    await fake.wait_for_text(chat_id, "Account linked", since=mark, timeout=20)


async def faulty_requests(sandbox: SandboxProcess, mode: str) -> int:
    log = await sandbox.control("GET", "requests?limit=10000")
    return sum(item["fault"] == mode for item in log["items"])


async def test_a_firewall_in_front_of_the_site_never_asks_to_relink(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    """Three accounts; 403 HTML pages for 12 s, then "Access temporarily limited" for 12 s:
    no chat is told to re-link, nothing is paused, and an accrual afterwards is notified."""
    bot = make_bot(throttle_seconds="0", http_timeout="2")
    db = Path(bot.env["DATABASE_PATH"])
    keys = [(await sandbox.control("POST", "partners", PARTNER))["api_key"] for _ in range(3)]
    first = await sandbox.control(
        "POST", f"partners/{keys[0]}/exchanges", EXCHANGE | {"exchange_success": 1}
    )
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    for n, key in enumerate(keys):
        await link(bot_api, 2001 + n, key)
    await wait_db(db, "SELECT COUNT(*) = 3 FROM accounts WHERE baseline_done = 1")

    await sandbox.control("POST", "faults", {"mode": "html", "status": 403})
    await asyncio.sleep(12)
    await sandbox.control("DELETE", "faults")
    limited = "Access temporarily limited, try again later"
    await sandbox.control("POST", "faults", {"mode": "error_text", "text": limited})
    await asyncio.sleep(12)
    await sandbox.control("DELETE", "faults")
    assert await faulty_requests(sandbox, "html") >= 3
    assert await faulty_requests(sandbox, "error_text") >= 1  # the circuit is open: probes

    await sandbox.control("PATCH", f"partners/{keys[0]}/exchanges/{first['id']}", {"accrued": 1})
    accrued = await bot_api.wait_for_text(2001, "Reward accrued", timeout=45)
    assert f"Exchange #{first['id']}" in accrued.text
    for chat_id in (2001, 2002, 2003):
        assert not any("rejected" in m.text for m in bot_api.bot_messages(chat_id))
    assert db_value(db, "SELECT SUM(paused) FROM accounts") == 0
    assert f"Polling {sandbox.url} failed" in bot.output()
    assert bot_api.violations == []


async def test_a_big_account_is_polled_and_a_new_accrual_notified(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    """15,000 exchanges in 30 days: several MB per full answer, over the 2 MB cap."""
    bot = make_bot(throttle_seconds="0")
    db = Path(bot.env["DATABASE_PATH"])
    key = (await sandbox.control("POST", "partners", PARTNER))["api_key"]
    history = await sandbox.control("POST", f"partners/{key}/exchanges/bulk", {"count": 15_000})
    assert history["count"] == 15_000
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    await link(bot_api, 3001, key)
    await wait_db(db, "SELECT baseline_done FROM accounts", seconds=60)
    assert db_value(db, "SELECT COUNT(*) FROM exchange_state") == 15_000
    assert db_value(db, "SELECT last_error FROM accounts") is None

    # The command reads a recent window, not the whole history: its first page answers.
    chat = bot_api.private_chat(bot_api.user(3001, "Ann"))
    mark = bot_api.revision
    await bot_api.send_text(chat, bot_api.user(3001), "/exchanges")
    page = await bot_api.wait_for_text(3001, "Referred exchanges", since=mark, timeout=30)
    assert "#" in page.text and page.reply_markup is not None  # items, and paging buttons

    fresh = await sandbox.control("POST", f"partners/{key}/exchanges", EXCHANGE)
    created = await bot_api.wait_for_text(3001, f"Exchange #{fresh['id']}", timeout=30)
    assert "New referred" in created.text  # the new one, not any of the 15,000 old ones
    await sandbox.control(
        "PATCH", f"partners/{key}/exchanges/{fresh['id']}", {"exchange_success": 1, "accrued": 1}
    )
    accrued = await bot_api.wait_for_text(3001, "Reward accrued", timeout=30)
    assert f"Exchange #{fresh['id']}" in accrued.text
    assert sum(f"Exchange #{fresh['id']}" in m.text for m in bot_api.bot_messages(3001)) == 2
    assert bot_api.violations == []
