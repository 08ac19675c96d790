"""Change detection: pure function, stored state + fresh lists → rows and events."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from bot.domain import NotificationKind
from bot.exchanger.models import Exchange, PartnerInfo, Payout, PayoutMethod, PayoutStatus
from bot.notifications.detector import (
    DAY,
    Detection,
    ExchangeState,
    Snapshot,
    detect,
    has_changes,
    window_start,
)

ACC = 7
NOW = 1_700_000_000


def ex(
    item_id: int,
    *,
    completed: bool = False,
    accrued: bool = False,
    reward: str = "1.50",
    time: int = NOW - 100,
) -> Exchange:
    return Exchange(
        id=item_id,
        time=time + item_id,
        currency_code_give="BTC",
        currency_code_get="USDTTRC20",
        amount_give=Decimal("0.01"),
        amount_get=Decimal("650.00"),
        completed=completed,
        accrued=accrued,
        partner_reward=Decimal(reward),
    )


def po(item_id: int, status: PayoutStatus = PayoutStatus.PENDING) -> Payout:
    return Payout(
        id=item_id,
        time=NOW - 50 + item_id,
        method_id=1,
        account="U123456789",
        pay_amount=Decimal("11.00"),
        pay_currency_code="USDTTRC20",
        original_amount=Decimal("12.00"),
        original_currency_code="USD",
        status=status,
    )


def info(balance: str, min_payout: str = "10.00") -> PartnerInfo:
    methods = (PayoutMethod(1, "USDT TRC20", Decimal(1), Decimal(balance) - 1),)
    return PartnerInfo(Decimal(balance), Decimal(min_payout), methods)


def run(
    stored: Snapshot,
    exchanges: Sequence[Exchange] = (),
    payouts: Sequence[Payout] = (),
    partner: PartnerInfo | None = None,
    *,
    baseline: bool = False,
    cap: int = 1000,
) -> Detection:
    return detect(ACC, stored, exchanges, payouts, partner, baseline=baseline, cap=cap)


def apply(stored: Snapshot, found: Detection) -> Snapshot:
    """What the outbox transaction stores, as the next poll's snapshot."""
    return Snapshot(
        {**stored.exchanges, **{r.exchange_id: r for r in found.exchanges}},
        {**stored.payouts, **{r.payout_id: r for r in found.payouts}},
        found.payout_available,
        max([stored.last_payout_id, *(r.payout_id for r in found.payouts)]),
    )


def keys(found: Detection) -> list[str]:
    return [e.key for e in found.events]


def test_baseline_records_everything_and_announces_nothing() -> None:
    found = run(
        Snapshot(),
        [ex(1), ex(2, completed=True, accrued=True)],
        [po(5), po(6, PayoutStatus.PAID)],
        info("57.35"),
        baseline=True,
    )
    assert found.events == ()
    assert {r.exchange_id for r in found.exchanges} == {1, 2}
    assert {r.payout_id for r in found.payouts} == {5, 6}
    assert found.payout_available and found.complete


def test_accrual_is_announced_once() -> None:
    stored = apply(Snapshot(), run(Snapshot(), [ex(1, completed=True)], baseline=True))
    accrued = ex(1, completed=True, accrued=True)
    found = run(stored, [accrued])
    assert keys(found) == [f"{ACC}:accrued:1:1"]
    event = found.events[0]
    assert event.kind is NotificationKind.ACCRUED
    assert event.data["reward"] == "1.50" and event.data["give_cur"] == "BTC"
    assert found.exchanges == (ExchangeState(1, accrued.time, True, True),)
    again = run(apply(stored, found), [accrued])
    assert again.events == () and again.exchanges == ()


def test_the_same_change_seen_twice_has_the_same_key() -> None:
    stored = apply(Snapshot(), run(Snapshot(), [ex(1)], baseline=True))
    first = run(stored, [ex(1, completed=True, accrued=True)])
    second = run(stored, [ex(1, completed=True, accrued=True)])  # nothing stored in between
    assert keys(first) == keys(second) == [f"{ACC}:accrued:1:1"]


