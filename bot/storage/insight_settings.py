"""Per-chat settings typed after /settings: which link parameters name a traffic source, the
chat's time zone (/stats, /export, quiet hours) and its quiet hours. A missing row or NULL
column means the default. Plain SQL that SQLite and PostgreSQL both accept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class InsightSettings:
    source_params: tuple[str, ...] | None = None  # None: the default parameters
    timezone: str | None = None  # None: UTC
    quiet: tuple[int, int] | None = None  # quiet hours (start, end), local hours


_COLUMNS = "source_params, timezone, quiet_start, quiet_end FROM chat_insight_settings"


def _settings(row: Any) -> InsightSettings:
    params = tuple(row["source_params"].split(",")) if row["source_params"] else None
    quiet = None
    if row["quiet_start"] is not None and row["quiet_end"] is not None:
        quiet = (int(row["quiet_start"]), int(row["quiet_end"]))
    return InsightSettings(params, row["timezone"], quiet)


class InsightSettingsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> InsightSettings:
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} WHERE chat_id = ?", (chat_id,))
        return _settings(row) if row else InsightSettings()

    async def with_quiet_hours(self, chat_ids: list[int]) -> dict[int, InsightSettings]:
        """The settings of those of `chat_ids` that have quiet hours."""
        if not chat_ids:
            return {}
        marks = ", ".join("?" for _ in chat_ids)
        rows = await self._db.fetch_all(
            f"SELECT chat_id, {_COLUMNS} WHERE chat_id IN ({marks})"
            " AND quiet_start IS NOT NULL AND quiet_end IS NOT NULL",
            chat_ids,
        )
        return {row["chat_id"]: _settings(row) for row in rows}

    async def set_quiet_hours(self, chat_id: int, hours: tuple[int, int] | None) -> None:
        start, end = hours or (None, None)
        await self._db.execute(
            "INSERT INTO chat_insight_settings (chat_id, quiet_start, quiet_end) VALUES (?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET quiet_start = excluded.quiet_start,"
            " quiet_end = excluded.quiet_end",
            (chat_id, start, end),
        )

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
