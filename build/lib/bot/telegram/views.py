"""Presenters: exchanger data → (HTML text, keyboard). Pure functions over the translator."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.exchanger import Exchange, PartnerInfo, Payout, PayoutStatus
from bot.i18n import Html, Translator
from bot.services.reports import ClickStats, PayoutsView
from bot.storage.accounts import Account
from bot.telegram.callbacks import View
from bot.telegram.keyboards import account_label, pager
from bot.telegram.render import clamp_page, mask_wallet, money, paginate, short, when

Rendered = tuple[str, InlineKeyboardMarkup | None]

_PAYOUT_STATUS_KEYS = {
    PayoutStatus.PENDING: "payout.status.pending",
    PayoutStatus.PAID: "payout.status.paid",
    PayoutStatus.CANCELED: "payout.status.canceled",
    PayoutStatus.CANCELED_BY_USER: "payout.status.canceled_by_user",
}


def header(t: Translator, account: Account) -> str:
    return t("view.account_header", account=account_label(account))


def balance(t: Translator, account: Account, info: PartnerInfo) -> str:
    lines = [
        header(t, account),
        t("balance.amounts", balance=money(info.balance), min_payout=money(info.min_payout)),
    ]
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
    t: Translator,
    account: Account,
    view: View,
    title: str,
    blocks: list[str],
    page: int,
    period: str = "all",
) -> Rendered:
    pages = paginate(blocks)
    page = clamp_page(page, len(pages))
    body = "\n\n".join(pages[page]) if blocks else t("view.empty")
    text = f"{header(t, account)}\n{title}\n\n{body}"
    return text, pager(view, account.id, page, len(pages), period)


def payouts(t: Translator, account: Account, data: PayoutsView, page: int) -> Rendered:
    blocks = [_payout_block(t, p, data.method_titles) for p in data.payouts]
    return _paged(t, account, View.PAYOUTS, t("payouts.title"), blocks, page)


def exchanges(
    t: Translator, account: Account, items: list[Exchange], page: int, period: str
) -> Rendered:
    blocks = [_exchange_block(t, e) for e in items]
    title = t("exchanges.title", period=Html(t(f"period.{period}")))
    return _paged(t, account, View.EXCHANGES, title, blocks, page, period)


def clicks(t: Translator, account: Account, stats: ClickStats) -> str:
    lines = [
        header(t, account),
        t("clicks.counts", today=stats.today, week=stats.week, month=stats.month),
    ]
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
    return "\n".join(lines)
