"""The sender against the fake Bot API: outcomes per message, Telegram's limits, toggles."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.domain import KEY_WORKS, NotificationKind
from bot.notifications.sender import Sender
from bot.services.quiet_hours import QuietHours
from bot.storage.accounts import AccountRepo, AlreadyLinked
from bot.storage.chats import ChatRepo
from bot.storage.db import Database
from bot.storage.insight_settings import InsightSettingsRepo
from bot.storage.outbox import Message, Outbox, PollResult
from bot.telegram.callbacks import PayoutStart
from bot.telegram.notification_texts import render
from tests.conftest import Link
from tests.fakes import FakeBotApi

ANN, BOB = 100, 200


class Clock:
    """Outbox time: advanced by the test instead of waiting for a retry."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        for user_id, name in ((ANN, "Ann"), (BOB, "Bob")):
            api.private_chat(api.user(user_id, name))
        yield api


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    bot = Bot(fake.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot
    await bot.session.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(db: Database, clock: Clock) -> Outbox:
    return Outbox(db, clock=clock)


def make_sender(bot: Bot, queue: Outbox, clock: Clock, **options: Any) -> Sender:
    return Sender(bot, queue, render=render, private_gap=0.0, group_gap=0.0, clock=clock, **options)


async def enqueue(queue: Outbox, link: Link, chat_id: int, *items: int, kind: str = "") -> int:
    """Links an account in the chat (once) and enqueues notifications; returns its id."""
    try:
        account = await link(chat_id, f"key-{chat_id}")
    except AlreadyLinked as exc:
        account = exc.account
    kind = kind or NotificationKind.ACCRUED.value
    messages = tuple(
        Message(f"{account.id}:{kind}:{item}:1", kind, chat_id, account.id, payload(kind, item))
        for item in items
    )
    await queue.save([PollResult(account.id, 0.0, messages=messages)])
    return account.id


def payload(kind: str, item: int) -> dict[str, Any]:
    if kind == NotificationKind.PAYOUT_AVAILABLE.value:
        return {"account": "ex.example · key-…", "balance": "12.50", "min_payout": "10.00"}
    return {
        "account": "ex.example · key-…",
        "exchange_id": item,
        "give": "0.01000000",
        "give_cur": "BTC",
        "get": "650.5",
        "get_cur": "<USDT>",
        "reward": "1.5",
    }


def texts(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [m.text for m in fake.bot_messages(chat_id)]


async def pending(db: Database) -> list[tuple[Any, ...]]:
    rows = await db.fetch_all(
        "SELECT id, attempts, sent_at IS NOT NULL, dropped_reason FROM outbox ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def test_sent_in_the_chat_language_and_marked_sent(
    fake: FakeBotApi, bot: Bot, queue: Outbox, clock: Clock, link: Link, chats: ChatRepo
) -> None:
    await enqueue(queue, link, ANN, 1)
    account_id = await enqueue(queue, link, ANN, 2, kind=NotificationKind.PAYOUT_AVAILABLE.value)
    await chats.set_language(ANN, "ru")
    sender = make_sender(bot, queue, clock)
    assert await sender.drain() == 2
    first, second = fake.bot_messages(ANN)
    assert "Начислено вознаграждение: 1.50 USD" in first.text
    assert "0.01 BTC → 650.50 <USDT>" in first.text  # escaped on the wire, shown as sent
    assert second.callback_data("Заказать выплату") == PayoutStart(account_id=account_id).pack()
    assert await sender.drain() == 0
    assert fake.violations == []


async def test_429_waits_retry_after_then_sends_once(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1)
    fake.fail_next("sendMessage", 429, retry_after=1)
    sender = make_sender(bot, queue, clock)
    await sender.drain()
    [(_, attempts, sent, dropped)] = await pending(db)
    assert (attempts, sent, dropped) == (1, 0, None) and texts(fake, ANN) == []
    assert await queue.next_due_at() == pytest.approx(time.time() + 1, abs=0.5)
    clock.offset = 1.0
    started = time.monotonic()
    await sender.drain()
    assert time.monotonic() - started >= 0.5  # the chat waited out its retry_after
    assert len(texts(fake, ANN)) == 1 and fake.count_429 == 1
    assert (await pending(db))[0][2] == 1
    assert fake.violations == []


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 403},  # blocked
        {"status": 400, "description": "Bad Request: chat not found"},
    ],
)
async def test_chat_gone_marks_inactive_and_drops_its_rows(
    fake: FakeBotApi,
    bot: Bot,
    db: Database,
    queue: Outbox,
    clock: Clock,
    link: Link,
    chats: ChatRepo,
    fault: dict[str, Any],
) -> None:
    await enqueue(queue, link, ANN, 1, 2)
    await enqueue(queue, link, BOB, 3)
    fake.fail_next("sendMessage", **fault)
    await make_sender(bot, queue, clock, concurrency=1).drain()
    ann = await chats.get(ANN)
    assert ann is not None and not ann.active
    rows = await pending(db)
    assert [r[3] is not None for r in rows] == [True, True, False]
    assert len(texts(fake, BOB)) == 1 and texts(fake, ANN) == []
    await chats.ensure(ANN, "private")  # the user comes back with /start
    ann = await chats.get(ANN)
    assert ann is not None and ann.active


