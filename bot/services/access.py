"""Who may use an account: the one check every service method taking an account id makes.

Callback data (and so every account id a button carries) can be forged, and an account can be
unlinked while its buttons are still on screen. `owned` lets a method go on only for an account
linked in the calling chat; otherwise it raises `AccountGone`, which the Telegram layer shows
as "that account is not linked here" (the same words for a forged id and an unlinked one: they
tell nothing about other chats' accounts).
"""

from __future__ import annotations

from bot.storage.accounts import Account, AccountRepo


class AccountGone(Exception):
    """The account is not linked in this chat: unlinked meanwhile, or someone else's id."""


async def owned(repo: AccountRepo, chat_id: int, account_id: int) -> Account:
    account = await repo.get(account_id)
    if account is None or account.chat_id != chat_id:
        raise AccountGone
    return account
