"""Read-only views of an affiliate account: balance, payouts, exchanges, clicks."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from enum import StrEnum

from bot.exchanger import Click, Credentials, Exchange, ExchangerApi, PartnerInfo, Payout
from bot.exchanger.errors import ExchangerError
from bot.storage.accounts import AccountRepo

DAY = 86_400


class Period(StrEnum):
    ALL = "all"
    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"

    @classmethod
    def parse(cls, text: str | None) -> Period | None:
        """`None` when the text names no period we know (the caller says so)."""
        value = (text or "all").strip().lower()
        aliases = {"сегодня": "today", "week": "7d", "month": "30d", "все": "all", "всё": "all"}
        try:
            return cls(aliases.get(value, value))
        except ValueError:
            return None

    def start_time(self, now: float) -> int | None:
        if self is Period.ALL:
            return None
        if self is Period.TODAY:
            return int(now) - int(now) % DAY  # midnight UTC
        return int(now) - (7 if self is Period.WEEK else 30) * DAY


@dataclass(frozen=True, slots=True)
class PayoutsView:
    payouts: list[Payout]
    method_titles: dict[int, str]


@dataclass(frozen=True, slots=True)
class ClickStats:
    today: int
    week: int
    month: int
    latest: list[Click]


class AccountGone(Exception):
    """The account was unlinked meanwhile (e.g. a stale button)."""


class ReportService:
    def __init__(self, api: ExchangerApi, repo: AccountRepo) -> None:
        self._api = api
        self._repo = repo

    async def _creds(self, account_id: int) -> Credentials:
        creds = await self._repo.credentials(account_id)
        if creds is None:
            raise AccountGone
        return creds

    async def balance(self, account_id: int) -> PartnerInfo:
        return await self._api.get_info(await self._creds(account_id))

    async def payouts(self, account_id: int) -> PayoutsView:
        creds = await self._creds(account_id)
        payouts, info = await asyncio.gather(
            self._api.get_payouts(creds), self._api.get_info(creds), return_exceptions=True
        )
        if isinstance(payouts, BaseException):
            raise payouts
        # Method titles are a nicety: the list is still worth showing without them.
        if isinstance(info, ExchangerError):
            titles: dict[int, str] = {}
        elif isinstance(info, BaseException):
            raise info
        else:
            titles = {method.id: method.title for method in info.methods}
        return PayoutsView(payouts=payouts, method_titles=titles)

    async def exchanges(self, account_id: int, period: Period) -> list[Exchange]:
        start = period.start_time(time.time())
        exchanges = await self._api.get_exchanges(await self._creds(account_id), start_time=start)
        # The API filters by last change; the user asked about exchanges made in the period.
        return [e for e in exchanges if start is None or e.time >= start]

    async def clicks(self, account_id: int, latest: int = 10) -> ClickStats:
        now = time.time()
        month_start = int(now) - 30 * DAY
        clicks = await self._api.get_links(await self._creds(account_id), start_time=month_start)
        today_start = Period.TODAY.start_time(now) or 0
        week_start = int(now) - 7 * DAY
        return ClickStats(
            today=sum(1 for c in clicks if c.time >= today_start),
            week=sum(1 for c in clicks if c.time >= week_start),
            month=sum(1 for c in clicks if c.time >= month_start),
            latest=clicks[:latest],
        )
