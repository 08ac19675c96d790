import asyncio
from pathlib import Path

import pytest

from bot.exchanger.models import Credentials
from bot.storage.accounts import AccountRepo, AlreadyLinked
from bot.storage.chats import ChatRepo
from bot.storage.db import Database
from bot.storage.outbox import Outbox, PollResult
from tests.postgres import sqlite_only

KEY = "secret-api-key-123456"
SITE = "https://ex.example"


@sqlite_only
async def test_key_is_stored_encrypted_and_read_back(
    tmp_path: Path, db: Database, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(10, "private")
    account = await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    assert account.key_hint == "secr"
    assert await account_repo.credentials(account.id) == Credentials(SITE, KEY)
    raw = (tmp_path / "bot.sqlite3").read_bytes()
    for wal in tmp_path.glob("bot.sqlite3-wal"):
        raw += wal.read_bytes()
    assert KEY.encode() not in raw


async def test_same_key_twice_in_a_chat_is_refused(
    chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(10, "private")
    await chats.ensure(11, "private")
    first = await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    with pytest.raises(AlreadyLinked) as caught:
        await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    assert caught.value.account.id == first.id
    other_chat = await account_repo.add(11, Credentials(SITE, KEY), linked_by=8)
    assert other_chat.id != first.id


async def test_two_links_of_one_key_at_once_make_one_account(
    chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(10, "private")
    results = await asyncio.gather(
        *(account_repo.add(10, Credentials(SITE, KEY), linked_by=7) for _ in range(2)),
        return_exceptions=True,
    )
    linked = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, AlreadyLinked)]
    assert len(linked) == 1 and len(refused) == 1, results
    assert refused[0].account.id == linked[0].id
    assert [a.id for a in await account_repo.for_chat(10)] == [linked[0].id]


async def test_relinking_a_paused_account_resumes_it(
    db: Database, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(10, "private")
    account = await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    # Paused the way production pauses it: the poller saw the key rejected.
    await Outbox(db).save([PollResult(account.id, 0.0, error="Api disabled", pause=True)])
    assert (await account_repo.for_chat(10))[0].paused
    again = await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    assert again.id == account.id and not again.paused


async def test_only_the_owning_chat_can_delete(chats: ChatRepo, account_repo: AccountRepo) -> None:
    await chats.ensure(10, "private")
    account = await account_repo.add(10, Credentials(SITE, KEY), linked_by=7)
    assert not await account_repo.delete(99, account.id)
    assert await account_repo.delete(10, account.id)
    assert await account_repo.for_chat(10) == []
    assert await account_repo.credentials(account.id) is None


async def test_chat_comes_back_active_after_a_block(db: Database, chats: ChatRepo) -> None:
    await chats.ensure(10, "private")
    await Outbox(db).chat_gone(10, "Forbidden: bot was blocked by the user")
    assert (await chats.get(10)).active is False  # type: ignore[union-attr]
    await chats.ensure(10, "private")
    chat = await chats.get(10)
    assert chat is not None and chat.active and chat.language is None


async def test_an_unlinked_id_is_never_given_to_a_new_link(
    chats: ChatRepo, account_repo: AccountRepo
) -> None:
    await chats.ensure(1, "private")
    first = await account_repo.add(1, Credentials("https://ex.example", "key-aaaa"), 1)
    assert await account_repo.delete(1, first.id)
    second = await account_repo.add(1, Credentials("https://ex.example", "key-bbbb"), 1)
    assert second.id > first.id
