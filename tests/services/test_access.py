"""The ownership check every service method taking an account id makes."""

from __future__ import annotations

import pytest

from bot.exchanger.models import Credentials
from bot.services.access import AccountGone, owned
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo


async def test_only_the_chat_the_account_is_linked_in_owns_it(
    chats: ChatRepo, account_repo: AccountRepo
) -> None:
    for chat in (1, 2):
        await chats.ensure(chat, "private")
    account = await account_repo.add(1, Credentials("https://a.example", "key-aaaa"), 7)
    assert await owned(account_repo, 1, account.id) == account
    for chat, account_id in ((2, account.id), (1, account.id + 1), (1, -1)):
        with pytest.raises(AccountGone):
            await owned(account_repo, chat, account_id)
    assert await account_repo.delete(1, account.id)
    with pytest.raises(AccountGone):  # unlinked meanwhile: a stale button
        await owned(account_repo, 1, account.id)
