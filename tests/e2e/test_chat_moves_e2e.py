"""Chats that move, end to end: the real `python -m bot` process at its default settings, the
sandbox process and the strict fake Bot API. A key linked by editing a message (so the bot
asked for edited messages), a group that becomes a supergroup, and a command answer that meets
the supergroup's flood control."""

from __future__ import annotations

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeUser
from bot.sandbox.seed import ALICE
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import SandboxProcess

GROUP_ID, SUPERGROUP_ID = -4002, -1004002


async def say(fake: FakeBotApi, chat: FakeChat, user: FakeUser, text: str, expect: str) -> str:
    mark = fake.revision
    await fake.send_text(chat, user, text)
    return (await fake.wait_for_text(chat.id, expect, since=mark, timeout=15)).text


async def test_an_edited_key_a_migrated_group_and_a_flooded_reply(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot
) -> None:
    bot = make_bot()
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    ann = bot_api.user(1001, "Ann", language_code="en")
    group = bot_api.group_chat(GROUP_ID, "Affiliates", type="group")
    bot_api.set_member_status(GROUP_ID, bot_api.bot.id, "administrator")
    bot_api.set_member_status(GROUP_ID, ann.id, "creator")

    typo = await bot_api.send_text(group, ann, f"/lnk {ALICE}")
    mark = bot_api.revision
    await bot_api.edit_text(typo, f"/link {ALICE}")
    await bot_api.wait_for_text(GROUP_ID, "Account linked", since=mark, timeout=15)
    assert typo.deleted

    supergroup = bot_api.migrate_to_supergroup(group, SUPERGROUP_ID, ann)
    await bot.wait_for_output(f"Chat {GROUP_ID} became supergroup {SUPERGROUP_ID}", timeout=15)
    bot_api.flood_chat(SUPERGROUP_ID, retry_after=1)  # the first answer there meets a 429
    assert "Balance: 57.35 USD" in await say(bot_api, supergroup, ann, "/balance", "Balance")
    assert [e.status for e in bot_api.errors if e.method == "sendMessage"] == [429]
    assert await bot.terminate() == 0
    assert ALICE not in bot.output()
    assert bot_api.violations == []
