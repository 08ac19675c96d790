"""Chats: moving a group to its supergroup id, merged with what the new id already has."""

from __future__ import annotations

from bot.domain import NotificationKind
from bot.exchanger.models import Credentials
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database

OLD, NEW = -100, -1001234


async def _outbox_row(db: Database, key: str, chat_id: int, *, sent: bool = False) -> None:
    await db.execute(
        "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at, sent_at)"
        " VALUES (?, ?, NULL, 'accrued', '{}', 0, ?)",
        (key, chat_id, 1.0 if sent else None),
    )


async def _outbox_chats(db: Database) -> dict[str, int]:
    rows = await db.fetch_all("SELECT event_key, chat_id FROM outbox")
    return {row["event_key"]: row["chat_id"] for row in rows}


async def test_everything_moves_to_the_new_id(
    db: Database, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(OLD, "group")
    await chats.set_language(OLD, "ru")
    await chats.set_notification(OLD, NotificationKind.NEW_EXCHANGE, False)
    account = await account_repo.add(OLD, Credentials("https://a.example", "key-1"), linked_by=7)
    await _outbox_row(db, "pending", OLD)
    await _outbox_row(db, "sent", OLD, sent=True)
    assert await chats.migrate(OLD, NEW) == 1
    assert await chats.get(OLD) is None
    moved = await chats.get(NEW)
    assert moved is not None and moved.chat_type == "supergroup" and moved.language == "ru"
    assert moved.notifications == frozenset(NotificationKind) - {NotificationKind.NEW_EXCHANGE}
    assert [a.id for a in await account_repo.for_chat(NEW)] == [account.id]
    assert await _outbox_chats(db) == {"pending": NEW, "sent": OLD}  # history stays as it was
    assert await chats.migrate(OLD, NEW) == 0  # the second service message: nothing changes
    assert await chats.get(NEW) == moved


async def test_merged_with_a_row_the_supergroup_already_has(
    db: Database, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(OLD, "group")
    await chats.set_language(OLD, "ru")
    await chats.set_notification(OLD, NotificationKind.ACCRUED, False)
    shared = Credentials("https://a.example", "key-shared")
    await account_repo.add(OLD, shared, linked_by=7)
    only_old = await account_repo.add(OLD, Credentials("https://a.example", "key-old"), 7)
    # The supergroup wrote first: its row exists with the defaults (the bug dropped the old
    # chat's language and toggles here), one toggle off of its own, the shared key relinked.
    await chats.ensure(NEW, "supergroup")
    await chats.set_notification(NEW, NotificationKind.PAYOUT_AVAILABLE, False)
    kept = await account_repo.add(NEW, shared, linked_by=7)
    await chats.migrate(OLD, NEW)
    merged = await chats.get(NEW)
    assert merged is not None and merged.language == "ru"
    assert merged.notifications == {NotificationKind.PAYOUT_STATUS, NotificationKind.NEW_EXCHANGE}
    assert sorted(a.id for a in await account_repo.for_chat(NEW)) == sorted([kept.id, only_old.id])
    assert await account_repo.for_chat(OLD) == []


async def test_a_language_chosen_in_the_supergroup_wins(chats: ChatRepo) -> None:
    await chats.ensure(OLD, "group")
    await chats.set_language(OLD, "ru")
    await chats.ensure(NEW, "supergroup")
    await chats.set_language(NEW, "en")
    await chats.migrate(OLD, NEW)
    merged = await chats.get(NEW)
    assert merged is not None and merged.language == "en"


async def test_payout_requests_and_insight_settings_move_too(
    db: Database, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    """A payout being checked tells its result to the supergroup; /settings insights follow."""
    await chats.ensure(OLD, "group")
    account = await account_repo.add(OLD, Credentials("https://a.example", "key-1"), linked_by=7)
    await db.execute(
        "INSERT INTO payout_requests (token, chat_id, user_id, account_id, state, created_at,"
        " expires_at) VALUES ('t1', ?, 7, ?, 'checking', 0, 0)",
        (OLD, account.id),
    )
    await db.execute(
        "INSERT INTO chat_insight_settings (chat_id, timezone, digest, digest_hour)"
        " VALUES (?, 'Europe/Moscow', 'daily', 9)",
        (OLD,),
    )
    await chats.migrate(OLD, NEW)
    request = await db.fetch_one("SELECT chat_id FROM payout_requests WHERE token = 't1'")
    assert request is not None and request["chat_id"] == NEW
    rows = await db.fetch_all("SELECT chat_id, timezone FROM chat_insight_settings")
    assert [(r["chat_id"], r["timezone"]) for r in rows] == [(NEW, "Europe/Moscow")]


async def test_the_supergroups_own_insight_settings_win(db: Database, chats: ChatRepo) -> None:
    await chats.ensure(OLD, "group")
    await chats.ensure(NEW, "supergroup")
    for chat_id, zone in ((OLD, "Europe/Moscow"), (NEW, "Asia/Tokyo")):
        await db.execute(
            "INSERT INTO chat_insight_settings (chat_id, timezone) VALUES (?, ?)", (chat_id, zone)
        )
    await chats.migrate(OLD, NEW)
    rows = await db.fetch_all("SELECT chat_id, timezone FROM chat_insight_settings")
    assert [(r["chat_id"], r["timezone"]) for r in rows] == [(NEW, "Asia/Tokyo")]
