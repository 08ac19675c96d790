"""Two real `python -m bot` processes on one PostgreSQL database in webhook mode (issue 15): a
payout dialog started through one process is confirmed through the other (FSM state in the
database), a double tap there included: exactly one add_payout. The fake Bot API's webhook URL
is switched between the processes, as a load balancer would."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from cryptography.fernet import Fernet

from bot.devtools.bot_api import FakeBotApi
from bot.sandbox.seed import ALICE
from tests.e2e.test_notifications import World
from tests.e2e.test_payout_e2e import WALLET, say
from tests.e2e.test_postgresql import wait_pg
from tests.e2e.test_startup_e2e import free_port
from tests.e2e.test_webhook import SECRET, webhook_settings
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess
from tests.postgres import Server, new_database


def handled_after(output: str, update_id: int) -> list[int]:
    """The ids of the updates after `update_id` that this process handled (aiogram's log)."""
    ids = [int(found) for found in re.findall(r"Update id=(\d+) is handled", output)]
    return [i for i in ids if i > update_id]


async def test_a_dialog_started_on_one_process_is_confirmed_on_another(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, pg_server: Server
) -> None:
    url = await new_database(pg_server)
    key = Fernet.generate_key().decode()
    ports = [free_port(), free_port()]
    first, second = (
        make_bot(
            throttle_seconds="0", database_url=url, encryption_key=key, **webhook_settings(port)
        )
        for port in ports
    )
    for process in (first, second):
        await process.start()
    for process in (first, second):
        await process.wait_for_output("Webhook registered", timeout=40)
    hooks = [f"http://127.0.0.1:{port}/tg/hook" for port in ports]
    bot_api.state.webhook_url = hooks[0]  # the load balancer sends everything to the first
    ann = bot_api.user(1001, "Ann", language_code="en")
    chat = bot_api.private_chat(ann)
    await say(bot_api, chat, ann, f"/link {ALICE}", "Account linked")
    menu = await say(bot_api, chat, ann, "/payout", "Choose the payout method")
    await bot_api.wait_for_answer(await bot_api.press_button(chat, ann, "USDT TRC20"))
    await bot_api.wait_for(
        lambda m: m.message_id == menu.message_id and "wallet number" in m.text, chat_id=chat.id
    )
    confirmation = await say(bot_api, chat, ann, WALLET, "Check the payout request")

    bot_api.state.webhook_url = hooks[1]  # … and now everything to the second
    switched_at = bot_api.state.last_update_id
    data = confirmation.callback_data("✅ Confirm")
    taps = [await bot_api.press(chat, ann, confirmation.message_id, data) for _ in range(2)]
    for tap in taps:
        await bot_api.wait_for_answer(tap, timeout=15)
    await bot_api.wait_for(
        lambda m: m.message_id == confirmation.message_id and "Payout #" in m.text,
        chat_id=chat.id,
        timeout=15,
    )
    taps_handled_by = [handled_after(p.output(), switched_at) for p in (first, second)]
    assert taps_handled_by[0] == [] and taps_handled_by[1] != []  # the second answered
    assert (await sandbox.control("GET", "requests?method=add_payout"))["count"] == 1

    for process in (first, second):
        assert await process.terminate() == 0
        assert SECRET not in process.output() and WALLET not in process.output()
    assert bot_api.violations == []


async def test_kill_9_of_the_sending_process_moves_its_work_to_another(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, pg_server: Server
) -> None:
    """Two processes poll one account by lease; the one that holds the sender role is killed
    with SIGKILL: the other takes the role and the account, and each change arrives once."""
    url = await new_database(pg_server)
    key = Fernet.generate_key().decode()
    ports = [free_port(), free_port()]
    bots = [
        make_bot(
            throttle_seconds="0",
            http_timeout="2",
            database_url=url,
            encryption_key=key,
            **webhook_settings(port),
        )
        for port in ports
    ]
    for process in bots:
        await process.start()
    for process in bots:
        await process.wait_for_output("Webhook registered", timeout=40)
    bot_api.state.webhook_url = f"http://127.0.0.1:{ports[0]}/tg/hook"
    w = World(bot_api, sandbox, bots[0], Path("unused"))
    w.key = (await sandbox.control("POST", "partners", {"balance": "3.00"}))["api_key"]
    done = [await w.add_exchange(exchange_success=1) for _ in range(2)]
    await w.say(f"/link {w.key}", "Account linked")
    await wait_pg(url, "SELECT baseline_done = 1 FROM accounts")
    [holder] = [i for i, p in enumerate(bots) if "Sender role taken" in p.output()]

    await w.control("PATCH", f"exchanges/{done[0]}", {"accrued": 1})
    await bot_api.wait_for_text(w.chat.id, "Reward accrued", timeout=20)
    # Killed between Telegram's answer and the commit of sent_at, a sender would send that one
    # message again after the claim's lease (at least once): the kill comes after the commit.
    await wait_pg(url, "SELECT COUNT(*) = 1 FROM outbox WHERE sent_at IS NOT NULL")
    await bots[holder].kill()  # SIGKILL: no shutdown, its connections just end
    survivor = bots[1 - holder]
    bot_api.state.webhook_url = f"http://127.0.0.1:{ports[1 - holder]}/tg/hook"
    mark = bot_api.revision
    await w.control("PATCH", f"exchanges/{done[1]}", {"accrued": 1})
    await survivor.wait_for_output("Sender role taken", timeout=20)
    await bot_api.wait_for_text(w.chat.id, "Reward accrued", since=mark, timeout=20)
    await wait_pg(url, "SELECT COUNT(*) = 2 FROM outbox WHERE sent_at IS NOT NULL")
    await asyncio.sleep(3)  # three more polling intervals: nothing is sent twice
    assert w.count("Reward accrued") == 2
    assert await survivor.terminate() == 0
    assert bot_api.violations == []
