"""The transactional outbox on a real SQLite file."""

from __future__ import annotations

import time

import pytest

from bot.domain import KEY_REJECTED, NotificationKind
from bot.exchanger.models import PayoutStatus
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database
from bot.storage.outbox import Message, Outbox, PollResult
from bot.storage.snapshots import ExchangeState, PayoutState
from tests.conftest import Link
from tests.postgres import sqlite_only

ACCRUED = NotificationKind.ACCRUED.value


def message(account_id: int, item: int, chat_id: int = 100, kind: str = ACCRUED) -> Message:
    payload = {"account": "ex.example · key-…", "exchange_id": item}
    return Message(f"{account_id}:{kind}:{item}:1", kind, chat_id, account_id, payload)


def success(account_id: int, *messages: Message, item: int = 1) -> PollResult:
    return PollResult(
        account_id,
        next_poll_at=time.time() + 60,
        polled_at=time.time(),
        exchanges=(ExchangeState(item, 1000, True, True),),
        payouts=(PayoutState(5, 1000, PayoutStatus.PAID),),
        messages=messages,
    )


async def count(db: Database, sql: str) -> int:
    row = await db.fetch_one(sql)
    assert row is not None
    return int(row[0])


async def test_state_and_events_are_written_together_and_never_twice(
    db: Database, outbox: Outbox, link: Link
) -> None:
    account = await link()
    result = success(account.id, message(account.id, 1))
    assert await outbox.save([result]) == 1
    assert await outbox.save([result]) == 0  # the same event again: INSERT OR IGNORE
    assert await count(db, "SELECT COUNT(*) FROM outbox") == 1
    assert await count(db, "SELECT COUNT(*) FROM exchange_state WHERE accrued = 1") == 1
    assert await count(db, "SELECT COUNT(*) FROM payout_state WHERE status = 1") == 1
    row = await db.fetch_one("SELECT baseline_done, failures, last_success_at FROM accounts")
    assert row is not None and row["baseline_done"] == 1 and row["last_success_at"] > 0


async def test_a_failure_inside_the_transaction_keeps_neither_state_nor_event(
    db: Database, outbox: Outbox, link: Link
) -> None:
    account = await link()
    broken = Message("k", ACCRUED, 100, account.id, {"not json": object()})
    with pytest.raises(TypeError):
        await outbox.save([success(account.id, message(account.id, 1), broken)])
    assert await count(db, "SELECT COUNT(*) FROM outbox") == 0
    assert await count(db, "SELECT COUNT(*) FROM exchange_state") == 0
    assert await count(db, "SELECT baseline_done FROM accounts") == 0


async def test_results_of_an_unlinked_account_are_skipped(
    db: Database, outbox: Outbox, link: Link, account_repo: AccountRepo
) -> None:
    gone, kept = await link(100, "key-0001"), await link(100, "key-0002")
    await account_repo.delete(100, gone.id)
    results = [success(gone.id, message(gone.id, 1)), success(kept.id, message(kept.id, 2))]
    assert await outbox.save(results) == 1
    assert await count(db, "SELECT COUNT(*) FROM exchange_state") == 1


async def test_rejected_key_pauses_and_tells_the_chat_once(
    db: Database, outbox: Outbox, link: Link
) -> None:
    account = await link()

    def rejected(key: str) -> PollResult:
        notice = Message(key, KEY_REJECTED, 100, account.id, {})
        return PollResult(
            account.id, time.time(), error="Api disabled", pause=True, messages=(notice,)
        )

    assert await outbox.save([rejected(f"{account.id}:{KEY_REJECTED}:0")]) == 1
    # Even with another key, an account already paused gets no second message.
    assert await outbox.save([rejected(f"{account.id}:{KEY_REJECTED}:99")]) == 0
    row = await db.fetch_one("SELECT paused, last_error FROM accounts")
    assert row is not None and row["paused"] == 1 and row["last_error"] == "Api disabled"


