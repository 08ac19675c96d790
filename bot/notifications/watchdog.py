"""The payout watchdog: a payout still pending longer than its site's threshold (default 48 h)
gets one reminder, through the outbox like every notification (sent with the payout status
toggle of /settings). Its own task beside the poller: it only reads what the poller stored.

Thresholds come from PAYOUT_REMINDER_HOURS (see `bot.services.payout_watch.Thresholds`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.notifications.periodic import every
from bot.services.payout_watch import Thresholds
from bot.storage.payout_watch import PayoutWatchRepo

log = logging.getLogger(__name__)


class PayoutWatchdog:
    def __init__(
        self,
        repo: PayoutWatchRepo,
        thresholds: Thresholds,
        *,
        clock: Callable[[], float] = time.time,
        interval: float = 600.0,
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._repo = repo
        self._thresholds = thresholds
        self._clock = clock
        self._interval = interval
        self._on_enqueued = on_enqueued

    async def check(self) -> int:
        """Enqueues the reminders now due; returns how many."""
        now = self._clock()
        candidates = await self._repo.pending_since(int(now - self._thresholds.shortest))
        added = 0
        for payout in candidates:
            if payout.time < now - self._thresholds.seconds(payout.site):
                added += await self._repo.remind(payout, now)
        if added and self._on_enqueued is not None:
            self._on_enqueued()
        return added

    async def run(self, stopping: asyncio.Event) -> None:
        await every(self._interval, stopping, self.check, "Payout watchdog check")
