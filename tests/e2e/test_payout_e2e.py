"""The payout flow end to end: the real `python -m bot` process, the sandbox process and the
strict fake Bot API. Button presses only (a double tap on ✅ Confirm included); the sandbox
ends up with exactly one new payout, and the wallet never reaches the bot's DEBUG output."""

from __future__ import annotations

import asyncio

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeMessage, FakeUser
from bot.sandbox.seed import ALICE, BOB
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess

WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"


async def say(
    fake: FakeBotApi, chat: FakeChat, user: FakeUser, text: str, expect: str
) -> FakeMessage:
    mark = fake.revision
    await fake.send_text(chat, user, text)
    return await fake.wait_for_text(chat.id, expect, since=mark, timeout=15)


async def test_a_payout_by_button_presses_creates_exactly_one_payout(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    bot = make_bot(throttle_seconds="0")
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    before = len((await sandbox.control("GET", f"partners/{ALICE}"))["payouts"])
    ann = bot_api.user(1001, "Ann", language_code="en")
    chat = bot_api.private_chat(ann)

    await say(bot_api, chat, ann, f"/link {ALICE}", "Account linked")
    menu = await say(bot_api, chat, ann, "/payout", "Choose the payout method")
    await bot_api.wait_for_answer(await bot_api.press_button(chat, ann, "USDT TRC20"))
    await bot_api.wait_for(
        lambda m: m.message_id == menu.message_id and "wallet number" in m.text, chat_id=chat.id
    )
    confirmation = await say(bot_api, chat, ann, WALLET, "Check the payout request")
    data = confirmation.callback_data("✅ Confirm")
    taps = [await bot_api.press(chat, ann, confirmation.message_id, data) for _ in range(2)]
    for tap in taps:
        await bot_api.wait_for_answer(tap, timeout=15)
    done = await bot_api.wait_for(
        lambda m: m.message_id == confirmation.message_id and "Payout #" in m.text,
        chat_id=chat.id,
        timeout=15,
    )

    payouts = (await sandbox.control("GET", f"partners/{ALICE}"))["payouts"]
    created = [p for p in payouts if p["account"] == WALLET]
    assert len(payouts) == before + 1 and len(created) == 1
    assert f"Payout #{created[0]['id']} requested" in done.text
    log = await sandbox.control("GET", "requests?method=add_payout")
    assert log["count"] == 1

    ivan = bot_api.user(2002, "Иван", language_code="ru")
    ivan_chat = bot_api.private_chat(ivan)
    await say(bot_api, ivan_chat, ivan, f"/link {BOB}", "Аккаунт привязан")
    await say(bot_api, ivan_chat, ivan, "/payout", "До выплаты не хватает 6.80 USD")

    assert await bot.terminate() == 0
    assert WALLET not in bot.output() and WALLET[4:20] not in bot.output()
    assert "DEBUG" in bot.output()
    assert bot_api.violations == []
    assert bot_api.unanswered_callbacks() == []


async def to_confirmation(bot_api: FakeBotApi) -> tuple[FakeChat, FakeUser, FakeMessage]:
    ann = bot_api.user(1001, "Ann", language_code="en")
    chat = bot_api.private_chat(ann)
    await say(bot_api, chat, ann, f"/link {ALICE}", "Account linked")
    menu = await say(bot_api, chat, ann, "/payout", "Choose the payout method")
    await bot_api.wait_for_answer(await bot_api.press_button(chat, ann, "USDT TRC20"))
    await bot_api.wait_for(
        lambda m: m.message_id == menu.message_id and "wallet number" in m.text, chat_id=chat.id
    )
    return chat, ann, await say(bot_api, chat, ann, WALLET, "Check the payout request")


async def press_confirm_and_wait_for_the_request(
    bot_api: FakeBotApi, sandbox: SandboxProcess, chat: FakeChat, ann: FakeUser, msg: FakeMessage
) -> None:
    await bot_api.press(chat, ann, msg.message_id, msg.callback_data("✅ Confirm"))
    for _ in range(200):  # until add_payout reached the site (and is held there)
        if (await sandbox.control("GET", "requests?method=add_payout"))["count"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("add_payout never reached the sandbox")


async def test_kill_9_during_add_payout_then_restart_tells_the_chat_unasked(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    bot = make_bot(
        throttle_seconds="0", payout_request_timeout="2", payout_check_schedule="0.5,1,2,4,60"
    )
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    chat, ann, confirmation = await to_confirmation(bot_api)
    fault = {"mode": "slow", "delay": 30, "methods": ["add_payout"], "count": 1}
    await sandbox.control("POST", "faults", fault)  # the site works until the client is gone
    await press_confirm_and_wait_for_the_request(bot_api, sandbox, chat, ann, confirmation)
    await bot.kill()  # kill -9 while add_payout is in flight

    await bot.start()  # no user action from here on
    done = await bot_api.wait_for(
        lambda m: m.message_id == confirmation.message_id and "Payout #" in m.text,
        chat_id=chat.id,
        timeout=40,
    )
    payouts = (await sandbox.control("GET", f"partners/{ALICE}"))["payouts"]
    newest = max(payouts, key=lambda p: p["id"])
    assert f"Payout #{newest['id']} requested" in done.text and newest["account"] == WALLET
    assert (await sandbox.control("GET", "requests?method=add_payout"))["count"] == 1
    assert await bot.terminate() == 0
    assert bot_api.violations == []


async def test_sigterm_during_add_payout_lets_it_finish(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    bot = make_bot(throttle_seconds="0", payout_request_timeout="5")
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    chat, ann, confirmation = await to_confirmation(bot_api)
    fault = {"mode": "slow", "delay": 2, "methods": ["add_payout"], "count": 1}
    await sandbox.control("POST", "faults", fault)
    await press_confirm_and_wait_for_the_request(bot_api, sandbox, chat, ann, confirmation)
    assert await bot.terminate() == 0  # SIGTERM while add_payout is in flight
    [final] = [m for m in bot_api.bot_messages(chat.id) if m.message_id == confirmation.message_id]
    assert "Payout #" in final.text and "Sending" not in final.text, final.describe()
    assert "waiting for 1 payout request(s) in flight" in bot.output()
    assert (await sandbox.control("GET", "requests?method=add_payout"))["count"] == 1
    assert bot_api.violations == []
