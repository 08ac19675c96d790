"""The payout flow end to end: the real `python -m bot` process, the sandbox process and the
strict fake Bot API. Button presses only (a double tap on ✅ Confirm included); the sandbox
ends up with exactly one new payout, and the wallet never reaches the bot's DEBUG output."""

from __future__ import annotations

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