async def test_failure_is_recorded_for_the_backoff(
    db: Database, outbox: Outbox, link: Link
) -> None:
    account = await link()
    await outbox.save([PollResult(account.id, 12345.0, error="HTTP 502", failures=3)])
    row = await db.fetch_one(
        "SELECT next_poll_at, failures, last_error, baseline_done FROM accounts"
    )
    assert row is not None
    assert tuple(row) == (12345.0, 3, "HTTP 502", 0)


async def test_sender_side_lifecycle(
    db: Database, outbox: Outbox, link: Link, chats: ChatRepo
) -> None:
    account = await link()
    await chats.set_language(100, "ru")
    await outbox.save([success(account.id, message(account.id, 1), message(account.id, 2))])
    due = await outbox.due(10)
    assert [(p.kind, p.language, p.chat_type, p.linked) for p in due] == [
        (ACCRUED, "ru", "private", True)
    ] * 2
    assert ACCRUED in due[0].wanted and KEY_REJECTED in due[0].wanted
    await outbox.mark_sent(due[0].id)
    await outbox.retry(due[1].id, time.time() + 30)
    assert await outbox.due(10) == []
    next_due = await outbox.next_due_at()
    assert next_due is not None and next_due > time.time() + 20
    await outbox.defer([due[1].id], 0)
    assert [(p.id, p.attempts) for p in await outbox.due(10)] == [(due[1].id, 1)]
    await outbox.drop([due[1].id], "test")
    assert await outbox.due(10) == [] and await outbox.next_due_at() is None


async def test_toggles_and_unlinking_are_visible_to_the_sender(
    outbox: Outbox, link: Link, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    account = await link()
    await outbox.save([success(account.id, message(account.id, 1))])
    await chats.set_notification(100, NotificationKind.ACCRUED, False)
    [row] = await outbox.due(10, lease=0)  # PostgreSQL: a claim of 0 s leaves the row due
    assert ACCRUED not in row.wanted
    await account_repo.delete(100, account.id)
    [row] = await outbox.due(10, lease=0)
    assert not row.linked


async def test_chat_gone_drops_only_its_pending_rows(
    db: Database, outbox: Outbox, link: Link, chats: ChatRepo
) -> None:
    mine, other = await link(100, "key-0001"), await link(200, "key-0002")
    await outbox.save(
        [success(mine.id, message(mine.id, 1)), success(other.id, message(other.id, 2, 200))]
    )
    assert await outbox.chat_gone(100, "Forbidden: bot was blocked by the user") == 1
    chat = await chats.get(100)
    assert chat is not None and not chat.active
    assert [p.chat_id for p in await outbox.due(10)] == [200]


async def test_group_migration_moves_accounts_and_pending_rows(
    db: Database, outbox: Outbox, link: Link, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    account = await link(-100, chat_type="group")
    await chats.set_notification(-100, NotificationKind.NEW_EXCHANGE, False)
    await outbox.save([success(account.id, message(account.id, 1, -100))])
    await outbox.migrate_chat(-100, -1001234)
    assert await chats.get(-100) is None
    moved = await chats.get(-1001234)
    assert moved is not None and moved.chat_type == "supergroup"
    assert NotificationKind.NEW_EXCHANGE not in moved.notifications
    assert [a.id for a in await account_repo.for_chat(-1001234)] == [account.id]
    assert [p.chat_id for p in await outbox.due(10)] == [-1001234]


async def test_prune_forgets_old_finished_rows_only(db: Database, link: Link) -> None:
    account = await link()
    old = Outbox(db, clock=lambda: time.time() - 40 * 86_400)
    await old.save([success(account.id, message(account.id, 1), message(account.id, 2))])
    [first, _] = await old.due(10)
    await old.mark_sent(first.id)
    assert await Outbox(db).prune() == 1
    assert await count(db, "SELECT COUNT(*) FROM outbox") == 1  # the unsent one stays


@sqlite_only
async def test_queries_use_the_indexes(db: Database) -> None:
    from bot.storage import outbox as module

    plan = await db.fetch_all("EXPLAIN QUERY PLAN " + module._DUE, (0, 10))
    assert any("outbox_pending" in row["detail"] for row in plan), [r["detail"] for r in plan]
    assert not any(row["detail"].startswith("SCAN o") for row in plan)
