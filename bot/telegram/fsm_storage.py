"""aiogram's FSM storage on the bot's database (storage/fsm.py), on either engine, so
multi-step dialogs (linking, the payout flow) survive a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.storage.db import Database
from bot.storage.fsm import FsmRepo


def _key(key: StorageKey) -> str:
    parts = (key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id)
    return ":".join("" if part is None else str(part) for part in parts) + f":{key.destiny}"


class DatabaseStorage(BaseStorage):
    def __init__(self, db: Database) -> None:
        self._repo = FsmRepo(db)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._repo.set_state(_key(key), state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return await self._repo.state(_key(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._repo.set_data(_key(key), data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return await self._repo.data(_key(key))

    async def close(self) -> None:
        """The database is closed by its owner (the composition root)."""
