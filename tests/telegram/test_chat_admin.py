"""Groups: only chat administrators link, unlink (and, flagged the same way, change settings and
request payouts); a key sent in a group is deleted at once, refused or not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import GetChatMember

from bot.devtools.bot_api_models import FakeChat, FakeUser
from bot.sandbox.seed import ALICE, BOB
from bot.telegram.middlewares.chat_admin import ChatAdminMiddleware
from tests.telegram.harness import Harness, RunningBot
from tests.telegram.updates import capture_events, send_as_group, wait_handled

GROUP_ID = -1001234567890
ONLY_ADMINS = "only its administrators"


@pytest.fixture
def group(harness: Harness) -> FakeChat:
    chat = harness.fake.group_chat(GROUP_ID, "Affiliates")
    harness.fake.set_member_status(GROUP_ID, harness.fake.bot.id, "administrator")
    harness.fake.set_member_status(GROUP_ID, harness.user.id, "creator")
    return chat


@pytest.fixture
def member(harness: Harness) -> FakeUser:
    user = harness.fake.user(3003, "Max", language_code="en")
    harness.fake.set_member_status(GROUP_ID, user.id, "member")
    return user


async def say(h: Harness, chat: FakeChat, user: FakeUser, text: str, expect: str) -> str:
    mark = h.fake.revision
    await h.fake.send_text(chat, user, text)
    return (await h.fake.wait_for_text(chat.id, expect, since=mark)).text


async def group_accounts(running: RunningBot) -> list[int]:
    rows = await running.db.fetch_all("SELECT id FROM accounts WHERE chat_id = ?", (GROUP_ID,))
    return [row["id"] for row in rows]


async def test_a_member_cannot_link_and_the_key_is_deleted_anyway(
    harness: Harness, group: FakeChat, member: FakeUser
) -> None:
    running = await harness.start_bot()
    mark = harness.fake.revision
    key_message = await harness.fake.send_text(group, member, f"/link {ALICE}")
    reply = await harness.fake.wait_for_text(GROUP_ID, ONLY_ADMINS, since=mark)
    await harness.fake.wait_for_text(GROUP_ID, "deleted your message", since=mark)
    assert key_message.deleted and ALICE not in reply.text
    assert await group_accounts(running) == []
    await say(harness, group, member, "/link", ONLY_ADMINS)  # the two-step dialog neither
    assert harness.fake.violations == []


async def test_an_admin_links_in_one_and_in_two_steps(
    harness: Harness, group: FakeChat, member: FakeUser
) -> None:
    running = await harness.start_bot()
    key_message = await harness.fake.send_text(group, harness.user, f"/link {ALICE}")
    reply = await harness.fake.wait_for_text(GROUP_ID, "Account linked")
    assert key_message.deleted and "deleted your message" in reply.text
    prompt = await harness.fake.wait_for_text(
        GROUP_ID, "Reply to this message", since=await _send(harness, group, "/link")
    )
    assert prompt.keyboard == {"force_reply": True, "selective": True}
    await harness.fake.send_text(group, harness.user, BOB)
    await harness.fake.wait_for_text(GROUP_ID, "more until a payout is possible")
    assert len(await group_accounts(running)) == 2
    # Members still read the reports and get the notifications.
    await say(harness, group, member, "/balance", "Your accounts (2)")
    assert harness.fake.violations == []


async def _send(h: Harness, chat: FakeChat, text: str) -> int:
    mark = h.fake.revision
    await h.fake.send_text(chat, h.user, text)
    return mark


async def test_a_member_cannot_unlink_by_command_or_by_button(
    harness: Harness, group: FakeChat, member: FakeUser
) -> None:
    running = await harness.start_bot()
    await say(harness, group, harness.user, f"/link {ALICE}", "Account linked")
    await say(harness, group, member, "/unlink", ONLY_ADMINS)
    prompt = await harness.fake.wait_for_text(
        GROUP_ID, "Unlink", since=await _send(harness, group, "/unlink")
    )
    query = await harness.fake.press_button(group, member, "Unlink", message_id=prompt.message_id)
    answer = await harness.fake.wait_for_answer(query)
    assert answer["show_alert"] and ONLY_ADMINS in answer["text"]
    assert len(await group_accounts(running)) == 1
    query = await harness.fake.press_button(
        group, harness.user, "Unlink", message_id=prompt.message_id
    )
    await harness.fake.wait_for_answer(query)
    assert await group_accounts(running) == []
    assert harness.fake.violations == []


async def test_without_the_delete_right_the_group_is_told_to_change_the_key(
    harness: Harness, group: FakeChat
) -> None:
    harness.fake.set_member_status(GROUP_ID, harness.fake.bot.id, "member")
    await harness.start_bot()
    key_message = await harness.fake.send_text(group, harness.user, f"/link {ALICE}")
    reply = await harness.fake.wait_for_text(GROUP_ID, "Account linked")
    assert not key_message.deleted
    assert "could not delete" in reply.text and "Delete messages" in reply.text
    assert "change the key in the affiliate dashboard" in reply.text
    # Telegram refuses the deletion (400): the only refused request.
    assert [(v.method, v.description) for v in harness.fake.violations] == [
        ("deleteMessage", "Bad Request: message can't be deleted")
    ]


async def test_an_anonymous_admin_is_an_admin(
    harness: Harness, group: FakeChat, caplog: pytest.LogCaptureFixture
) -> None:
    capture_events(caplog)
    await harness.start_bot()
    mark = harness.fake.revision
    assert await wait_handled(caplog, send_as_group(harness.fake, group, "/unlink"))
    await harness.fake.wait_for_text(GROUP_ID, "No account is linked yet", since=mark)
    assert harness.fake.violations == []


async def test_a_private_chat_needs_no_admin_check(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    await harness.ask("/unlink", "Unlink")
    assert not [r for r in harness.fake.requests if r.method == "getChatMember"]


# -- the cache, with a stub bot and an injected clock -------------------------------------------


class StubBot:
    def __init__(self, status: str = "administrator") -> None:
        self.status = status
        self.calls = 0
        self.error: Exception | None = None

    async def get_chat_member(self, chat_id: int, user_id: int) -> SimpleNamespace:
        """Only `.status` is read (a ChatMember's fields change with every Bot API version)."""
        self.calls += 1
        if self.error is not None:
            raise self.error
        return SimpleNamespace(status=self.status)


async def test_answers_are_cached_briefly_and_the_cache_is_bounded() -> None:
    now = [1000.0]
    middleware = ChatAdminMiddleware(ttl=30, clock=lambda: now[0], max_cached=3)
    bot = StubBot()
    assert await middleware.is_admin(bot, -1, 7)  # type: ignore[arg-type]
    bot.status = "member"  # demoted: still an admin until the entry expires
    assert await middleware.is_admin(bot, -1, 7)  # type: ignore[arg-type]
    assert bot.calls == 1
    now[0] += 31
    assert await middleware.is_admin(bot, -1, 7) is False  # type: ignore[arg-type]
    assert bot.calls == 2
    for user_id in range(10):
        await middleware.is_admin(bot, -1, user_id)  # type: ignore[arg-type]
    assert middleware.cached == 3


async def test_a_failed_check_refuses_without_caching_and_bad_request_means_no() -> None:
    middleware = ChatAdminMiddleware(clock=lambda: 0.0)
    bot = StubBot()
    bot.error = TelegramNetworkError(GetChatMember(chat_id=-1, user_id=7), "timeout")
    assert await middleware.is_admin(bot, -1, 7) is None  # type: ignore[arg-type]
    assert middleware.cached == 0
    bot.error = TelegramBadRequest(GetChatMember(chat_id=-1, user_id=7), "user not found")
    assert await middleware.is_admin(bot, -1, 7) is False  # type: ignore[arg-type]
    assert middleware.cached == 1
