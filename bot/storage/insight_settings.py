"""Per-chat settings of the insight commands (/sources, /stats, /export): which link
parameters name a traffic source, and the chat's time zone. A missing row or NULL column
means the default. Plain SQL that SQLite and PostgreSQL both accept."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class InsightSettings:
    source_params: tuple[str, ...] | None = None  # None: the default parameters
    timezone: str | None = None  # None: UTC


class InsightSettingsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> InsightSettings:
        row = await self._db.fetch_one(
            "SELECT source_params, timezone FROM chat_insight_settings WHERE chat_id = ?",
            (chat_id,),
        )
        if row is None:
            return InsightSettings()
        params = tuple(row["source_params"].split(",")) if row["source_params"] else None
        return InsightSettings(params, row["timezone"])

    async def set_source_params(self, chat_id: int, params: tuple[str, ...] | None) -> None:
        await self._db.execute(
            "INSERT INTO chat_insight_settings (chat_id, source_params) VALUES (?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET source_params = excluded.source_params",
            (chat_id, ",".join(params) if params else None),
        )

    async def set_timezone(self, chat_id: int, timezone: str | None) -> None:
        await self._db.execute(
            "INSERT INTO chat_insight_settings (chat_id, timezone) VALUES (?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET timezone = excluded.timezone",
            (chat_id, timezone),
        )
