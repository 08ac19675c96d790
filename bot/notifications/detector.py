"""Change detection as data: stored state + fresh API lists → state rows to write + events.

Pure functions over frozen dataclasses, no I/O. Items are compared by id, never by time: the
API filters and sorts on the last change (`edit_date`), so an old item can come back when it
changes and an unchanged one can leave the window. Each event has a stable `key`
("account:kind:item:state"), backed by the UNIQUE `outbox.event_key`: detecting the same change
twice (a retry, a crash before the commit, two polls racing) can never enqueue it twice.

In baseline mode (the first poll after linking) the state is recorded and nothing is announced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.domain import NotificationKind
from bot.exchanger.models import Exchange, PartnerInfo, Payout
from bot.storage.snapshots import ExchangeState, PayoutState, Snapshot

DAY = 86_400
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Event:
    key: str
    kind: NotificationKind
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Detection:
    exchanges: tuple[ExchangeState, ...]  # rows to upsert (only the changed ones)
    payouts: tuple[PayoutState, ...]
    payout_available: bool
    events: tuple[Event, ...]
    complete: bool  # False: the cap left changes for the next poll (they are found again)


@dataclass(frozen=True, slots=True)
class _Change:
    order: tuple[int, int]
    row: ExchangeState | PayoutState
    events: tuple[Event, ...]


def detect(
    account_id: int,
    stored: Snapshot,
    exchanges: Sequence[Exchange],
    payouts: Sequence[Payout],
    info: PartnerInfo | None,
    *,
    baseline: bool,
    cap: int,
    known_since: int = 0,
) -> Detection:
    """Compare fresh lists (and the balance, when `info` was fetched) with the stored state.

    At most `cap` changed items are taken, oldest first; the rest stay unstored, so the next
    poll finds them again. `info=None` leaves the payout-available flag as it is.

    `known_since` is when the account was linked: the baseline stored every item changed in
    the lookback before it. An item first seen now that was created before it is an old item
    re-entering the window (an unrelated edit bumped its edit_date): it is recorded silently,
    never announced as a new exchange or a fresh accrual.
    """
    titles = {m.id: m.title for m in info.methods} if info else {}
    changes = [
        *(
            _exchange_change(
                account_id,
                e,
                stored.exchanges.get(e.id),
                baseline or _old(e.id, e.time, stored.exchanges, known_since),
            )
            for e in exchanges
        ),
        *(
            _payout_change(
                account_id,
                p,
                stored.payouts.get(p.id),
                baseline or _old(p.id, p.time, stored.payouts, known_since),
                titles,
            )
            for p in payouts
        ),
    ]
    taken = sorted((c for c in changes if c is not None), key=lambda c: c.order)
    complete = len(taken) <= cap
    taken = taken[:cap]
    events = [event for change in taken for event in change.events]
    available = stored.payout_available
    if info is not None:
        available = info.can_request_payout
        if available and not stored.payout_available and not baseline:
            generation = max([stored.last_payout_id, *(p.id for p in payouts)])
            events.append(_available_event(account_id, info, generation))
    return Detection(
        exchanges=tuple(c.row for c in taken if isinstance(c.row, ExchangeState)),
        payouts=tuple(c.row for c in taken if isinstance(c.row, PayoutState)),
        payout_available=available,
        events=tuple(events),
        complete=complete,
    )


def _old(item_id: int, created: int, stored: Mapping[int, object], known_since: int) -> bool:
    """First seen, but created before the account was linked: history, not news."""
    return item_id not in stored and created < known_since


def has_changes(stored: Snapshot, exchanges: Sequence[Exchange], payouts: Sequence[Payout]) -> bool:
    """Whether any item differs from its stored row (a reason to read the balance again)."""
    return any(stored.exchanges.get(e.id) != ExchangeState.of(e) for e in exchanges) or any(
        stored.payouts.get(p.id) != PayoutState.of(p) for p in payouts
    )


def window_start(
    now: float, lookback_days: int, last_success_at: int | None, *, overlap: int
) -> int:
    """`start_time` for a list: only the part that can still hold a change.

    The site filters on the item's LAST CHANGE (`edit_date`), so every change since the last
    success has an edit_date after it, however old the item is: the window is the last
    success (minus an overlap for clock skew between the bot and the site), never reaching
    back more than the lookback. The first poll (baseline) reads the whole lookback. An item
    that did not change is absent from the window; that is never read as a change (ids are
    compared, not lists)."""
    floor = int(now) - lookback_days * DAY
    if last_success_at is None:
        return floor
    return max(floor, last_success_at - overlap)


def _exchange_change(
    account_id: int, exchange: Exchange, old: ExchangeState | None, baseline: bool
) -> _Change | None:
    new = ExchangeState.of(exchange)
    if new == old:
        return None
    events: tuple[Event, ...] = ()
    accrued_now = new.accrued and (old is None or not old.accrued)
    if baseline:
        pass
    elif accrued_now:
        if exchange.partner_reward >= CENT:  # the site credits nothing below a cent
            events = (_exchange_event(account_id, NotificationKind.ACCRUED, exchange, "1"),)
    elif old is None and not new.completed:
        events = (_exchange_event(account_id, NotificationKind.NEW_EXCHANGE, exchange, "new"),)
    return _Change((exchange.time, exchange.id), new, events)


def _payout_change(
    account_id: int,
    payout: Payout,
    old: PayoutState | None,
    baseline: bool,
    titles: Mapping[int, str],
) -> _Change | None:
    new = PayoutState.of(payout)
    if new == old:
        return None
    events: tuple[Event, ...] = ()
    # A payout first seen already final was created and finished between two polls.
    left_pending = new.status.is_final and (old is None or old.status != new.status)
    if left_pending and not baseline:
        events = (_payout_event(account_id, payout, titles),)
    return _Change((payout.time, payout.id), new, events)


def _key(account_id: int, kind: NotificationKind, item: object, state: object) -> str:
    # The account id is enough to tell two links apart: ids are AUTOINCREMENT (migration 2),
    # so a new link, even of another key in the same chat, never gets an id used before.
    return f"{account_id}:{kind.value}:{item}:{state}"


def _exchange_event(
    account_id: int, kind: NotificationKind, exchange: Exchange, state: str
) -> Event:
    data = {
        "exchange_id": exchange.id,
        "give": str(exchange.amount_give),
        "give_cur": exchange.currency_code_give,
        "get": str(exchange.amount_get),
        "get_cur": exchange.currency_code_get,
        "reward": str(exchange.partner_reward),
    }
    return Event(_key(account_id, kind, exchange.id, state), kind, data)


def _payout_event(account_id: int, payout: Payout, titles: Mapping[int, str]) -> Event:
    kind = NotificationKind.PAYOUT_STATUS
    data = {
        "payout_id": payout.id,
        "amount": str(payout.pay_amount),
        "currency": payout.pay_currency_code,
        "method": titles.get(payout.method_id, f"#{payout.method_id}"),
        "status": int(payout.status),
    }
    return Event(_key(account_id, kind, payout.id, int(payout.status)), kind, data)


def _available_event(account_id: int, info: PartnerInfo, generation: int) -> Event:
    """One message per crossing: the key changes only with a new payout or another balance."""
    kind = NotificationKind.PAYOUT_AVAILABLE
    data = {"balance": str(info.balance), "min_payout": str(info.min_payout)}
    return Event(_key(account_id, kind, generation, info.balance), kind, data)