def test_exchange_first_seen_after_baseline() -> None:
    found = run(Snapshot(), [ex(1), ex(2, completed=True), ex(3, completed=True, accrued=True)])
    assert keys(found) == [f"{ACC}:new_exchange:1:new", f"{ACC}:accrued:3:1"]
    assert len(found.exchanges) == 3  # the completed, unaccrued one is stored silently


def test_new_exchange_then_accrual_are_two_messages() -> None:
    first = run(Snapshot(), [ex(1)])
    stored = apply(Snapshot(), first)
    second = run(stored, [ex(1, completed=True, accrued=True)])
    assert keys(first) + keys(second) == [f"{ACC}:new_exchange:1:new", f"{ACC}:accrued:1:1"]


def test_reward_below_a_cent_is_not_announced() -> None:
    stored = apply(Snapshot(), run(Snapshot(), [ex(1, reward="0.00")], baseline=True))
    found = run(stored, [ex(1, completed=True, accrued=True, reward="0.00")])
    assert found.events == () and len(found.exchanges) == 1


def test_accrual_reversed_and_redone_keeps_its_key() -> None:
    done = ex(1, completed=True, accrued=True)
    stored = apply(Snapshot(), run(Snapshot(), [done], baseline=True))
    reversed_ = run(stored, [ex(1, completed=True)])
    assert reversed_.events == () and len(reversed_.exchanges) == 1
    redone = run(apply(stored, reversed_), [ex(1, completed=True, accrued=True)])
    assert keys(redone) == [f"{ACC}:accrued:1:1"]  # already in the outbox: ignored there


@pytest.mark.parametrize(
    "status", [PayoutStatus.PAID, PayoutStatus.CANCELED, PayoutStatus.CANCELED_BY_USER]
)
def test_payout_leaving_pending(status: PayoutStatus) -> None:
    stored = apply(Snapshot(), run(Snapshot(), payouts=[po(5)], baseline=True))
    found = run(stored, payouts=[po(5, status)], partner=info("1.00"))
    assert keys(found) == [f"{ACC}:payout_status:5:{int(status)}"]
    assert found.events[0].data == {
        "payout_id": 5,
        "amount": "11.00",
        "currency": "USDTTRC20",
        "method": "USDT TRC20",
        "status": int(status),
    }


def test_payout_method_title_unknown_without_info() -> None:
    stored = apply(Snapshot(), run(Snapshot(), payouts=[po(5)], baseline=True))
    found = run(stored, payouts=[po(5, PayoutStatus.PAID)])
    assert found.events[0].data["method"] == "#1"


def test_payout_created_and_finished_between_two_polls() -> None:
    found = run(Snapshot(), payouts=[po(8, PayoutStatus.PAID), po(9)])
    assert keys(found) == [f"{ACC}:payout_status:8:1"]  # the pending one is the user's own
    assert len(found.payouts) == 2


def test_payout_corrected_from_one_final_status_to_another() -> None:
    stored = apply(Snapshot(), run(Snapshot(), payouts=[po(5, PayoutStatus.PAID)], baseline=True))
    found = run(stored, payouts=[po(5, PayoutStatus.CANCELED)])
    assert keys(found) == [f"{ACC}:payout_status:5:2"]


def test_items_leaving_and_reentering_the_window() -> None:
    stored = apply(Snapshot(), run(Snapshot(), [ex(1), ex(2)], [po(5)], baseline=True))
    gone = run(stored, [ex(2)], [])  # 1 and the payout left the window: nothing happens
    assert gone.events == () and gone.exchanges == () and gone.payouts == ()
    back_unchanged = run(stored, [ex(1), ex(2)], [po(5)])
    assert back_unchanged.events == () and back_unchanged.exchanges == ()
    back_changed = run(stored, [ex(1, completed=True, accrued=True)], [po(5, PayoutStatus.PAID)])
    assert keys(back_changed) == [f"{ACC}:accrued:1:1", f"{ACC}:payout_status:5:1"]


