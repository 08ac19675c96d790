"""Chats: language, reachability and notification preferences."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.domain import NotificationKind
from bot.storage.db import Database, Dialect, Row


def column(kind: NotificationKind) -> str:
    """The chats column of a notification toggle."""
    return f"notify_{kind.value}"


@dataclass(frozen=True, slots=True)
class Chat:
    chat_id: int
    chat_type: str
    language: str | None
    active: bool
    notifications: frozenset[NotificationKind]


_TOGGLES = ", ".join(column(k) for k in NotificationKind)
_COLUMNS = f"chat_id, chat_type, language, active, {_TOGGLES}"


# The moved chat's row, merged into the new id's row if that exists already (the supergroup
# wrote before the move was handled): a language chosen there wins, else the old one is kept;
# a notification turned off on either side stays off (on is the default, off was a choice).
def _merge_chat(dialect: Dialect) -> str:
    most, least = dialect.greatest, dialect.least
    toggles = ", ".join(
        f"{c} = {least}(chats.{c}, excluded.{c})" for c in map(column, NotificationKind)
    )
    return (
        f"INSERT INTO chats (chat_id, chat_type, language, active, {_TOGGLES}, created_at)"
        f" SELECT CAST(? AS BIGINT), 'supergroup', language, active, {_TOGGLES}, created_at"
        " FROM chats WHERE chat_id = ?"
        " ON CONFLICT (chat_id) DO UPDATE SET chat_type = 'supergroup',"
        " language = COALESCE(chats.language, excluded.language),"
        f" active = {most}(chats.active, excluded.active), {toggles}"
    )


# An account linked in both chats is kept once: the one linked in the new chat.
_DROP_DUPLICATE_ACCOUNTS = (
    "DELETE FROM accounts WHERE chat_id = ? AND key_fingerprint IN"
    " (SELECT key_fingerprint FROM accounts WHERE chat_id = ?)"
)
_PENDING_OUTBOX = "sent_at IS NULL AND dropped_reason IS NULL"


def _chat(row: Row) -> Chat:
    kinds = frozenset(k for k in NotificationKind if row[column(k)])
    return Chat(
        chat_id=row["chat_id"],
        chat_type=row["chat_type"],
        language=row["language"],
        active=bool(row["active"]),
        notifications=kinds,
    )


class ChatRepo:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._merge = _merge_chat(db.dialect)

    async def get(self, chat_id: int) -> Chat | None:
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM chats WHERE chat_id = ?", (chat_id,)
        )
        return _chat(row) if row else None

    async def ensure(self, chat_id: int, chat_type: str) -> None:
        """Create the chat on first contact; a chat that writes again is reachable again."""
        await self._db.execute(
            "INSERT INTO chats (chat_id, chat_type, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type, active = 1 "
            "WHERE chats.active = 0 OR chats.chat_type != excluded.chat_type",
            (chat_id, chat_type, int(time.time())),
        )

    async def set_language(self, chat_id: int, language: str) -> None:
        await self._db.execute(
            "UPDATE chats SET language = ? WHERE chat_id = ?", (language, chat_id)
        )

    async def set_notification(self, chat_id: int, kind: NotificationKind, on: bool) -> None:
        await self._db.execute(
            f"UPDATE chats SET {column(kind)} = ? WHERE chat_id = ?", (int(on), chat_id)
        )

    async def migrate(self, old: int, new: int) -> int:
        """A group became a supergroup (`old` → `new` id): its settings, language, accounts,
        payout requests and pending notifications move to the new id at once, merged with
        anything already there, in one transaction. Safe to run twice (Telegram sends a service
        message to each chat).
        Returns the number of accounts moved."""
        if old == new:
            return 0
        async with self._db.transaction() as conn:
            await conn.execute(self._merge, (new, old))
            await conn.execute(_DROP_DUPLICATE_ACCOUNTS, (old, new))
            moved = await conn.execute(
                "UPDATE accounts SET chat_id = ? WHERE chat_id = ?", (new, old)
            )
            await conn.execute(
                f"UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND {_PENDING_OUTBOX}",
                (new, old),
            )
            # A payout being checked reports its result to the chat it was asked from.
            await conn.execute(
                "UPDATE payout_requests SET chat_id = ? WHERE chat_id = ?", (new, old)
            )
            # The insight settings (sources, time zone, digest, quiet hours): the new id's own
            # row wins, like the language.
            await conn.execute(
                "UPDATE chat_insight_settings SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM chat_insight_settings s WHERE s.chat_id = ?)",
                (new, old, new),
            )
            await conn.execute("DELETE FROM chat_insight_settings WHERE chat_id = ?", (old,))
            await conn.execute("DELETE FROM chats WHERE chat_id = ?", (old,))
        return moved
