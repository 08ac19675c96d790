"""Anomaly alerts (opt-in, /settings anomaly on): once an hour, each opted-in chat's accounts
are read for the last weeks (through the reports service and its read cache) and checked
against their own baseline (`bot.services.anomaly`); each anomaly is enqueued once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.notifications.periodic import every
from bot.services.analytics import AnalyticsService
from bot.services.anomaly import LOOKBACK, detect
from bot.services.insights import DEFAULT_SOURCE_PARAMS
from bot.services.reports import Window
from bot.storage.accounts import AccountRepo
from bot.storage.anomalies import AnomalyRepo
from bot.storage.insight_settings import InsightSettingsRepo

log = logging.getLogger(__name__)


class AnomalyWatch:
    def __init__(
        self,
        repo: AnomalyRepo,
        settings: InsightSettingsRepo,
        accounts: AccountRepo,
        analytics: AnalyticsService,
        *,
        clock: Callable[[], float] = time.time,
        interval: float = 3600.0,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._repo, self._settings, self._accounts = repo, settings, accounts
        self._analytics = analytics
        self._clock = clock
        self._interval = interval
        self._on_enqueued = on_enqueued

    async def check(self) -> int:
        now = self._clock()
        added = 0
        for chat_id in await self._repo.enabled_chats():
            try:
                added += await self._check_chat(chat_id, now)
            except Exception:  # one chat's failure never stops the others
                log.exception("Anomaly check of chat %d failed", chat_id)
        if added and self._on_enqueued is not None:
            self._on_enqueued()
        return added

    async def _check_chat(self, chat_id: int, now: float) -> int:
        params = (await self._settings.get(chat_id)).source_params or DEFAULT_SOURCE_PARAMS
        added = 0
        for account in await self._accounts.for_chat(chat_id):
            data = await self._analytics.period([account], Window(int(now - LOOKBACK), None))
            for part in data.accounts:
                for anomaly in detect(part.clicks, part.exchanges, params, now):
                    key = f"{account.id}:anomaly:{anomaly.kind}:{anomaly.episode}"
                    payload = {
                        "kind": anomaly.kind,
                        "account": f"{account.site.split('://', 1)[-1]} · {account.key_hint}…",
                        "clicks": anomaly.clicks,
                        "expected": anomaly.expected,
                        "source": anomaly.source,
                    }
                    added += await self._repo.announce(chat_id, account.id, key, payload, now)
        return added

    async def run(self, stopping: asyncio.Event) -> None:
        await every(self._interval, stopping, self.check, "Anomaly check")