async def test_a_blocked_chat_is_detected_from_the_real_answer(
    fake: FakeBotApi, bot: Bot, queue: Outbox, clock: Clock, link: Link, chats: ChatRepo
) -> None:
    await enqueue(queue, link, ANN, 1)
    fake.block(fake.user(ANN))
    await make_sender(bot, queue, clock).drain()
    ann = await chats.get(ANN)
    assert ann is not None and not ann.active


async def test_another_bad_request_drops_only_that_message(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1, 2)
    fake.fail_next("sendMessage", 400, "Bad Request: message is too long")
    await make_sender(bot, queue, clock).drain()
    rows = await pending(db)
    assert rows[0][3] == "Bad Request: message is too long" and rows[1][2] == 1


async def test_network_error_is_retried_later(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1)
    fake.drop_next("sendMessage")
    sender = make_sender(bot, queue, clock)
    await sender.drain()
    assert (await pending(db))[0][1:] == (1, 0, None)
    clock.offset = 5.0
    sender._pacer.pause(0)  # skip the global pause in the test
    await _drain_until_sent(sender, db)
    assert len(texts(fake, ANN)) == 1


async def test_a_lost_answer_repeats_at_most_the_message_in_flight(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    """Telegram delivered it but the answer was lost: the only duplicate possible."""
    await enqueue(queue, link, ANN, 1, 2)
    fake.drop_next("sendMessage", after_processing=True)
    sender = make_sender(bot, queue, clock)
    await sender.drain()
    clock.offset = 5.0
    await _drain_until_sent(sender, db)
    assert len(texts(fake, ANN)) == 3  # message 1 twice, message 2 once


async def test_attempts_are_bounded(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1)
    fake.fail_next("sendMessage", 502, count=2)
    sender = make_sender(bot, queue, clock, max_attempts=2)
    await sender.drain()
    clock.offset = 1_000.0
    sender._pacer.pause(0)
    await asyncio.wait_for(sender.drain(), 70)
    [(_, _, sent, dropped)] = await pending(db)
    assert sent == 0 and dropped is not None and dropped.startswith("gave up")


async def test_turned_off_kinds_and_unlinked_accounts_are_not_sent(
    fake: FakeBotApi,
    bot: Bot,
    db: Database,
    queue: Outbox,
    clock: Clock,
    link: Link,
    chats: ChatRepo,
    account_repo: AccountRepo,
) -> None:
    await enqueue(queue, link, ANN, 1)
    bob_account = await enqueue(queue, link, BOB, 2)
    await chats.set_notification(ANN, NotificationKind.ACCRUED, False)
    await account_repo.delete(BOB, bob_account)
    await make_sender(bot, queue, clock).drain()
    assert [r[3] for r in await pending(db)] == ["turned off in /settings", "account unlinked"]
    assert texts(fake, ANN) == texts(fake, BOB) == []


async def test_telegram_limits_are_respected(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, link: Link
) -> None:
    fake.rate_limit()  # 30/s overall, 1/s per chat
    await enqueue(queue, link, ANN, 1, 2, 3)
    for chat_id in range(300, 310):
        fake.private_chat(fake.user(chat_id))
        await enqueue(queue, link, chat_id, chat_id)
    sender = Sender(bot, queue, render=render)  # the real gaps
    await _drain_until_sent(sender, db)
    assert len(texts(fake, ANN)) == 3 and fake.count_429 == 0
    assert fake.violations == []


async def test_run_delivers_on_wake_and_stops_promptly(
    fake: FakeBotApi, bot: Bot, queue: Outbox, clock: Clock, link: Link
) -> None:
    sender = make_sender(bot, queue, clock)
    stopping = asyncio.Event()
    task = asyncio.create_task(sender.run(stopping))
    await enqueue(queue, link, ANN, 1)
    sender.wake()
    await fake.wait_for_text(ANN, "Reward accrued", timeout=5)
    stopping.set()
    await asyncio.wait_for(task, 3)


class Monotonic:
    """The sender's monotonic clock: advanced by the test instead of waiting."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


def exchange_ids(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [t.split("Exchange #", 1)[1].split(":", 1)[0] for t in texts(fake, chat_id)]


async def test_one_chats_messages_stay_in_order_after_a_retry(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1, 2, 3)
    await enqueue(queue, link, BOB, 4)
    fake.fail_next("sendMessage", 502)  # the first message of Ann's chat
    sender = make_sender(bot, queue, clock, concurrency=1)
    await sender.drain()
    assert texts(fake, ANN) == [] and len(texts(fake, BOB)) == 1  # Bob is not held
    clock.offset = 5.0
    await _drain_until_sent(sender, db)
    assert exchange_ids(fake, ANN) == ["1", "2", "3"]


async def test_a_429_for_one_chat_delays_only_that_chat(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, 1)
    await enqueue(queue, link, BOB, 2)
    await enqueue(queue, link, ANN, 3)
    fake.fail_next("sendMessage", 429, retry_after=30)
    mono = Monotonic()
    sender = make_sender(bot, queue, clock, concurrency=1, monotonic=mono)
    started = time.monotonic()
    await sender.drain()
    assert time.monotonic() - started < 5  # nobody waited 30 s
    assert len(texts(fake, BOB)) == 1 and texts(fake, ANN) == []
    clock.offset = mono.offset = 30.0
    await _drain_until_sent(sender, db)
    assert exchange_ids(fake, ANN) == ["1", "3"] and fake.count_429 == 1


async def test_429s_for_several_chats_at_once_pause_every_chat(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    fake.private_chat(fake.user(300, "Cid"))
    for chat_id in (ANN, BOB, 300):
        await enqueue(queue, link, chat_id, chat_id)
    fake.fail_next("sendMessage", 429, retry_after=1, count=2)  # Ann's and Bob's
    sender = make_sender(bot, queue, clock, concurrency=1)
    started = time.monotonic()
    await sender.drain()
    assert len(texts(fake, 300)) == 1
    assert time.monotonic() - started >= 0.9  # Cid waited too: the bot's own limit


async def _drain_until_sent(sender: Sender, db: Database) -> None:
    async def loop() -> None:
        while any(not r[2] and r[3] is None for r in await pending(db)):
            if not await sender.drain():
                await asyncio.sleep(0.05)

    await asyncio.wait_for(loop(), 15)


async def test_key_works_again_is_sent_whatever_the_toggles(
    fake: FakeBotApi, bot: Bot, queue: Outbox, clock: Clock, link: Link, chats: ChatRepo
) -> None:
    account = await link(ANN, "key-ann")
    for kind in NotificationKind:
        await chats.set_notification(ANN, kind, False)
    await chats.set_language(ANN, "ru")
    message = Message(
        f"{account.id}:{KEY_WORKS}:5", KEY_WORKS, ANN, account.id, {"account": "ex.example · key-…"}
    )
    await queue.save([PollResult(account.id, 0.0, resume=True, messages=(message,))])
    await make_sender(bot, queue, clock).drain()
    assert texts(fake, ANN) == []  # not paused: the resume did not apply, nothing queued
    await queue.save([PollResult(account.id, 0.0, pause=True, polled_at=1.0, error="Api disabled")])
    await queue.save([PollResult(account.id, 0.0, resume=True, messages=(message,))])
    await make_sender(bot, queue, clock).drain()
    [text] = texts(fake, ANN)
    assert "API-ключ снова работает" in text and "ex.example" in text
    assert fake.violations == []


async def test_a_burst_of_12_accruals_arrives_as_one_message(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    await enqueue(queue, link, ANN, *range(1, 13))  # a site's cron run accrued twelve at once
    await enqueue(queue, link, ANN, 99, kind=NotificationKind.PAYOUT_AVAILABLE.value)
    fake.fail_next("sendMessage", 429, retry_after=1)  # the summary's first attempt
    sender = make_sender(bot, queue, clock, burst=5)
    await sender.drain()
    rows = await pending(db)
    ann_rows = rows[:12]
    # Nothing folded is marked sent before Telegram accepted the summary; all wait together.
    assert {(attempts, sent) for _, attempts, sent, _ in ann_rows} == {(1, 0)}
    await enqueue(queue, link, BOB, 1, 2)  # below the burst size: one message each
    clock.offset = 1.5
    await sender.drain()
    await sender.drain()
    (summary, available) = fake.bot_messages(ANN)
    assert summary.text.startswith("🔔 12 notifications at once\n💰 12 rewards accrued: +18.00 USD")
    assert summary.text.count("• 💰 +1.50 USD · exchange #") == 12
    assert available.callback_data("Request a payout") is not None
    assert len(fake.bot_messages(BOB)) == 2
    assert all(sent for _, _, sent, _ in await pending(db))
    assert fake.violations == []


async def test_quiet_hours_hold_then_release_as_one_summary(
    fake: FakeBotApi, bot: Bot, db: Database, queue: Outbox, clock: Clock, link: Link
) -> None:
    settings = InsightSettingsRepo(db)
    hour = datetime.now(UTC).hour  # quiet from this hour to the next, UTC
    await enqueue(queue, link, ANN, 1, 2)
    await enqueue(queue, link, ANN, 9, kind=NotificationKind.PAYOUT_AVAILABLE.value)
    await settings.set_quiet_hours(ANN, (hour, (hour + 1) % 24))
    sender = make_sender(bot, queue, clock, burst=5, quiet=settings)
    await sender.drain()
    assert texts(fake, ANN) == [] and {sent for _, _, sent, _ in await pending(db)} == {0}
    quiet_end = QuietHours(hour, (hour + 1) % 24).until(clock())
    assert quiet_end is not None and await queue.next_due_at() == pytest.approx(quiet_end)
    assert await sender.drain() == 0  # still held
    clock.offset = quiet_end - time.time() + 5  # just after the end
    await sender.drain()
    summary, available = fake.bot_messages(ANN)
    assert summary.text.startswith("🔔 2 notifications at once")  # two: below NOTIFY_BURST
    assert "💸 Request a payout" in available.button_texts()
    assert all(sent for _, _, sent, _ in await pending(db))