def test_payout_available_once_per_crossing() -> None:
    stored = apply(Snapshot(), run(Snapshot(), payouts=[po(5, PayoutStatus.PAID)], baseline=True))
    below = run(stored, partner=info("3.20"))
    assert below.events == () and not below.payout_available
    crossed = run(stored, partner=info("12.00"))
    assert keys(crossed) == [f"{ACC}:payout_available:5:12.00"]
    stored = apply(stored, crossed)
    assert run(stored, partner=info("14.50")).events == ()  # still above: no new message
    assert run(stored, partner=None).payout_available  # balance not read: flag kept
    # A payout takes the whole balance, then rewards bring it back to the same amount.
    dropped = run(stored, payouts=[po(6)], partner=info("0.00"))
    stored = apply(stored, dropped)
    assert not stored.payout_available
    again = run(stored, partner=info("12.00"))
    assert keys(again) == [f"{ACC}:payout_available:6:12.00"]


def test_payout_available_not_announced_at_baseline() -> None:
    found = run(Snapshot(), partner=info("20.00"), baseline=True)
    assert found.events == () and found.payout_available


def test_cap_takes_the_oldest_changes_first_and_the_rest_next_time() -> None:
    items = [ex(i, completed=True, accrued=True) for i in (4, 1, 3, 2, 5)]
    stored = Snapshot()
    seen: list[str] = []
    for _ in range(3):
        found = run(stored, items, cap=2)
        seen += keys(found)
        stored = apply(stored, found)
    assert seen == [f"{ACC}:accrued:{i}:1" for i in (1, 2, 3, 4, 5)]
    assert not run(Snapshot(), items, cap=2).complete and run(stored, items, cap=2).complete


def test_has_changes() -> None:
    stored = apply(Snapshot(), run(Snapshot(), [ex(1)], [po(5)], baseline=True))
    assert not has_changes(stored, [ex(1)], [po(5)])
    assert has_changes(stored, [ex(1, completed=True)], [po(5)])
    assert has_changes(stored, [ex(1)], [po(6)])


def test_window_start() -> None:
    floor = NOW - 30 * DAY
    assert window_start(NOW, 30, None, overlap=3600) == floor  # baseline
    assert window_start(NOW, 30, NOW - 60, overlap=3600) == NOW - 3660
    assert window_start(NOW, 30, NOW - 90 * DAY, overlap=3600) == floor


def test_an_old_item_reentering_the_window_is_not_news() -> None:
    linked = NOW - 10 * DAY
    old = [ex(1, completed=True, accrued=True, time=NOW - 40 * DAY), ex(2, time=NOW - 40 * DAY)]
    fresh = [ex(3, completed=True, accrued=True), ex(4)]
    found = detect(
        ACC,
        Snapshot(),
        [*old, *fresh],
        [po(5, PayoutStatus.PAID)],
        None,
        baseline=False,
        cap=100,
        known_since=linked,
    )
    assert keys(found) == [
        f"{ACC}:accrued:3:1",
        f"{ACC}:new_exchange:4:new",
        f"{ACC}:payout_status:5:1",
    ]
    assert {s.exchange_id for s in found.exchanges} == {1, 2, 3, 4}  # recorded silently
    again = detect(
        ACC,
        apply(Snapshot(), found),
        [*old, *fresh],
        [],
        None,
        baseline=False,
        cap=100,
        known_since=linked,
    )
    assert keys(again) == []
    # A recorded old item that really changes afterwards is news.
    later = detect(
        ACC,
        apply(Snapshot(), found),
        [ex(2, completed=True, accrued=True, time=NOW - 40 * DAY)],
        [],
        None,
        baseline=False,
        cap=100,
        known_since=linked,
    )
    assert keys(later) == [f"{ACC}:accrued:2:1"]
