"""Read-only views of affiliate accounts: balance (one or all), payouts, exchanges, clicks.

Lists are shown one time window at a time (a recent period by default, older windows on
request), never the whole history at once: a large affiliate's full history can be more than
the client accepts in one answer. Exchanges and payouts are listed by when they were made, but
the API filters them by their LAST CHANGE (see the reference): an exchange made in a window
may have changed after it. So they are read from the window's start up to now (`end_time`
unset) and filtered by creation time here; clicks never change and are read for the window
only. Every exchanger read goes through the short `ReadCache`, after the ownership check
(`access.owned`): a cached answer is never served to another chat.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from bot.exchanger import Click, Credentials, Exchange, ExchangerApi, PartnerInfo, Payout
from bot.exchanger.errors import ExchangerError
from bot.i18n import words
from bot.services.access import AccountGone, owned
from bot.services.insights import Expected, expected
from bot.services.payout_watch import TypicalPayTime, typical
from bot.services.read_cache import ReadCache
from bot.storage.accounts import Account, AccountRepo
from bot.storage.payout_watch import PayoutWatchRepo

DAY = 86_400
ALIGN = 60  # the newest window starts on a minute: repeated reads share one cache entry
EARLIEST = 1_262_304_000  # 2010-01-01: no window starts earlier (a forged `until` included)
_T = TypeVar("_T")


class Period(StrEnum):
    TODAY = "today"
    WEEK = "7d"
    MONTH = "30d"

    @classmethod
    def parse(cls, text: str | None, default: Period) -> Period | None:
        """`None` when the text names no period we know (the caller says so)."""
        value = (text or "").strip().lower()
        if not value:
            return default
        return next((p for p in cls if value == p.value or value in words(p.words_key)), None)

    @property
    def words_key(self) -> str:
        """The catalog message listing what users may type for this period."""
        return f"period.words.{self.value}"

    @property
    def seconds(self) -> int:
        return {Period.TODAY: DAY, Period.WEEK: 7 * DAY, Period.MONTH: 30 * DAY}[self]

    def window(self, now: float, until: int = 0) -> Window:
        """The newest window (`until` 0), or the one that ends at `until`."""
        if until > 0:
            until = max(until, EARLIEST + self.seconds)
            return Window(until - self.seconds, until)
        if self is Period.TODAY:
            return Window(int(now) - int(now) % DAY, None)  # since midnight UTC
        return Window(int(now) - int(now) % ALIGN - self.seconds, None)


@dataclass(frozen=True, slots=True)
class Window:
    """[start, end) in unix time; `end` None: up to now."""

    start: int
    end: int | None

    def holds(self, unix: int) -> bool:
        return unix >= self.start and (self.end is None or unix < self.end)


@dataclass(frozen=True, slots=True)
class PayoutsView:
    payouts: list[Payout]
    method_titles: dict[int, str]
    site: str = ""
    typical: TypicalPayTime | None = None  # the site's median time to pay, when watched


@dataclass(frozen=True, slots=True)
class ClickStats:
    today: int
    total: int  # in the window
    latest: list[Click]


@dataclass(frozen=True, slots=True)
class AccountBalance:
    """One line of the overview: the account's info, or why it could not be read."""

    account: Account
    info: PartnerInfo | None
    error: ExchangerError | None = None
    expected: Expected | None = None  # None: the exchanges could not be read

    @property
    def best_method_amount(self) -> Decimal | None:
        amounts = [m.amount for m in self.info.methods] if self.info else []
        return max(amounts) if amounts else None


@dataclass(frozen=True, slots=True)
class Overview:
    balances: list[AccountBalance]

    @property
    def totals(self) -> dict[str, Decimal]:
        """Balance per currency over the accounts that answered (sites count in USD)."""
        total = sum((b.info.balance for b in self.balances if b.info), Decimal(0))
        return {"USD": total} if any(b.info for b in self.balances) else {}


def _optional(answer: Expected | BaseException) -> Expected | None:
    """Expected earnings are a nicety beside the balance: a failed read leaves them out."""
    if isinstance(answer, ExchangerError | AccountGone):
        return None
    if isinstance(answer, BaseException):
        raise answer
    return answer


