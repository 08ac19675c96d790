"""Reads behind /sources, /stats and /export: each account's clicks and exchanges of a time
window through `ReportService` (the read cache, the windows, the client's window splitting),
turned into tables by the pure functions of `insights` and `charts`.

Every linked account of the chat is read at once; one failing site does not hide the others:
it is named in `failed`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.exchanger import Click, Exchange, Payout
from bot.exchanger.errors import ExchangerError
from bot.services import charts, insights
from bot.services.access import AccountGone
from bot.services.reports import ReportService, Window
from bot.storage.accounts import Account


@dataclass(frozen=True, slots=True)
class AccountData:
    account: Account
    clicks: list[Click] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PeriodData:
    accounts: list[AccountData]
    failed: list[Account]

    @property
    def clicks(self) -> list[Click]:
        return [c for a in self.accounts for c in a.clicks]

    @property
    def exchanges(self) -> list[Exchange]:
        return [e for a in self.accounts for e in a.exchanges]


@dataclass(frozen=True, slots=True)
class SourcesReport:
    table: insights.SourceTable
    failed: list[Account]


@dataclass(frozen=True, slots=True)
class StatsReport:
    period: charts.StatsPeriod
    current: charts.DailySeries
    previous: charts.DailySeries
    failed: list[Account]


class AnalyticsService:
    def __init__(self, reports: ReportService) -> None:
        self._reports = reports

    def now(self) -> float:
        return self._reports.now()

    async def period(
        self, accounts: Sequence[Account], window: Window, *, payouts: bool = False
    ) -> PeriodData:
        """Clicks and exchanges (and payouts when asked) made in the window, per account."""
        answers = await asyncio.gather(
            *(self._account(a, window, payouts) for a in accounts), return_exceptions=True
        )
        read, failed = [], []
        for account, answer in zip(accounts, answers, strict=True):
            if isinstance(answer, AccountData):
                read.append(answer)
            elif isinstance(answer, ExchangerError):
                failed.append(account)
            elif not isinstance(answer, AccountGone):
                raise answer
        return PeriodData(read, failed)

    async def _account(self, account: Account, window: Window, payouts: bool) -> AccountData:
        clicks, exchanges = await asyncio.gather(
            self._reports.click_list(account.chat_id, account.id, window),
            self._reports.exchanges(account.chat_id, account.id, window),
        )
        paid: list[Payout] = []
        if payouts:
            paid = (await self._reports.payouts(account.chat_id, account.id, window)).payouts
        return AccountData(account, clicks, exchanges, paid)

    async def sources(
        self, accounts: Sequence[Account], window: Window, params: Sequence[str]
    ) -> SourcesReport:
        data = await self.period(accounts, window)
        rows = insights.merge(
            insights.attribute(a.clicks, a.exchanges, params) for a in data.accounts
        )
        return SourcesReport(insights.rank(rows), data.failed)

    async def stats(
        self, accounts: Sequence[Account], period: charts.StatsPeriod, timezone: str | None
    ) -> StatsReport:
        """The period's daily series and the one before it (for the change), one read."""
        tz = charts.zone(timezone)
        starts = charts.day_starts(self.now(), tz, 2 * period.days)
        data = await self.period(accounts, Window(int(starts[0].timestamp()), None))
        days = [start.date() for start in starts]
        clicks, exchanges = data.clicks, data.exchanges
        previous = charts.series(clicks, exchanges, days[: period.days], tz)
        current = charts.series(clicks, exchanges, days[period.days :], tz)
        return StatsReport(period, current, previous, data.failed)
