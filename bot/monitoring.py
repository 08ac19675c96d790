"""Health and metrics of one bot process (issue 15), on METRICS_PORT (0: off).

    GET /healthz   200 {"ok": true, …} or 503: the database answers, the last polling round
                   is recent (≤ 3 intervals ago), and — on the process that sends — the
                   oldest pending notification is not older than SENDER_LAG_LIMIT
    GET /metrics   Prometheus text format (prometheus-client)

Metrics are read at scrape time from the engine's counters and the database (a custom
collector, no global registry): polls and failed polls per site, circuit state per site
(0 closed, 1 half-open, 2 open), outbox backlog and its oldest row's age, messages sent, 429s,
whether this process holds the sender role, payout requests by state.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.notifications.engine import NotificationEngine
from bot.storage.stats import Backlog, StatsRepo

log = logging.getLogger(__name__)
SENDER_LAG_LIMIT = 600.0  # seconds: an older pending notification makes the sender unhealthy
_CIRCUIT = {"closed": 0, "half-open": 1, "open": 2}


class Snapshot:
    """What one scrape reads from the database (once, before the collector runs)."""

    def __init__(self, backlog: Backlog, payouts: dict[str, int], now: float) -> None:
        self.backlog, self.payouts, self.now = backlog, payouts, now

    @property
    def oldest_age(self) -> float:
        oldest = self.backlog.oldest_pending_at
        return max(0.0, self.now - oldest) if oldest is not None else 0.0


class EngineCollector(Collector):
    def __init__(self, engine: NotificationEngine) -> None:
        self._engine = engine
        self.snapshot: Snapshot | None = None

    def collect(self) -> Iterator[Metric]:
        poller, sender = self._engine.poller, self._engine.sender
        polls = CounterMetricFamily("bot_polls", "Polls per site", labels=["site"])
        errors = CounterMetricFamily("bot_poll_errors", "Failed polls per site", labels=["site"])
        for site, count in sorted(poller.polls.items()):
            polls.add_metric([site], count)
            errors.add_metric([site], poller.poll_errors[site])
        circuit = GaugeMetricFamily(
            "bot_circuit_state", "0 closed, 1 half-open, 2 open", labels=["site"]
        )
        for site, health in sorted(poller.health.items()):
            circuit.add_metric([site], _CIRCUIT.get(health.state, 2))
        yield from (polls, errors, circuit)
        yield CounterMetricFamily("bot_messages_sent", "Messages sent", value=sender.sent)
        yield CounterMetricFamily("bot_telegram_429", "429 answers", value=sender.flood_429)
        yield GaugeMetricFamily(
            "bot_sender_role", "1: this process sends", value=int(sender.is_leader)
        )
        if self.snapshot is not None:
            snap = self.snapshot
            yield GaugeMetricFamily(
                "bot_outbox_backlog", "Notifications pending", value=snap.backlog.pending
            )
            yield GaugeMetricFamily(
                "bot_outbox_oldest_age_seconds", "Age of the oldest pending", value=snap.oldest_age
            )
            payouts = GaugeMetricFamily(
                "bot_payout_requests", "Payout requests by state", labels=["state"]
            )
            for state, count in snap.payouts.items():
                payouts.add_metric([state], count)
            yield payouts


class Monitoring:
    def __init__(self, engine: NotificationEngine, stats: StatsRepo, interval: float) -> None:
        self._engine, self._stats, self._interval = engine, stats, interval
        self._collector = EngineCollector(engine)
        self._registry = CollectorRegistry(auto_describe=False)
        self._registry.register(self._collector)
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        log.info("Health and metrics on port %d", port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _snapshot(self) -> Snapshot:
        backlog = await asyncio.wait_for(self._stats.outbox(), 5)
        payouts = await asyncio.wait_for(self._stats.payouts_by_state(), 5)
        return Snapshot(backlog, payouts, time.time())

    async def healthz(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = {}
        ok = True
        try:
            snap = await self._snapshot()
            body["database"] = "ok"
        except Exception as exc:
            body["database"] = type(exc).__name__
            return web.json_response({"ok": False, **body}, status=503)
        last = self._engine.poller.last_round_at
        body["last_poll_round_age"] = None if last is None else round(time.time() - last, 3)
        if last is None or time.time() - last > 3 * max(self._interval, 1.0):
            ok = False
        body["sender"] = self._engine.sender.is_leader
        body["sender_lag"] = round(snap.oldest_age, 3)
        if self._engine.sender.is_leader and snap.oldest_age > SENDER_LAG_LIMIT:
            ok = False
        return web.json_response({"ok": ok, **body}, status=200 if ok else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        try:
            self._collector.snapshot = await self._snapshot()
        except Exception:
            self._collector.snapshot = None  # the engine's own figures are still served
        body = generate_latest(self._registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
