"""Outbox payload → the Telegram message (HTML text and buttons), in the chat's language.

Rendered at send time, so a message follows the chat's current language. Values from the
exchanger are shortened here and HTML-escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import (
    ANOMALY,
    BURST_SUMMARY,
    DIGEST,
    KEY_REJECTED,
    KEY_WORKS,
    PAYOUT_OVERDUE,
    NotificationKind,
)
from bot.exchanger.models import PayoutStatus
from bot.i18n import Html, Translator
from bot.telegram.callbacks import PayoutStart
from bot.telegram.render import money, short, when

Rendered = tuple[str, InlineKeyboardMarkup | None]
_STATUS_KEYS = {
    PayoutStatus.PENDING: "payout.status.pending",
    PayoutStatus.PAID: "payout.status.paid",
    PayoutStatus.CANCELED: "payout.status.canceled",
    PayoutStatus.CANCELED_BY_USER: "payout.status.canceled_by_user",
}


def render(
    kind: str, account_id: int | None, payload: Mapping[str, Any], t: Translator
) -> Rendered:
    """Raises KeyError/ValueError for a payload this version cannot show (the row is dropped)."""
    return _RENDERERS[kind](account_id, payload, t)


def _amount(value: object) -> str:
    try:
        return money(Decimal(str(value)))
    except InvalidOperation:
        return short(str(value), 30)


def _exchange(key: str, payload: Mapping[str, Any], t: Translator) -> str:
    return t(
        key,
        account=short(str(payload["account"]), 80),
        exchange_id=int(payload["exchange_id"]),
        give=_amount(payload["give"]),
        give_cur=short(str(payload["give_cur"]), 20),
        get=_amount(payload["get"]),
        get_cur=short(str(payload["get_cur"]), 20),
        reward=_amount(payload.get("reward", "0")),
    )


def _accrued(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    return _exchange("notify.accrued", payload, t), None


def _new_exchange(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    return _exchange("notify.new_exchange", payload, t), None


def _payout_status(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    status = PayoutStatus(int(payload["status"]))
    text = t(
        "notify.payout_status",
        account=short(str(payload["account"]), 80),
        payout_id=int(payload["payout_id"]),
        amount=_amount(payload["amount"]),
        currency=short(str(payload["currency"]), 20),
        method=short(str(payload["method"]), 60),
        status=Html(t(_STATUS_KEYS[status])),
    )
    return text, None


def _payout_available(
    account_id: int | None, payload: Mapping[str, Any], t: Translator
) -> Rendered:
    text = t(
        "notify.payout_available",
        account=short(str(payload["account"]), 80),
        balance=_amount(payload["balance"]),
        min_payout=_amount(payload["min_payout"]),
    )
    if account_id is None:
        return text, None
    button = InlineKeyboardButton(
        text=t("notify.payout_button"), callback_data=PayoutStart(account_id=account_id).pack()
    )
    return text, InlineKeyboardMarkup(inline_keyboard=[[button]])


def _key_rejected(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    return t("notify.key_rejected", account=short(str(payload["account"]), 80)), None


def _key_works(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    return t("notify.key_works", account=short(str(payload["account"]), 80)), None


def _payout_overdue(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    text = t(
        "notify.payout_overdue",
        account=short(str(payload["account"]), 80),
        payout_id=int(payload["payout_id"]),
        date=when(int(payload["time"])),
    )
    return text, None


MAX_SUMMARY_LINES = 25


def _anomaly(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    account = short(str(payload["account"]), 80)
    if payload["kind"] == "source_silent":
        source = short(str(payload["source"]), 60)
        return t("notify.anomaly_source", account=account, source=source), None
    expected = f"{float(payload['expected']):g}"
    text = t(
        "notify.anomaly_no_exchanges",
        account=account,
        clicks=int(payload["clicks"]),
        expected=expected,
    )
    return text, None


def _digest(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    lines = [
        t("notify.digest_title_weekly" if payload["every"] == "weekly" else "notify.digest_title"),
        t(
            "notify.digest_counts",
            clicks=int(payload["clicks"]),
            exchanges=int(payload["exchanges"]),
            completed=int(payload["completed"]),
        ),
        t(
            "notify.digest_accrued",
            count=int(payload["accrued_count"]),
            amount=_amount(payload["accrued"]),
        ),
    ]
    if payload.get("balance") is not None:
        change = payload.get("change")
        sign = "" if change is None or str(change).startswith("-") else "+"
        lines.append(
            t(
                "notify.digest_balance",
                balance=_amount(payload["balance"]),
                change=f" ({sign}{_amount(change)})" if change is not None else "",
            )
        )
    if payload.get("best"):
        lines.append(
            t(
                "notify.digest_best",
                source=short(str(payload["best"]), 60),
                earnings=_amount(payload["best_earnings"]),
            )
        )
    if int(payload.get("unread", 0)):
        lines.append(t("notify.digest_unread", count=int(payload["unread"])))
    return "\n".join(lines), None


def _summary_line(item: Mapping[str, Any], t: Translator) -> str:
    account = short(str(item.get("account", "")), 60)
    kind = item["kind"]
    if kind == NotificationKind.PAYOUT_STATUS.value:
        status = Html(t(_STATUS_KEYS[PayoutStatus(int(item["status"]))]))
        return t(
            "notify.burst_payout", payout_id=int(item["payout_id"]), status=status, account=account
        )
    if kind == PAYOUT_OVERDUE:
        return t("notify.burst_overdue", payout_id=int(item["payout_id"]), account=account)
    key = "notify.burst_accrued" if kind == NotificationKind.ACCRUED.value else "notify.burst_new"
    return t(
        key,
        exchange_id=int(item["exchange_id"]),
        reward=_amount(item.get("reward", "0")),
        account=account,
    )


def _burst_summary(account_id: int | None, payload: Mapping[str, Any], t: Translator) -> Rendered:
    """Many notifications of one chat at once: one line each (the first 25), accrued total."""
    items = list(payload["items"])
    accrued = [i for i in items if i["kind"] == NotificationKind.ACCRUED.value]
    total = sum((Decimal(str(i.get("reward", "0"))) for i in accrued), Decimal(0))
    lines: list[str] = [t("notify.burst_title", count=len(items))]
    if accrued:
        lines.append(t("notify.burst_accrued_total", count=len(accrued), total=money(total)))
    lines += [_summary_line(item, t) for item in items[:MAX_SUMMARY_LINES]]
    if len(items) > MAX_SUMMARY_LINES:
        lines.append(t("notify.burst_more", count=len(items) - MAX_SUMMARY_LINES))
    return "\n".join(lines), None


_RENDERERS: dict[str, Callable[[int | None, Mapping[str, Any], Translator], Rendered]] = {
    NotificationKind.ACCRUED.value: _accrued,
    NotificationKind.NEW_EXCHANGE.value: _new_exchange,
    NotificationKind.PAYOUT_STATUS.value: _payout_status,
    NotificationKind.PAYOUT_AVAILABLE.value: _payout_available,
    KEY_REJECTED: _key_rejected,
    KEY_WORKS: _key_works,
    PAYOUT_OVERDUE: _payout_overdue,
    BURST_SUMMARY: _burst_summary,
    DIGEST: _digest,
    ANOMALY: _anomaly,
}
