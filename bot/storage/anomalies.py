"""Anomaly alerts' storage: which chats opted in, and each anomaly announced once (a row in
`anomaly_alerts` and its outbox row, in one transaction). Plain SQL that SQLite and
PostgreSQL both accept."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.domain import ANOMALY
from bot.storage.db import Database


class AnomalyRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_enabled(self, chat_id: int, on: bool) -> None:
        await self._db.execute(
            "INSERT INTO chat_insight_settings (chat_id, anomaly) VALUES (?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET anomaly = excluded.anomaly",
            (chat_id, int(on)),
        )

    async def enabled_chats(self) -> list[int]:
        rows = await self._db.fetch_all(
            "SELECT s.chat_id FROM chat_insight_settings s JOIN chats c ON c.chat_id = s.chat_id"
            " WHERE s.anomaly = 1 AND c.active = 1 ORDER BY s.chat_id"
        )
        return [row["chat_id"] for row in rows]

    async def announce(
        self, chat_id: int, account_id: int, key: str, payload: Mapping[str, Any], now: float
    ) -> bool:
        """False when this anomaly was announced already."""
        async with self._db.transaction() as conn:
            inserted = await conn.execute(
                "INSERT INTO anomaly_alerts (event_key, chat_id, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (event_key) DO NOTHING",
                (key, chat_id, now),
            )
            if inserted != 1:
                return False
            await conn.execute(
                "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING",
                (key, chat_id, account_id, ANOMALY, json.dumps(dict(payload)), now),
            )
        return True
