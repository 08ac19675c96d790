"""Chats: language, reachability and notification preferences."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from bot.storage.db import Database


class NotificationKind(StrEnum):
    ACCRUED = "accrued"
    PAYOUT_STATUS = "payout_status"
    NEW_EXCHANGE = "new_exchange"
    PAYOUT_AVAILABLE = "payout_available"

    @property
    def column(self) -> str:
        return f"notify_{self.value}"


@dataclass(frozen=True, slots=True)
class Chat:
    chat_id: int
    chat_type: str
    language: str | None
    active: bool
    notifications: frozenset[NotificationKind]

    def wants(self, kind: NotificationKind) -> bool:
        return kind in self.notifications


_COLUMNS = "chat_id, chat_type, language, active, " + ", ".join(k.column for k in NotificationKind)


def _chat(row: object) -> Chat:
    kinds = frozenset(k for k in NotificationKind if row[k.column])  # type: ignore[index]
    return Chat(
        chat_id=row["chat_id"],  # type: ignore[index]
        chat_type=row["chat_type"],  # type: ignore[index]
        language=row["language"],  # type: ignore[index]
        active=bool(row["active"]),  # type: ignore[index]
        notifications=kinds,
    )


class ChatRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

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

    async def set_active(self, chat_id: int, active: bool) -> None:
        await self._db.execute(
            "UPDATE chats SET active = ? WHERE chat_id = ?", (int(active), chat_id)
        )

    async def set_notification(self, chat_id: int, kind: NotificationKind, on: bool) -> None:
        await self._db.execute(
            f"UPDATE chats SET {kind.column} = ? WHERE chat_id = ?", (int(on), chat_id)
        )

    async def count(self) -> tuple[int, int]:
        """(all chats, active chats)."""
        row = await self._db.fetch_one("SELECT COUNT(*), COALESCE(SUM(active), 0) FROM chats")
        return (int(row[0]), int(row[1])) if row else (0, 0)
