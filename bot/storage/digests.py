"""The digest's storage: which chats want one (and when), the balance at the last one, and the
digest itself enqueued in the outbox once per period (its UNIQUE event key). Plain SQL that
SQLite and PostgreSQL both accept."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.domain import DIGEST
from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class DigestSettings:
    chat_id: int
    every: str  # 'daily' or 'weekly'
    hour: int
    timezone: str | None
    last_balance: Decimal | None


class DigestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_digest(self, chat_id: int, every: str | None, hour: int | None) -> None:
        await self._db.execute(
            "INSERT INTO chat_insight_settings (chat_id, digest, digest_hour) VALUES (?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET digest = excluded.digest,"
            " digest_hour = excluded.digest_hour",
            (chat_id, every, hour),
        )

    async def wanted(self) -> list[DigestSettings]:
        """Every active chat that asked for a digest."""
        rows = await self._db.fetch_all(
            "SELECT s.chat_id, s.digest, s.digest_hour, s.timezone, s.digest_balance"
            " FROM chat_insight_settings s JOIN chats c ON c.chat_id = s.chat_id"
            " WHERE s.digest IS NOT NULL AND s.digest_hour IS NOT NULL AND c.active = 1"
        )
        return [
            DigestSettings(
                r["chat_id"],
                r["digest"],
                int(r["digest_hour"]),
                r["timezone"],
                Decimal(r["digest_balance"]) if r["digest_balance"] is not None else None,
            )
            for r in rows
        ]

    async def exists(self, key: str) -> bool:
        return (
            await self._db.fetch_one("SELECT 1 FROM outbox WHERE event_key = ?", (key,)) is not None
        )

    async def enqueue(
        self,
        chat_id: int,
        key: str,
        payload: Mapping[str, Any],
        balance: Decimal | None,
        now: float,
    ) -> bool:
        """The digest and the balance it reports, in one transaction; False: already there."""
        async with self._db.transaction() as conn:
            inserted = await conn.execute(
                "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
                " VALUES (?, ?, NULL, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING",
                (key, chat_id, DIGEST, json.dumps(dict(payload)), now),
            )
            if inserted != 1:
                return False
            if balance is not None:
                await conn.execute(
                    "UPDATE chat_insight_settings SET digest_balance = ? WHERE chat_id = ?",
                    (format(balance, "f"), chat_id),
                )
        return True
