"""The real `python -m bot` process against the sandbox process and the strict fake Bot API:
/start, /link, /balance, /payouts, /exchanges, /clicks as a user would, in English and
Russian; the key message is deleted; no secret anywhere in the DEBUG output."""

from __future__ import annotations

from bot.devtools.bot_api import FakeBotApi
from bot.sandbox.seed import ALICE
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess


async def test_a_user_links_and_reads_the_account(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    bot = make_bot()  # the default throttle: a person tapping along is never refused or held
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    ann = bot_api.user(1001, "Ann", language_code="en")
    chat = bot_api.private_chat(ann)

    async def ask(text: str, expect: str) -> str:
        mark = bot_api.revision
        await bot_api.send_text(chat, ann, text)
        return (await bot_api.wait_for_text(chat.id, expect, since=mark, timeout=15)).text

    assert "REST API key" in await ask("/start", "/link")
    key_message = await bot_api.send_text(chat, ann, f"/link {ALICE}")
    linked = await bot_api.wait_for_text(chat.id, "Account linked", timeout=15)
    assert "Balance: 57.35 USD" in linked.text
    assert key_message.message_id in [m.message_id for m in bot_api.deleted_messages(chat.id)]
    assert "#" in await ask("/payouts", "Payout requests")
    assert "→" in await ask("/exchanges 30d", "Referred exchanges")
    assert "30 days" in await ask("/clicks 30d", "Clicks")
    assert "you receive" in await ask("/balance", "Payout methods")
    assert "#" in await ask("/exchanges", "Referred exchanges (7 days)")
    assert "you receive" in await ask("/balance", "Payout methods")
    assert not any("Too many requests" in m.text for m in bot_api.bot_messages(chat.id))

    ivan = bot_api.user(2002, "Иван", language_code="ru")
    ivan_chat = bot_api.private_chat(ivan)
    await bot_api.send_text(ivan_chat, ivan, "/balance")
    await bot_api.wait_for_text(ivan_chat.id, "Аккаунт ещё не привязан", timeout=15)

    assert await bot.terminate() == 0
    output = bot.output()
    secret = bot_api.token.split(":", 1)[1]
    for leaked in (ALICE, bot_api.token, secret):
        assert leaked not in output
    assert "DEBUG" in output  # the scan looked at a DEBUG log, not an empty one
    assert bot_api.violations == []


async def test_missing_token_is_one_clear_line(make_bot: MakeBot) -> None:
    bot = make_bot(bot_token="")
    await bot.start()
    assert await bot.wait_exit(30) != 0
    lines = [line for line in bot.output().splitlines() if line.strip()]
    assert lines == ["Configuration error: BOT_TOKEN is required"] or (
        len(lines) == 1 and lines[0].startswith("Configuration error: BOT_TOKEN")
    )
