"""Reports: time windows (what is asked of the site, what is shown), the all-accounts
overview, and the read cache in between. The real client over httpx.MockTransport."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from bot.exchanger import OldApiClient
from bot.exchanger.errors import ExchangerUnavailable, KeyRejected
from bot.exchanger.models import Credentials
from bot.services.access import AccountGone
from bot.services.accounts import AccountService
from bot.services.read_cache import ReadCache
from bot.services.reports import DAY, EARLIEST, Period, ReportService, Window
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo

NOW = 20_834 * DAY + 12 * 3600 + 30  # 12:00:30 UTC
INFO = {
    "balance": "57.35",
    "min_payout": "10",
    "items": [
        {"id": 1, "title": "USDT", "comission": "1.00", "amount": "56.35"},
        {"id": 2, "title": "Payeer", "comission": "0.50", "amount": "56.85"},
    ],
}


def _exchange(item_id: int, made: int) -> dict[str, object]:
    return {"id": item_id, "time": made, "amount_give": "1", "amount_get": "1"}


class Site:
    """Answers like the real API: lists filtered by the last change (`edit`), not by `time`."""

    def __init__(self) -> None:
        self.requests: list[httpx.QueryParams] = []
        self.exchanges: list[tuple[dict[str, object], int]] = []  # (item, last change)
        self.down: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        self.requests.append(params)
        key, method = params["api_key"], params["method"]
        if key in self.down:
            return httpx.Response(503)
        if key == "rejected-key":
            return httpx.Response(200, json={"error": 1, "error_text": "Api disabled"})
        if method == "get_info":
            return httpx.Response(200, content=json.dumps(INFO).encode())
        start, end = int(params.get("start_time", 0)), int(params.get("end_time", 0))
        items = [
            item
            for item, edit in self.exchanges
            if (not start or edit >= start) and (not end or edit <= end)
        ]
        return httpx.Response(200, json={"items": items})


@pytest.fixture
async def site(chats: ChatRepo) -> Site:
    await chats.ensure(1, "private")
    return Site()


def _services(site: Site, repo: AccountRepo) -> tuple[ReportService, AccountService]:
    """Reports and linking over one client and one read cache, as the bot wires them."""
    cache = ReadCache(15, clock=lambda: NOW)
    api = OldApiClient(httpx.AsyncClient(transport=httpx.MockTransport(site)))
    reports = ReportService(api, repo, cache, clock=lambda: NOW)
    return reports, AccountService(api, repo, ["https://a.example"], cache)


def test_periods_and_windows() -> None:
    week = Period.WEEK.window(NOW)
    assert week == Window(NOW - 30 - 7 * DAY, None)  # aligned to the minute: one cache entry
    assert Period.TODAY.window(NOW) == Window(NOW - 12 * 3600 - 30, None)
    assert Period.WEEK.window(NOW, until=week.start) == Window(week.start - 7 * DAY, week.start)
    assert Period.parse(None, Period.WEEK) is Period.WEEK
    assert Period.parse(" Month ", Period.WEEK) is Period.MONTH
    assert Period.parse("all", Period.WEEK) is None  # the whole history is not offered
    assert Window(10, 20).holds(10) and not Window(10, 20).holds(20)
    # A forged `until` never reaches before 2010: no "whole history" request through it.
    assert Period.WEEK.window(NOW, until=5) == Window(EARLIEST, EARLIEST + 7 * DAY)


async def test_exchanges_made_in_a_window_even_if_they_changed_later(
    site: Site, account_repo: AccountRepo
) -> None:
    account = await account_repo.add(1, Credentials("https://a.example", "good-key"), 7)
    reports, _ = _services(site, account_repo)
    week = Period.WEEK.window(NOW)
    older = Period.WEEK.window(NOW, until=week.start)
    site.exchanges = [
        (_exchange(1, NOW - DAY), NOW - DAY),  # made this week
        (_exchange(2, NOW - 10 * DAY), NOW - DAY),  # made last week, accrued this week
        (_exchange(3, NOW - 9 * DAY), NOW - 9 * DAY),  # made and last changed last week
        (_exchange(4, NOW - 30 * DAY), NOW - 30 * DAY),  # before both
    ]
    assert [e.id for e in await reports.exchanges(1, account.id, week)] == [1]
    assert [e.id for e in await reports.exchanges(1, account.id, older)] == [3, 2]
    asked = [(p.get("start_time"), p.get("end_time")) for p in site.requests]
    # Never the whole history: always a start; no end, as a later change may be the last one.
    assert asked == [(str(week.start), None), (str(older.start), None)]


async def test_reads_are_cached_and_a_payout_forgets_them(
    site: Site, account_repo: AccountRepo
) -> None:
    account = await account_repo.add(1, Credentials("https://a.example", "good-key"), 7)
    reports, accounts = _services(site, account_repo)
    week = Period.WEEK.window(NOW)
    await accounts.link(1, 7, "good-key")  # seeds get_info
    await reports.balance(1, account.id)
    await reports.payouts(1, account.id, week)  # titles from the same get_info
    await reports.exchanges(1, account.id, week)
    await reports.exchanges(1, account.id, week)
    assert [p["method"] for p in site.requests] == ["get_info", "get_payouts", "get_exchanges"]
    reports.forget(account.id)
    await reports.balance(1, account.id)
    assert [p["method"] for p in site.requests][-1] == "get_info"


async def test_a_forged_account_id_is_never_read_not_even_from_the_cache(
    site: Site, chats: ChatRepo, account_repo: AccountRepo
) -> None:
    account = await account_repo.add(1, Credentials("https://a.example", "good-key"), 7)
    await chats.ensure(2, "private")
    reports, _ = _services(site, account_repo)
    week = Period.WEEK.window(NOW)
    await reports.balance(1, account.id)
    await reports.exchanges(1, account.id, week)  # both cached now
    asked = len(site.requests)
    for chat, account_id in ((2, account.id), (1, account.id + 100)):
        for read in (
            reports.balance(chat, account_id),
            reports.payouts(chat, account_id, week),
            reports.exchanges(chat, account_id, week),
            reports.clicks(chat, account_id, week),
            reports.click_list(chat, account_id, week),
            reports.expected(chat, account_id),
        ):
            with pytest.raises(AccountGone):
                await read
    assert (await reports.overview(2, [account])).balances == []
    with pytest.raises(AccountGone):
        await reports.details(2, account)
    assert len(site.requests) == asked


async def test_overview_of_every_account_survives_one_failing_site(
    site: Site, account_repo: AccountRepo
) -> None:
    good = await account_repo.add(1, Credentials("https://a.example", "good-key"), 7)
    down = await account_repo.add(1, Credentials("https://a.example", "down-key"), 7)
    rejected = await account_repo.add(1, Credentials("https://a.example", "rejected-key"), 7)
    again = await account_repo.add(1, Credentials("https://b.example", "good-key"), 7)
    site.down.add("down-key")
    reports, _ = _services(site, account_repo)
    overview = await reports.overview(1, [good, down, rejected, again])
    assert [b.account.id for b in overview.balances] == [good.id, down.id, rejected.id, again.id]
    assert isinstance(overview.balances[1].error, ExchangerUnavailable)
    assert isinstance(overview.balances[2].error, KeyRejected)
    assert overview.balances[0].best_method_amount == Decimal("56.85")
    assert overview.totals == {"USD": Decimal("114.70")}  # only the accounts that answered


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        (None, Period.MONTH),
        ("", Period.MONTH),
        ("7d", Period.WEEK),
        (" Today ", Period.TODAY),
        ("сегодня", Period.TODAY),
        ("week", Period.WEEK),
        ("неделя", Period.WEEK),
        ("month", Period.MONTH),
        ("месяц", Period.MONTH),
    ],
)
def test_periods_are_understood_in_every_language(typed: str | None, period: Period) -> None:
    assert Period.parse(typed, Period.MONTH) is period


@pytest.mark.parametrize("typed", ["yesterday", "all", "всё"])
def test_an_unknown_period_is_none(typed: str) -> None:
    assert Period.parse(typed, Period.WEEK) is None
