"""The digest scheduler: once a minute, every chat whose digest hour has come (in its time
zone; weekly digests on Mondays) gets its digest enqueued in the outbox, once per day (the
event key holds the local date) — the sender then sends it like any notification. Its own
task beside the poller and the watchdog; a site that does not answer is named in the digest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.notifications.periodic import every
from bot.services.charts import zone
from bot.services.digest import DigestService
from bot.services.insights import DEFAULT_SOURCE_PARAMS
from bot.storage.digests import DigestRepo, DigestSettings
from bot.storage.insight_settings import InsightSettingsRepo

log = logging.getLogger(__name__)


def due_key(wanted: DigestSettings, now: float) -> str | None:
    """The digest's event key when it is due now; None otherwise."""
    local = datetime.fromtimestamp(now, zone(wanted.timezone))
    if local.hour != wanted.hour or (wanted.every == "weekly" and local.weekday() != 0):
        return None
    return f"{wanted.chat_id}:digest:{local.date().isoformat()}"


class DigestScheduler:
    def __init__(
        self,
        repo: DigestRepo,
        settings: InsightSettingsRepo,
        service: DigestService,
        *,
        clock: Callable[[], float] = time.time,
        interval: float = 60.0,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._repo = repo
        self._settings = settings
        self._service = service
        self._clock = clock
        self._interval = interval
        self._on_enqueued = on_enqueued

    async def check(self) -> int:
        """Enqueues the digests due now; returns how many."""
        now = self._clock()
        added = 0
        for wanted in await self._repo.wanted():
            key = due_key(wanted, now)
            if key is None or await self._repo.exists(key):
                continue
            try:
                params = (await self._settings.get(wanted.chat_id)).source_params
                digest = await self._service.build(
                    wanted.chat_id,
                    wanted.every,
                    params or DEFAULT_SOURCE_PARAMS,
                    wanted.last_balance,
                    now,
                )
            except Exception:  # one chat's failure never stops the others' digests
                log.exception("Digest of chat %d failed", wanted.chat_id)
                continue
            if digest is not None and await self._repo.enqueue(
                wanted.chat_id, key, digest.payload, digest.balance, now
            ):
                added += 1
        if added and self._on_enqueued is not None:
            self._on_enqueued()
        return added

    async def run(self, stopping: asyncio.Event) -> None:
        await every(self._interval, stopping, self.check, "Digest check")