class ReportService:
    def __init__(
        self,
        api: ExchangerApi,
        repo: AccountRepo,
        cache: ReadCache,
        clock: Callable[[], float] = time.time,
        watch: PayoutWatchRepo | None = None,
    ) -> None:
        self._api = api
        self._repo = repo
        self._cache = cache
        self._clock = clock
        self._watch = watch

    async def _creds(self, account_id: int) -> Credentials:
        creds = await self._repo.credentials(account_id)
        if creds is None:
            raise AccountGone
        return creds

    async def _read(
        self,
        chat_id: int,
        account_id: int,
        method: str,
        params: tuple[int | None, ...],
        call: Callable[[Credentials], Awaitable[_T]],
    ) -> _T:
        await owned(self._repo, chat_id, account_id)

        async def fetch() -> _T:
            return await call(await self._creds(account_id))

        return await self._cache.get(ReadCache.key(account_id, method, *params), fetch)

    async def balance(self, chat_id: int, account_id: int) -> PartnerInfo:
        return await self._read(chat_id, account_id, "get_info", (), self._api.get_info)

    async def expected(self, chat_id: int, account_id: int) -> Expected:
        """Rewards of completed exchanges not accrued yet, over those that changed in the last
        30 days (the window /exchanges 30d reads: they share the cache entry)."""
        start = self._expected_start()
        return expected(await self._exchanges_since(chat_id, account_id, start))

    async def details(self, chat_id: int, account: Account) -> AccountBalance:
        """One account's balance and its expected earnings (None when unreadable)."""
        info, pending = await asyncio.gather(
            self.balance(chat_id, account.id),
            self.expected(chat_id, account.id),
            return_exceptions=True,
        )
        if isinstance(info, BaseException):
            raise info
        return AccountBalance(account, info, expected=_optional(pending))

    def _expected_start(self) -> int:
        return Period.MONTH.window(self._clock()).start

    async def overview(self, chat_id: int, accounts: Sequence[Account]) -> Overview:
        """Every account's balance at once; one failing site does not hide the others. An
        account that is not (or no longer) this chat's is left out."""
        answers = await asyncio.gather(
            *(self.balance(chat_id, a.id) for a in accounts), return_exceptions=True
        )
        waiting = await asyncio.gather(
            *(self.expected(chat_id, a.id) for a in accounts), return_exceptions=True
        )
        balances = []
        for account, answer, pending in zip(accounts, answers, waiting, strict=True):
            if isinstance(answer, PartnerInfo):
                known = _optional(pending)
                balances.append(AccountBalance(account, answer, expected=known))
            elif isinstance(answer, ExchangerError):
                balances.append(AccountBalance(account, None, answer))
            elif not isinstance(answer, AccountGone):
                raise answer
        return Overview(balances)

    async def payouts(self, chat_id: int, account_id: int, window: Window) -> PayoutsView:
        payouts, info = await asyncio.gather(
            self._read(
                chat_id,
                account_id,
                "get_payouts",
                (window.start, None),
                lambda c: self._api.get_payouts(c, start_time=window.start),
            ),
            self.balance(chat_id, account_id),
            return_exceptions=True,
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
        site = (await self._creds(account_id)).site
        typical = await self.typical_pay_time(site)
        return PayoutsView([p for p in payouts if window.holds(p.time)], titles, site, typical)

    async def typical_pay_time(self, site: str) -> TypicalPayTime | None:
        if self._watch is None:
            return None
        return typical(await self._watch.paid_durations(site))

    async def exchanges(self, chat_id: int, account_id: int, window: Window) -> list[Exchange]:
        exchanges = await self._exchanges_since(chat_id, account_id, window.start)
        return [e for e in exchanges if window.holds(e.time)]

    async def _exchanges_since(self, chat_id: int, account_id: int, start: int) -> list[Exchange]:
        """Every exchange that changed since `start` (whenever it was made)."""
        return await self._read(
            chat_id,
            account_id,
            "get_exchanges",
            (start, None),
            lambda c: self._api.get_exchanges(c, start_time=start),
        )

    async def click_list(self, chat_id: int, account_id: int, window: Window) -> list[Click]:
        clicks = await self._read(
            chat_id,
            account_id,
            "get_links",
            (window.start, window.end),
            lambda c: self._api.get_links(c, start_time=window.start, end_time=window.end),
        )
        return [c for c in clicks if window.holds(c.time)]

    async def clicks(
        self, chat_id: int, account_id: int, window: Window, latest: int = 10
    ) -> ClickStats:
        clicks = await self.click_list(chat_id, account_id, window)
        today = Period.TODAY.window(self._clock())
        return ClickStats(
            today=sum(1 for c in clicks if today.holds(c.time)),
            total=len(clicks),
            latest=clicks[:latest],
        )

    def now(self) -> float:
        return self._clock()

    def forget(self, account_id: int) -> None:
        """The account's data changed (a payout was requested): read it fresh next time."""
        self._cache.forget(account_id)
