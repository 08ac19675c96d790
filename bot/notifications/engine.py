"""The notification engine: owns the poller and the sender, started and stopped with the bot.

Five long-lived tasks in total (poller, sender, and issue 16's payout watchdog, digests and
anomaly alerts), whatever the number of accounts. `stop()` ends polling at once (polls in
flight are cancelled: nothing of theirs was committed, they are simply done again after the
restart) and lets the sender finish the messages in flight within `timeout`.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot

from bot.config import Settings
from bot.exchanger.client import ExchangerApi
from bot.notifications.anomaly import AnomalyWatch
from bot.notifications.clock import SchedulingClock
from bot.notifications.digest import DigestScheduler
from bot.notifications.poller import Poller, PollerConfig
from bot.notifications.sender import Renderer, Sender
from bot.notifications.watchdog import PayoutWatchdog
from bot.services.analytics import AnalyticsService
from bot.services.digest import DigestService
from bot.services.payout_watch import Thresholds
from bot.services.read_cache import ReadCache
from bot.services.reports import ReportService
from bot.storage.accounts import AccountRepo
from bot.storage.anomalies import AnomalyRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.digests import DigestRepo
from bot.storage.insight_settings import InsightSettingsRepo
from bot.storage.leadership import SENDER_LOCK, Leadership
from bot.storage.outbox import Outbox
from bot.storage.payout_watch import PayoutWatchRepo
from bot.storage.schedule import PollSchedule

log = logging.getLogger(__name__)


def poller_config(settings: Settings) -> PollerConfig:
    return PollerConfig(
        interval=settings.poll_interval,
        lookback_days=settings.lookback_days,
        max_concurrent=settings.max_concurrent_polls,
        max_items=settings.max_items_per_poll,
        breaker_threshold=settings.breaker_threshold,
        payouts_every=settings.payouts_every,
    )


class NotificationEngine:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        vault: KeyVault,
        api: ExchangerApi,
        bot: Bot,
        render: Renderer,
    ) -> None:
        clock = SchedulingClock()  # one clock for every stored time: never goes back
        outbox = Outbox(db, clock=clock)
        self.sender = Sender(
            bot,
            outbox,
            render=render,
            rate=settings.send_rate,
            clock=clock,
            burst=settings.notify_burst,
            quiet=InsightSettingsRepo(db),
            role=Leadership(db, SENDER_LOCK, "Sender"),
        )
        self.poller = Poller(
            api,
            PollSchedule(db),
            outbox,
            vault,
            poller_config(settings),
            on_enqueued=self.sender.wake,
            clock=clock,
        )
        # --- payout watchdog (issue 16): its own task, reading what the poller stored
        self.watchdog = PayoutWatchdog(
            PayoutWatchRepo(db),
            Thresholds.parse(settings.payout_reminder_hours),
            clock=clock,
            on_enqueued=self.sender.wake,
        )
        # --- digests (issue 16): the chat's daily/weekly summary at its hour, via the outbox
        reports = ReportService(api, AccountRepo(db, vault), ReadCache(settings.read_cache_seconds))
        self.digests = DigestScheduler(
            DigestRepo(db),
            InsightSettingsRepo(db),
            DigestService(AccountRepo(db, vault), reports, AnalyticsService(reports)),
            clock=clock,
            on_enqueued=self.sender.wake,
        )
        # --- anomaly alerts (issue 16, opt-in): hourly, against each account's own baseline
        self.anomalies = AnomalyWatch(
            AnomalyRepo(db),
            InsightSettingsRepo(db),
            AccountRepo(db, vault),
            AnalyticsService(reports),
            clock=clock,
            on_enqueued=self.sender.wake,
        )
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def circuit_state(self, site: str) -> str | None:
        """For /admin; None until the site was polled."""
        health = self.poller.health.get(site)
        return health.state if health else None

    async def start(self) -> None:
        if self._tasks:
            return
        self._stopping.clear()
        self._tasks = [
            asyncio.create_task(self.poller.run(self._stopping), name="notifications-poller"),
            asyncio.create_task(self.sender.run(self._stopping), name="notifications-sender"),
            asyncio.create_task(self.watchdog.run(self._stopping), name="payout-watchdog"),
            asyncio.create_task(self.digests.run(self._stopping), name="digests"),
            asyncio.create_task(self.anomalies.run(self._stopping), name="anomalies"),
        ]
        log.info("Notifications started")

    async def stop(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - waits, then cancels
        if not self._tasks:
            return
        self._stopping.set()
        done, pending = await asyncio.wait(self._tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("%s ended with an error", task.get_name(), exc_info=task.exception())
        self._tasks = []
        log.info("Notifications stopped")
