"""Dialog state per (bot, chat, user): aiogram's FSM state and data, kept in the database so a
multi-step dialog (linking, the payout flow) survives a restart. Data is JSON: ids and short
strings only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.storage.db import Database


class FsmRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: str, state: str | None) -> None:
        await self._db.execute(
            "INSERT INTO fsm (key, state) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (key, state),
        )

    async def state(self, key: str) -> str | None:
        row = await self._db.fetch_one("SELECT state FROM fsm WHERE key = ?", (key,))
        return row["state"] if row else None

    async def set_data(self, key: str, data: Mapping[str, Any]) -> None:
        await self._db.execute(
            "INSERT INTO fsm (key, data) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (key, json.dumps(dict(data))),
        )

    async def data(self, key: str) -> dict[str, Any]:
        row = await self._db.fetch_one("SELECT data FROM fsm WHERE key = ?", (key,))
        return json.loads(row["data"]) if row else {}
