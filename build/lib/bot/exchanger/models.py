"""Typed models of the exchanger's affiliate API answers.

Frozen dataclasses: they are compared by value by the change detector and are safe to share
between tasks. Money is always `Decimal`, ids and unix times are `int`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum


@dataclass(frozen=True, slots=True)
class Credentials:
    """Where and with what key to call the API. `repr` never shows the key."""

    site: str
    api_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PayoutMethod:
    id: int
    title: str
    commission: Decimal
    amount: Decimal  # what the affiliate receives after the commission


@dataclass(frozen=True, slots=True)
class PartnerInfo:
    balance: Decimal
    min_payout: Decimal
    methods: tuple[PayoutMethod, ...] = ()

    @property
    def can_request_payout(self) -> bool:
        return self.balance > 0 and self.balance >= self.min_payout

    @property
    def missing_for_payout(self) -> Decimal:
        return max(Decimal(0), self.min_payout - self.balance)

    def method(self, method_id: int) -> PayoutMethod | None:
        return next((m for m in self.methods if m.id == method_id), None)


@dataclass(frozen=True, slots=True)
class Click:
    id: int
    time: int
    browser: str = ""
    ip: str = ""
    referrer: str = ""
    user_hash: str = ""
    query_string: str = ""


@dataclass(frozen=True, slots=True)
class Exchange:
    id: int
    time: int
    currency_code_give: str = ""
    currency_code_get: str = ""
    course_give: Decimal = Decimal(0)
    course_get: Decimal = Decimal(0)
    amount_give: Decimal = Decimal(0)
    amount_get: Decimal = Decimal(0)
    completed: bool = False  # `exchange_success`: 1 = completed (the old document is right)
    accrued: bool = False
    partner_reward: Decimal = Decimal(0)
    user_hash: str = ""
    statuses: tuple[str, ...] = ()


class PayoutStatus(IntEnum):
    PENDING = 0
    PAID = 1
    CANCELED = 2
    CANCELED_BY_USER = 3

    @property
    def is_final(self) -> bool:
        return self is not PayoutStatus.PENDING


@dataclass(frozen=True, slots=True)
class Payout:
    id: int
    time: int
    method_id: int
    account: str
    pay_amount: Decimal
    pay_currency_code: str
    original_amount: Decimal
    original_currency_code: str
    status: PayoutStatus
