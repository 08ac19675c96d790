"""Per-chat insight settings: defaults without a row, each column set on its own."""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.insight_settings import InsightSettings, InsightSettingsRepo


async def test_defaults_then_each_setting_kept_apart(db: Database) -> None:
    repo = InsightSettingsRepo(db)
    assert await repo.get(7) == InsightSettings(None, None)
    await repo.set_timezone(7, "Europe/Moscow")
    await repo.set_source_params(7, ("sub_id", "utm_source"))
    assert await repo.get(7) == InsightSettings(("sub_id", "utm_source"), "Europe/Moscow")
    await repo.set_source_params(7, None)  # back to the defaults; the time zone stays
    assert await repo.get(7) == InsightSettings(None, "Europe/Moscow")
    assert await repo.get(8) == InsightSettings()
