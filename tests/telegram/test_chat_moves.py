"""Chats that move or wait: group → supergroup migration at once, the /link wait expiring, a
key sent by editing a message, the wallet prompt in groups (ForceReply), and a command reply
that meets a per-chat 429."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendChatAction, SendMessage

from bot.devtools.bot_api_models import FakeChat
from bot.sandbox.seed import ALICE, BOB
from bot.telegram.middlewares import reply_retry
from bot.telegram.middlewares.reply_retry import HandlerScope, ReplyRetryMiddleware
from tests.telegram.harness import Harness
from tests.telegram.updates import capture_events, wait_handled

GROUP_ID, SUPERGROUP_ID = -4001, -1004001


@pytest.fixture
def group(harness: Harness) -> FakeChat:
    chat = harness.fake.group_chat(GROUP_ID, "Affiliates", type="group")
    harness.fake.set_member_status(GROUP_ID, harness.fake.bot.id, "administrator")
    harness.fake.set_member_status(GROUP_ID, harness.user.id, "creator")
    return chat


async def _say(h: Harness, chat: FakeChat, text: str, expect: str) -> str:
    mark = h.fake.revision
    await h.fake.send_text(chat, h.user, text)
    return (await h.fake.wait_for_text(chat.id, expect, since=mark)).text


async def test_a_group_that_becomes_a_supergroup_keeps_everything_at_once(
    harness: Harness, group: FakeChat, caplog: pytest.LogCaptureFixture
) -> None:
    capture_events(caplog)
    running = await harness.start_bot()
    await _say(harness, group, f"/link {ALICE}", "Account linked")
    await _say(harness, group, "/language", "Choose the language")
    query = await harness.fake.press_button(group, harness.user, "Русский")
    await harness.fake.wait_for_answer(query)
    await running.db.execute(
        "UPDATE chats SET notify_new_exchange = 0 WHERE chat_id = ?", (GROUP_ID,)
    )
    await running.db.execute(
        "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
        " VALUES ('k1', ?, NULL, 'accrued', '{}', 0)",
        (GROUP_ID,),
    )
    supergroup = harness.fake.migrate_to_supergroup(group, SUPERGROUP_ID, harness.user)
    first = int(harness.fake.state.updates[-2]["update_id"])
    assert await wait_handled(caplog, first) and await wait_handled(caplog, first + 1)
    # The very first command in the supergroup sees the account, in the group's language.
    text = await _say(harness, supergroup, "/balance", "Баланс: 57.35")
    assert "Аккаунт ещё не привязан" not in text
    row = await running.db.fetch_one(
        "SELECT chat_type, language, notify_new_exchange FROM chats WHERE chat_id = ?",
        (SUPERGROUP_ID,),
    )
    assert row is not None and tuple(row) == ("supergroup", "ru", 0)
    assert await running.db.fetch_one("SELECT 1 FROM chats WHERE chat_id = ?", (GROUP_ID,)) is None
    outbox = await running.db.fetch_one("SELECT chat_id FROM outbox WHERE event_key = 'k1'")
    assert outbox is not None and outbox["chat_id"] == SUPERGROUP_ID
    assert harness.fake.violations == []


async def test_the_link_wait_expires_after_ten_minutes(harness: Harness) -> None:
    running = await harness.start_bot()
    await harness.ask("/link", "Send me your API key")
    ten_minutes_ago = time.time() - 601
    await running.db.execute(
        "UPDATE fsm SET data = json_set(data, '$.link_asked_at', ?)", (ten_minutes_ago,)
    )
    thanks = await harness.say("thanks")
    await harness.fake.wait_for_text(harness.chat.id, "I did not understand")
    assert not thanks.deleted  # not taken for a key: not deleted, not sent to any site
    assert not any(r["method"] == "get_info" for r in harness.sandbox.state.requests)
    # Within the ten minutes the key is taken as before.
    await harness.ask("/link", "Send me your API key")
    key = await harness.say(ALICE)
    await harness.fake.wait_for_text(harness.chat.id, "Account linked")
    assert key.deleted
    assert harness.fake.violations == []


async def test_a_key_sent_by_editing_a_message_is_deleted_too(harness: Harness) -> None:
    await harness.start_bot()
    typo = await harness.say(f"/lnk {BOB}")
    await harness.fake.wait_for_text(harness.chat.id, "I did not understand")
    mark = harness.fake.revision
    await harness.fake.edit_text(typo, f"/link {BOB}")
    reply = await harness.fake.wait_for_text(harness.chat.id, "Account linked", since=mark)
    assert typo.deleted and "deleted your message" in reply.text
    # And while /link waits for the key, a message edited into the key counts as the key.
    draft = await harness.say("hello")
    await harness.ask("/link", "Send me your API key")
    mark = harness.fake.revision
    await harness.fake.edit_text(draft, ALICE)
    await harness.fake.wait_for_text(harness.chat.id, "Account linked", since=mark)
    assert draft.deleted
    assert harness.fake.violations == []


async def test_the_wallet_prompt_in_a_group_is_a_force_reply(
    harness: Harness, group: FakeChat
) -> None:
    await harness.start_bot()
    await _say(harness, group, f"/link {ALICE}", "Account linked")
    mark = harness.fake.revision
    await harness.fake.send_text(group, harness.user, "/payout")
    menu = await harness.fake.wait_for_text(GROUP_ID, "Choose the payout method", since=mark)
    mark = harness.fake.revision
    query = await harness.fake.press_button(
        group, harness.user, "USDT TRC20", message_id=menu.message_id
    )
    await harness.fake.wait_for_answer(query)
    prompt = await harness.fake.wait_for_text(GROUP_ID, "reply to this message", since=mark)
    assert prompt.keyboard == {
        "force_reply": True,
        "selective": True,
        "input_field_placeholder": "Account or wallet number",
    }
    mention = prompt.entities[0]  # addressed to Ann (Telegram shows it as a mention)
    assert (mention["offset"], mention.get("url")) == (0, f"tg://user?id={harness.user.id}")
    await _say(harness, group, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "Check the payout request")
    assert harness.fake.violations == []


async def test_a_command_reply_that_meets_a_429_is_sent_after_retry_after(
    harness: Harness,
) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    harness.fake.flood_chat(harness.chat.id, retry_after=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await harness.ask("/balance", "Balance: 57.35 USD")
    assert loop.time() - started >= 1  # waited as told
    assert [e.status for e in harness.fake.errors if e.method == "sendMessage"] == [429]
    replies = [m for m in harness.fake.bot_messages(harness.chat.id) if "Payout methods" in m.text]
    assert len(replies) == 2  # the /link answer and exactly one /balance answer
    assert harness.fake.violations == []


class FloodedSession:
    def __init__(self, failures: int, retry_after: int = 2) -> None:
        self.failures, self.retry_after, self.calls = failures, retry_after, 0

    async def __call__(self, bot: object, method: SendMessage) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise TelegramRetryAfter(method, "Too Many Requests", self.retry_after)
        return "sent"


async def _in_handler(coro_factory: object) -> object:
    async def handler(event: object, data: dict[str, object]) -> object:
        return await coro_factory()  # type: ignore[operator]

    return await HandlerScope()(handler, None, {})  # type: ignore[arg-type]


async def test_retries_are_bounded_and_only_inside_a_handler() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    middleware = ReplyRetryMiddleware(sleep=sleep)
    method = SendMessage(chat_id=1, text="hi")
    session = FloodedSession(failures=2)
    assert await _in_handler(lambda: middleware(session, None, method)) == "sent"  # type: ignore[arg-type]
    assert (session.calls, waits) == (3, [2, 2])
    session = FloodedSession(failures=reply_retry.MAX_ATTEMPTS)
    with pytest.raises(TelegramRetryAfter):
        await _in_handler(lambda: middleware(session, None, method))  # type: ignore[arg-type]
    session = FloodedSession(failures=1, retry_after=int(reply_retry.MAX_WAIT) + 1)
    with pytest.raises(TelegramRetryAfter):  # too long to hold a handler for
        await _in_handler(lambda: middleware(session, None, method))  # type: ignore[arg-type]
    # Outside a handler (the notification sender), a 429 is left to the caller at once.
    session, waits[:] = FloodedSession(failures=1), []
    with pytest.raises(TelegramRetryAfter):
        await middleware(session, None, method)  # type: ignore[arg-type]
    assert (session.calls, waits) == (1, [])
    # "typing…" is cosmetic: not retried even inside a handler (the handler would wait).
    session = FloodedSession(failures=1)
    typing = SendChatAction(chat_id=1, action="typing")
    with pytest.raises(TelegramRetryAfter):
        await _in_handler(lambda: middleware(session, None, typing))  # type: ignore[arg-type]
    assert (session.calls, waits) == (1, [])
