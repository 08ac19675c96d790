"""Outbox payload → the Telegram message (HTML text and buttons), in the chat's language.

Rendered at send time, so a message follows the chat's current language. Values from the
exchanger are shortened here and HTML-escaped by the translator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import KEY_REJECTED, KEY_WORKS, NotificationKind
from bot.exchanger.models import PayoutStatus
from bot.i18n import Html, Translator
from bot.telegram.callbacks import PayoutStart
from bot.telegram.render import money, short

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


_RENDERERS: dict[str, Callable[[int | None, Mapping[str, Any], Translator], Rendered]] = {
    NotificationKind.ACCRUED.value: _accrued,
    NotificationKind.NEW_EXCHANGE.value: _new_exchange,
    NotificationKind.PAYOUT_STATUS.value: _payout_status,
    NotificationKind.PAYOUT_AVAILABLE.value: _payout_available,
    KEY_REJECTED: _key_rejected,
    KEY_WORKS: _key_works,
}
