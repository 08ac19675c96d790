"""Linked affiliate accounts. The api_key is stored only encrypted (see crypto.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.exchanger.models import Credentials
from bot.storage.crypto import KeyVault
from bot.storage.db import Database, Row


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    chat_id: int
    site: str
    key_hint: str
    paused: bool
    created_at: int


class AlreadyLinked(Exception):
    def __init__(self, account: Account) -> None:
        super().__init__(f"account {account.id} is already linked")
        self.account = account


_COLUMNS = "id, chat_id, site, key_hint, paused, created_at"
# Insert, or resume the chat's paused account with this key; nothing when it is linked.
_LINK = (
    "INSERT INTO accounts (chat_id, site, api_key_enc, key_fingerprint, key_hint, linked_by,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (chat_id, key_fingerprint) DO UPDATE SET paused = 0, failures = 0,"
    " next_poll_at = 0, paused_at = NULL, next_check_at = NULL WHERE accounts.paused <> 0"
    f" RETURNING {_COLUMNS}"
)


def _account(row: Row) -> Account:
    return Account(
        id=row["id"],
        chat_id=row["chat_id"],
        site=row["site"],
        key_hint=row["key_hint"],
        paused=bool(row["paused"]),
        created_at=row["created_at"],
    )


class AccountRepo:
    def __init__(self, db: Database, vault: KeyVault) -> None:
        self._db = db
        self._vault = vault

    async def add(self, chat_id: int, creds: Credentials, linked_by: int) -> Account:
        """Link a key to a chat; raises AlreadyLinked when this chat has it already.

        One statement decides (the UNIQUE (chat_id, key_fingerprint) constraint), so two links
        of one key at once give one account and one AlreadyLinked. Relinking a paused account
        (a rejected key that works again) resumes it; a linked one is left alone and no row
        comes back."""
        fingerprint = self._vault.fingerprint(creds.site, creds.api_key)
        params = (
            chat_id,
            creds.site,
            self._vault.encrypt(creds.api_key),
            fingerprint,
            creds.api_key[:4],
            linked_by,
            int(time.time()),
        )
        for _ in range(2):  # the row in the way may be unlinked before it is read: once more
            async with self._db.transaction() as conn:
                row = await conn.fetch_one(_LINK, params)
            if row is not None:
                return _account(row)
            existing = await self._by_fingerprint(chat_id, fingerprint)
            if existing is not None:
                raise AlreadyLinked(existing)
        raise RuntimeError("linking a key kept conflicting with a row that then went away")

    async def _by_fingerprint(self, chat_id: int, fingerprint: str) -> Account | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM accounts WHERE chat_id = ? AND key_fingerprint = ?",
            (chat_id, fingerprint),
        )
        return _account(row) if row else None

    async def get(self, account_id: int) -> Account | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", (account_id,)
        )
        return _account(row) if row else None

    async def for_chat(self, chat_id: int) -> list[Account]:
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM accounts WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
        return [_account(row) for row in rows]

    async def delete(self, chat_id: int, account_id: int) -> bool:
        """Only the owning chat can delete, and never while a payout request of the account is
        being sent or checked (deleting would cascade to the request and lose its truth and its
        one-in-flight guard); returns whether a row went."""
        changed = await self._db.execute(
            "DELETE FROM accounts WHERE id = ? AND chat_id = ? AND NOT EXISTS ("
            "SELECT 1 FROM payout_requests r WHERE r.account_id = accounts.id"
            " AND r.state IN ('submitting', 'checking'))",
            (account_id, chat_id),
        )
        return changed > 0

    async def payout_in_flight(self, account_id: int) -> bool:
        """A payout request of this account is being sent or checked."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM payout_requests WHERE account_id = ?"
            " AND state IN ('submitting', 'checking')",
            (account_id,),
        )
        return row is not None

    async def credentials(self, account_id: int) -> Credentials | None:
        row = await self._db.fetch_one(
            "SELECT site, api_key_enc FROM accounts WHERE id = ?", (account_id,)
        )
        if row is None:
            return None
        return Credentials(site=row["site"], api_key=self._vault.decrypt(row["api_key_enc"]))
