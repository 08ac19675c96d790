"""Records of one fake affiliate: payout methods, clicks, exchanges, payouts and the partner.

Pure Python. Money is `Decimal`; USD amounts (balance, rewards, payouts) are kept at two
decimals, crypto amounts and exchange rates keep their own precision. `wire()` returns the
item exactly as the API lists it (the reference document's field names) in PHP's form: every
value a string ("12.50", "1718000000"); `render.py` can turn the numeric ones into numbers.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DATE_FORMAT = "%d.%m.%Y %H:%M"

PENDING, PAID, CANCELED, CANCELED_BY_USER = 0, 1, 2, 3
PAYOUT_STATUSES = (PENDING, PAID, CANCELED, CANCELED_BY_USER)
# Premium Exchanger's names of the exchange statuses kept by its status-log module.
STATUS_NEW, STATUS_PAYED, STATUS_REALPAY, STATUS_SUCCESS = "new", "payed", "realpay", "success"


def decimal(value: object) -> Decimal:
    """A finite Decimal from a str/int/Decimal (floats go through `str`). Raises ValueError."""
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def money(value: object) -> Decimal:
    """A USD amount rounded to cents, e.g. `money("12.5") == Decimal("12.50")`."""
    return decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def text(value: Decimal) -> str:
    """A Decimal as PHP prints it from the database: plain digits, never an exponent."""
    return format(value, "f")


def php_date(unix: int) -> str:
    return _time.strftime(DATE_FORMAT, _time.gmtime(unix))


def in_window(moment: int, start: int, end: int) -> bool:
    """The PHP filter: a bound of 0 (absent or not a number) does not filter."""
    return (not start or moment >= start) and (not end or moment <= end)


@dataclass(slots=True)
class PayoutMethod:
    id: int
    title: str
    comission: Decimal  # the site's spelling; a fixed amount deducted from the payout
    currency_code: str = "USD"

    def amount(self, balance: Decimal) -> Decimal:
        """What the affiliate receives when requesting `balance` (never negative)."""
        return max(ZERO, balance - self.comission)

    def wire(self, balance: Decimal) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "comission": text(self.comission),
            "amount": text(self.amount(balance)),
        }


@dataclass(slots=True)
class Click:
    id: int
    time: int
    browser: str = ""
    ip: str = ""
    referrer: str = ""
    user_hash: str = ""
    query_string: str = ""

    def wire(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "time": str(self.time),
            "date": php_date(self.time),
            "browser": self.browser,
            "ip": self.ip,
            "referrer": self.referrer,
            "user_hash": self.user_hash,
            "query_string": self.query_string,
        }


@dataclass(slots=True)
class Exchange:
    id: int
    time: int
    edit_date: int
    currency_code_give: str = "BTC"
    currency_code_get: str = "USDTTRC20"
    course_give: Decimal = Decimal(1)
    course_get: Decimal = Decimal(1)
    amount_give: Decimal = Decimal(0)
    amount_get: Decimal = Decimal(0)
    exchange_success: int = 0
    accrued: int = 0
    partner_reward: Decimal = ZERO
    user_hash: str = ""
    statuses: list[str] = field(default_factory=list)

    def wire(self, with_statuses: bool) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": str(self.id),
            "time": str(self.time),
            "date": php_date(self.time),
            "currency_code_give": self.currency_code_give,
            "currency_code_get": self.currency_code_get,
            "course_give": text(self.course_give),
            "course_get": text(self.course_get),
            "amount_give": text(self.amount_give),
            "amount_get": text(self.amount_get),
            "exchange_success": str(self.exchange_success),
            "accrued": str(self.accrued),
            "partner_reward": text(self.partner_reward),
            "user_hash": self.user_hash,
        }
        if with_statuses:
            item["statuses"] = list(self.statuses)
        return item


@dataclass(slots=True)
class Payout:
    id: int
    time: int
    edit_date: int
    method_id: int
    account: str
    pay_amount: Decimal
    pay_currency_code: str = "USD"
    original_amount: Decimal = ZERO
    original_currency_code: str = "USD"
    status: int = PENDING

    def wire(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "time": str(self.time),
            "date": php_date(self.time),
            "method_id": str(self.method_id),
            "account": self.account,
            "pay_amount": text(self.pay_amount),
            "pay_currency_code": self.pay_currency_code,
            "original_amount": text(self.original_amount),
            "original_currency_code": self.original_currency_code,
            "status": str(self.status),
        }


@dataclass(slots=True)
class Partner:
    id: int
    api_key: str
    balance: Decimal = ZERO
    min_payout: Decimal = Decimal("10.00")
    methods: list[PayoutMethod] = field(default_factory=list)
    api_enabled: bool = True
    clicks: list[Click] = field(default_factory=list)
    exchanges: dict[int, Exchange] = field(default_factory=dict)
    payouts: dict[int, Payout] = field(default_factory=dict)

    def method(self, method_id: int) -> PayoutMethod | None:
        return next((m for m in self.methods if m.id == method_id), None)

    def info(self) -> dict[str, Any]:
        return {
            "balance": text(self.balance),
            "min_payout": text(self.min_payout),
            "items": [m.wire(self.balance) for m in self.methods],
        }

    def links(self, start: int, end: int, ip: str) -> list[dict[str, Any]]:
        found = [c for c in self.clicks if in_window(c.time, start, end) and (not ip or c.ip == ip)]
        found.sort(key=lambda c: (c.time, c.id), reverse=True)
        return [c.wire() for c in found]

    def exchange_items(self, start: int, end: int, statuses: bool) -> list[dict[str, Any]]:
        """Filtered and sorted on the LAST CHANGE (`edit_date`), newest change first."""
        found = [e for e in self.exchanges.values() if in_window(e.edit_date, start, end)]
        found.sort(key=lambda e: (e.edit_date, e.id), reverse=True)
        return [e.wire(statuses) for e in found]

    def payout_items(self, start: int, end: int) -> list[dict[str, Any]]:
        found = [p for p in self.payouts.values() if in_window(p.edit_date, start, end)]
        found.sort(key=lambda p: (p.edit_date, p.id), reverse=True)
        return [p.wire() for p in found]

    def update_exchange(self, exchange: Exchange, changes: dict[str, object], now: int) -> None:
        """A status change: bumps `edit_date`; accruing 0 → 1 credits the reward (≥ 0.01)."""
        if "partner_reward" in changes:
            exchange.partner_reward = money(changes["partner_reward"])
        if "exchange_success" in changes:
            success = int(str(changes["exchange_success"]))
            if success and not exchange.exchange_success:
                exchange.statuses.append(STATUS_SUCCESS)
            exchange.exchange_success = success
        if "accrued" in changes:
            accrued = int(str(changes["accrued"]))
            if accrued and not exchange.accrued and exchange.partner_reward >= CENT:
                self.balance += exchange.partner_reward
            exchange.accrued = accrued
        exchange.edit_date = now

    def update_payout(self, payout: Payout, status: int, now: int) -> None:
        """Canceling a pending request gives the requested amount back to the balance."""
        if status not in PAYOUT_STATUSES:
            raise ValueError(f"unknown payout status: {status}")
        if payout.status == PENDING and status in (CANCELED, CANCELED_BY_USER):
            self.balance += payout.original_amount
        payout.status = status
        payout.edit_date = now
