"""The operator's view behind /admin: chats, accounts, per-site poll health, outbox backlog,
payout requests being sent or checked (with their age).

Everything is read from the database (storage/stats.py), so this does not depend on the
notification engine's in-memory objects. Poll health per site comes from the columns the
poller keeps on each account:

- last success: the newest `accounts.last_success_at` of the site;
- error rate: the share of its active (not paused) accounts whose latest poll failed
  (`failures > 0`): the recent error rate the database can tell;
- state: ok (none failing), degraded (some), down (all), idle (no active account);
- circuit: the circuit breaker's state if the engine provides one (`CircuitSource`), else None;
- last error: the error of its most-failing account, redacted and cut short.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from bot.logging_setup import Redactor
from bot.storage.db import Database
from bot.storage.payouts import InFlight, in_flight_requests
from bot.storage.stats import SiteRow, StatsRepo

MAX_ERROR_CHARS = 120


class CircuitSource(Protocol):
    """What the notification engine may provide: its circuit state for a site."""

    def circuit_state(self, site: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class SiteReport:
    site: str
    accounts: int = 0
    paused: int = 0
    failing: int = 0
    last_success_at: int | None = None
    last_error: str | None = None
    circuit: str | None = None

    @property
    def active(self) -> int:
        return self.accounts - self.paused

    @property
    def error_rate(self) -> float | None:
        return self.failing / self.active if self.active else None

    @property
    def state(self) -> str:
        if not self.active:
            return "idle"
        if not self.failing:
            return "ok"
        return "down" if self.failing == self.active else "degraded"


@dataclass(frozen=True, slots=True)
class OutboxBacklog:
    pending: int
    dropped: int
    oldest_pending_age: float | None  # seconds


@dataclass(frozen=True, slots=True)
class AdminReport:
    chats: int
    active_chats: int
    accounts: int
    paused_accounts: int
    sites: list[SiteReport]
    outbox: OutboxBacklog
    payouts_in_flight: list[InFlight] = field(default_factory=list)  # oldest first

    @property
    def inactive_chats(self) -> int:
        return self.chats - self.active_chats


class AdminService:
    def __init__(
        self,
        db: Database,
        sites: list[str],
        circuits: CircuitSource | None = None,
    ) -> None:
        self._db = db
        self._stats = StatsRepo(db)
        self._sites = list(sites)
        self.circuits = circuits  # the engine can be wired later
        self._redact = Redactor()

    async def report(self, now: float | None = None) -> AdminReport:
        now = time.time() if now is None else now
        totals = await self._stats.totals()
        return AdminReport(
            chats=totals.chats,
            active_chats=totals.active_chats,
            accounts=totals.accounts,
            paused_accounts=totals.paused_accounts,
            sites=await self._site_health(),
            outbox=await self._outbox(now),
            payouts_in_flight=await in_flight_requests(self._db),
        )

    async def _site_health(self) -> list[SiteReport]:
        rows = {row.site: row for row in await self._stats.sites()}
        ordered = self._sites + sorted(set(rows) - set(self._sites))  # configured ones first
        return [self._health(site, rows.get(site)) for site in ordered]

    def _health(self, site: str, row: SiteRow | None) -> SiteReport:
        circuit = self.circuits.circuit_state(site) if self.circuits else None
        if row is None:
            return SiteReport(site, circuit=circuit)
        error = row.last_error
        return SiteReport(
            site=site,
            accounts=row.accounts,
            paused=row.paused,
            failing=row.failing,
            last_success_at=row.last_success_at,
            last_error=self._redact(str(error))[:MAX_ERROR_CHARS] if error else None,
            circuit=circuit,
        )

    async def _outbox(self, now: float) -> OutboxBacklog:
        backlog = await self._stats.outbox()
        oldest = backlog.oldest_pending_at
        return OutboxBacklog(
            pending=backlog.pending,
            dropped=backlog.dropped,
            oldest_pending_age=max(now - oldest, 0.0) if oldest is not None else None,
        )
