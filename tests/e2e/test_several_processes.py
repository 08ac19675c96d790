"""Two real `python -m bot` processes on one PostgreSQL database in webhook mode (issue 15): a
payout dialog started through one process is confirmed through the other (FSM state in the
database), a double tap there included: exactly one add_payout. The fake Bot API's webhook URL
is switched between the processes, as a load balancer would. (Three processes polling 300
accounts, and a kill -9: test_three_processes.py.)"""

from __future__ import annotations

import re

from cryptography.fernet import Fernet

from bot.devtools.bot_api import FakeBotApi
from bot.sandbox.seed import ALICE
from tests.e2e.test_payout_e2e import WALLET, say
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
    switched_at, second_mark = bot_api.state.last_update_id, second.mark()
    data = confirmation.callback_data("✅ Confirm")
    taps = [await bot_api.press(chat, ann, confirmation.message_id, data) for _ in range(2)]
    for tap in taps:
        await bot_api.wait_for_answer(tap, timeout=15)
    await bot_api.wait_for(
        lambda m: m.message_id == confirmation.message_id and "Payout #" in m.text,
        chat_id=chat.id,
        timeout=15,
    )
    # aiogram logs "is handled" after the handler returned, so after its last edit arrived
    await second.wait_for_output("is handled", since=second_mark, timeout=15)
    taps_handled_by = [handled_after(p.output(), switched_at) for p in (first, second)]
    assert taps_handled_by[0] == [] and taps_handled_by[1] != []  # the second answered
    assert (await sandbox.control("GET", "requests?method=add_payout"))["count"] == 1

    for process in (first, second):
        assert await process.terminate() == 0
        assert SECRET not in process.output() and WALLET not in process.output()
    assert bot_api.violations == []
