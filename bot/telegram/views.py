"""Presenters: exchanger data → (HTML text, keyboard). Pure functions over the translator."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup

from bot.exchanger import Exchange, PartnerInfo, Payout, PayoutStatus
from bot.exchanger.errors import ExchangerError, KeyRejected
from bot.i18n import Html, Translator
from bot.services.insights import Expected
from bot.services.reports import (
    ALIGN,
    EARLIEST,
    AccountBalance,
    ClickStats,
    Overview,
    PayoutsView,
    Period,
    Window,
)
from bot.storage.accounts import Account
from bot.telegram import keyboards
from bot.telegram.callbacks import ALL_ACCOUNTS, View
from bot.telegram.keyboards import TimePages, account_label, pager
from bot.telegram.render import clamp_page, mask_wallet, money, paginate, short, when

Rendered = tuple[str, InlineKeyboardMarkup | None]

_PAYOUT_STATUS_KEYS = {
    PayoutStatus.PENDING: "payout.status.pending",
    PayoutStatus.PAID: "payout.status.paid",
    PayoutStatus.CANCELED: "payout.status.canceled",
    PayoutStatus.CANCELED_BY_USER: "payout.status.canceled_by_user",
}


def header(t: Translator, account: Account | None) -> str:
    if account is None:
        return t("view.all_header")
    return t("view.account_header", account=account_label(account))


@dataclass(frozen=True, slots=True)
class Listing:
    """What a paged list shows: whose (None: every account), which period and time window."""

    account: Account | None
    period: Period
    window: Window
    now: float

    @property
    def account_id(self) -> int:
        return self.account.id if self.account else ALL_ACCOUNTS

    def time_pages(self) -> TimePages:
        until = self.window.end or 0
        newer = None
        if until:
            following = until + self.period.seconds
            newer = 0 if following >= self.now - ALIGN else following  # 0: up to now
        older = self.window.start if self.window.start > EARLIEST else None
        return TimePages(until=until, older=older, newer=newer)

    def title_period(self, t: Translator) -> Html:
        if self.window.end is None:
            return t(f"period.{self.period.value}")
        return t("period.range", start=when(self.window.start), end=when(self.window.end))


def expected_line(t: Translator, pending: Expected | None) -> str | None:
    """'expected +X USD from N completed exchanges'; None when nothing is waiting."""
    if pending is None or not pending.count:
        return None
    return t("balance.expected", amount=money(pending.amount), count=pending.count)


def balance(
    t: Translator, account: Account, info: PartnerInfo, pending: Expected | None = None
) -> str:
    lines = [
        header(t, account),
        t("balance.amounts", balance=money(info.balance), min_payout=money(info.min_payout)),
    ]
    waiting = expected_line(t, pending)
    if waiting:
        lines.append(waiting)
    if info.methods:
        lines.append(t("balance.methods_title"))
        lines += [
            t(
                "balance.method",
                title=short(m.title, 60),
                commission=money(m.commission),
                amount=money(m.amount),
            )
            for m in info.methods[:30]
        ]
    else:
        lines.append(t("balance.no_methods"))
    if info.can_request_payout:
        lines.append(t("balance.payout_possible"))
    else:
        lines.append(t("balance.payout_missing", missing=money(info.missing_for_payout)))
    return "\n".join(lines)


def payout_status(t: Translator, status: PayoutStatus) -> str:
    return t(_PAYOUT_STATUS_KEYS[status])


def _payout_block(t: Translator, payout: Payout, titles: dict[int, str]) -> str:
    return t(
        "payouts.item",
        id=payout.id,
        date=when(payout.time),
        amount=money(payout.pay_amount),
        currency=short(payout.pay_currency_code, 20),
        method=short(titles.get(payout.method_id, f"#{payout.method_id}"), 60),
        account=mask_wallet(payout.account),
        status=Html(payout_status(t, payout.status)),
    )


def _exchange_block(t: Translator, exchange: Exchange) -> str:
    return t(
        "exchanges.item",
        id=exchange.id,
        date=when(exchange.time),
        give=money(exchange.amount_give),
        give_cur=short(exchange.currency_code_give, 20),
        get=money(exchange.amount_get),
        get_cur=short(exchange.currency_code_get, 20),
        completed=Html(
            t("exchanges.completed" if exchange.completed else "exchanges.not_completed")
        ),
        accrued=Html(t("exchanges.accrued" if exchange.accrued else "exchanges.not_accrued")),
        reward=money(exchange.partner_reward),
    )


def _paged(
    t: Translator, listing: Listing, view: View, title: str, blocks: list[str], page: int
) -> Rendered:
    pages = paginate(blocks)
    page = clamp_page(page, len(pages))
    body = "\n\n".join(pages[page]) if blocks else t("view.empty_window")
    text = f"{header(t, listing.account)}\n{title}\n\n{body}"
    markup = pager(
        view, listing.account_id, page, len(pages), listing.period.value, listing.time_pages()
    )
    return text, markup


def _owned(t: Translator, owner: Account | None, block: str) -> str:
    """In a list of every account, each item says whose it is."""
    return block if owner is None else f"{header(t, owner)}\n{block}"


def payouts(
    t: Translator, listing: Listing, data: list[tuple[Account | None, PayoutsView]], page: int
) -> Rendered:
    items = [(p, owner, view.method_titles) for owner, view in data for p in view.payouts]
    items.sort(key=lambda item: (item[0].time, item[0].id), reverse=True)
    blocks = [_owned(t, owner, _payout_block(t, p, titles)) for p, owner, titles in items]
    title: str = t("payouts.title_period", period=listing.title_period(t))
    typical = {view.site: view.typical for _, view in data if view.typical}
    for site, pay_time in sorted(typical.items()):
        hours = max(1, round(pay_time.seconds / 3600))
        title += "\n" + t(
            "payouts.typical",
            site=short(site.split("://", 1)[-1], 60),
            hours=hours,
            count=pay_time.watched,
        )
    return _paged(t, listing, View.PAYOUTS, title, blocks, page)


def exchanges(
    t: Translator, listing: Listing, data: list[tuple[Account | None, list[Exchange]]], page: int
) -> Rendered:
    items = [(e, owner) for owner, exchanges in data for e in exchanges]
    items.sort(key=lambda item: (item[0].time, item[0].id), reverse=True)
    blocks = [_owned(t, owner, _exchange_block(t, e)) for e, owner in items]
    title = t("exchanges.title", period=listing.title_period(t))
    return _paged(t, listing, View.EXCHANGES, title, blocks, page)


def clicks(t: Translator, listing: Listing, stats: ClickStats) -> Rendered:
    lines = [
        header(t, listing.account),
        t("clicks.counts_window", period=listing.title_period(t), total=stats.total),
    ]
    if listing.window.end is None and listing.period is not Period.TODAY:
        lines.append(t("clicks.today", today=stats.today))
    if stats.latest:
        lines.append(t("clicks.latest_title"))
        for click in stats.latest:
            referrer = short(click.referrer, 80) if click.referrer else None
            lines.append(
                t(
                    "clicks.item",
                    date=when(click.time),
                    referrer=referrer or Html(t("clicks.direct")),
                )
            )
    markup = pager(
        View.CLICKS, listing.account_id, 0, 1, listing.period.value, listing.time_pages()
    )
    return "\n".join(lines), markup


def overview(t: Translator, data: Overview, page: int) -> Rendered:
    """/balance with several accounts: each one's balance, minimum and best payout, totals."""
    blocks = [
        f"{number}. {_overview_block(t, item.account, item)}"
        for number, item in enumerate(data.balances, start=1)
    ]
    pages = paginate(blocks)
    page = clamp_page(page, len(pages))
    totals = ", ".join(f"{money(v)} {c}" for c, v in data.totals.items()) or "—"
    text = "\n\n".join(
        [
            t("overview.title", count=len(data.balances)),
            *pages[page],
            t("overview.total", totals=totals),
        ]
    )
    first = sum(len(p) for p in pages[:page])
    shown = data.balances[first:][: len(pages[page])]
    page_pager = pager(View.BALANCE, ALL_ACCOUNTS, page, len(pages))
    markup = keyboards.overview(shown, first + 1, page_pager)
    return text, markup


def _overview_block(t: Translator, account: Account, item: AccountBalance) -> str:
    if item.info is None:
        return f"{header(t, account)}\n{_unreadable(t, item.error)}"
    info = item.info
    best = item.best_method_amount
    line: str = t(
        "overview.line",
        balance=money(info.balance),
        min_payout=money(info.min_payout),
        best=money(best) if best is not None else "—",
    )
    mark = (
        t("overview.can_pay")
        if info.can_request_payout
        else t("overview.missing", missing=money(info.missing_for_payout))
    )
    waiting = expected_line(t, item.expected)
    if waiting:
        line = f"{line}\n{waiting}"
    return f"{header(t, account)}\n{line}\n{mark}"


def _unreadable(t: Translator, error: ExchangerError | None) -> str:
    return t("overview.key_rejected" if isinstance(error, KeyRejected) else "overview.unavailable")
