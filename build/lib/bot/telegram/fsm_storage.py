"""aiogram FSM storage in the bot's SQLite database, so multi-step dialogs (linking, the
payout flow) survive a restart. Data must be JSON-serialisable: ids and short strings only."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.storage.db import Database


def _key(key: StorageKey) -> str:
    parts = (key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id)
    return ":".join("" if part is None else str(part) for part in parts) + f":{key.destiny}"


class SQLiteStorage(BaseStorage):
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._db.execute(
            "INSERT INTO fsm (key, state) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (_key(key), value),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetch_one("SELECT state FROM fsm WHERE key = ?", (_key(key),))
        return row["state"] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._db.execute(
            "INSERT INTO fsm (key, data) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (_key(key), json.dumps(dict(data))),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetch_one("SELECT data FROM fsm WHERE key = ?", (_key(key),))
        return json.loads(row["data"]) if row else {}

    async def close(self) -> None:
        """The database is closed by its owner (the composition root)."""
