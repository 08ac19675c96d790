"""The stored state of the items a poll returned: what the detector compares fresh lists with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.exchanger.models import Exchange, Payout, PayoutStatus


@dataclass(frozen=True, slots=True)
class ExchangeState:
    exchange_id: int
    time: int
    completed: bool
    accrued: bool

    @classmethod
    def of(cls, exchange: Exchange) -> ExchangeState:
        return cls(exchange.id, exchange.time, exchange.completed, exchange.accrued)


@dataclass(frozen=True, slots=True)
class PayoutState:
    payout_id: int
    time: int
    status: PayoutStatus

    @classmethod
    def of(cls, payout: Payout) -> PayoutState:
        return cls(payout.id, payout.time, payout.status)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What is stored for one account: the rows of the items in the fresh lists, plus flags."""

    exchanges: Mapping[int, ExchangeState] = field(default_factory=dict)
    payouts: Mapping[int, PayoutState] = field(default_factory=dict)
    payout_available: bool = False
    last_payout_id: int = 0  # the highest payout id ever stored: a "generation" of the balance
