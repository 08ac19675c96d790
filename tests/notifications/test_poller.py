"""The poller against the in-process sandbox, through the real client over HTTP."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest

from bot.domain import KEY_REJECTED, KEY_WORKS
from bot.notifications.clock import SchedulingClock
from bot.notifications.health import Admission
from bot.notifications.poller import TOUCH_EVERY, Poller, PollerConfig
from bot.sandbox.records import Exchange, Partner, Payout
from bot.sandbox.state import FaultRule
from bot.storage.accounts import Account
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.outbox import Outbox, PollResult
from bot.storage.schedule import DueAccount, PollSchedule
from tests.conftest import Link
from tests.notifications.conftest import Exchanger

DAY = 86_400
KEY = "partner-key-0001"


class Clock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_poller(
    exchanger: Exchanger, schedule: PollSchedule, outbox: Outbox, vault: KeyVault, clock: Clock
) -> Callable[..., Poller]:
    def make(**config: Any) -> Poller:
        settings = {
            "interval": 1.0,
            "lookback_days": 30,
            "max_concurrent": 4,
            "max_items": 1000,
            "breaker_threshold": 2,
        } | config
        return Poller(
            exchanger.api,
            schedule,
            outbox,
            vault,
            PollerConfig(**settings),
            clock=clock,
            rng=random.Random(7),
        )

    return make


@pytest.fixture
def partner(exchanger: Exchanger) -> Partner:
    return exchanger.state.add_partner(
        KEY, balance="3.20", min_payout="10.00", methods=[{"id": 1, "title": "USDT TRC20"}]
    )


@pytest.fixture
async def account(partner: Partner, exchanger: Exchanger, link: Link) -> Account:
    return await link(100, KEY, site=exchanger.url)


def add_exchange(exchanger: Exchanger, partner: Partner, age: int = 600, **fields: Any) -> Exchange:
    now = exchanger.state.now()
    values: dict[str, Any] = {
        "amount_give": Decimal("0.01"),
        "amount_get": Decimal("650.00"),
        "partner_reward": Decimal("2.50"),
    } | fields
    exchange = Exchange(
        id=exchanger.state.next_id("item"), time=now - age, edit_date=now - age, **values
    )
    partner.exchanges[exchange.id] = exchange
    return exchange


def add_payout(exchanger: Exchanger, partner: Partner, status: int = 0, age: int = 600) -> Payout:
    now = exchanger.state.now()
    payout = Payout(
        id=exchanger.state.next_id("payout"),
        time=now - age,
        edit_date=now - age,
        method_id=1,
        account="T" * 34,
        pay_amount=Decimal("11.00"),
        status=status,
    )
    partner.payouts[payout.id] = payout
    return payout


async def due_one(schedule: PollSchedule) -> DueAccount:
    [due] = await schedule.due(time.time() + 10**6, 10)
    return due


async def poll(poller: Poller, schedule: PollSchedule, outbox: Outbox) -> PollResult:
    result = await poller.poll(await due_one(schedule))
    await outbox.save([result])
    return result


async def messages(db: Database) -> list[tuple[str, dict[str, Any]]]:
    rows = await db.fetch_all("SELECT kind, payload FROM outbox ORDER BY id")
    return [(row["kind"], json.loads(row["payload"])) for row in rows]


async def test_baseline_then_each_change_once(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
) -> None:
    done = add_exchange(exchanger, partner, age=3 * DAY, exchange_success=1)
    add_exchange(exchanger, partner, age=5 * DAY, exchange_success=1, accrued=1)
    pending = add_payout(exchanger, partner, status=0, age=2 * DAY)
    poller = make_poller()
    await poll(poller, schedule, outbox)  # baseline: silent
    assert await messages(db) == []
    row = await db.fetch_one("SELECT baseline_done, payout_available FROM accounts")
    assert row is not None and tuple(row) == (1, 0)

    partner.update_exchange(done, {"accrued": 1}, exchanger.state.now())  # balance 5.70
    partner.update_payout(pending, 1, exchanger.state.now())
    add_payout(exchanger, partner, status=2, age=30)  # created and canceled between polls
    fresh = add_exchange(exchanger, partner, age=10)
    await poll(poller, schedule, outbox)
    await poll(poller, schedule, outbox)  # nothing new: nothing enqueued twice
    found = await messages(db)
    assert [kind for kind, _ in found] == [
        "accrued",
        "payout_status",
        "payout_status",
        "new_exchange",
    ]
    assert found[0][1] == {
        "exchange_id": done.id,
        "give": "0.01",
        "give_cur": "BTC",
        "get": "650.00",
        "get_cur": "USDTTRC20",
        "reward": "2.50",
        "account": account_label(exchanger),
    }
    assert [p["status"] for _, p in found[1:3]] == [1, 2]
    assert found[1][1]["method"] == "USDT TRC20" and found[3][1]["exchange_id"] == fresh.id


def account_label(exchanger: Exchanger) -> str:
    return f"{exchanger.url.split('://', 1)[1]} · {KEY[:4]}…"


async def test_payout_available_once_until_it_drops(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
) -> None:
    poller = make_poller()
    await poll(poller, schedule, outbox)
    exchange = add_exchange(exchanger, partner, exchange_success=1, partner_reward=Decimal("7.00"))
    partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())  # 10.20 ≥ 10
    await poll(poller, schedule, outbox)
    await poll(poller, schedule, outbox)
    assert [kind for kind, _ in await messages(db)] == ["accrued", "payout_available"]
    assert (await messages(db))[1][1]["balance"] == "10.20"


async def test_window_is_only_what_can_still_change(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    """The site filters on the last change: an old pending item that changes comes back in
    a window that starts at the last success, however old it is."""
    open_exchange = add_exchange(exchanger, partner, age=25 * DAY)
    pending = add_payout(exchanger, partner, status=0, age=20 * DAY)
    poller = make_poller()
    first = await poll(poller, schedule, outbox)
    exchanger.state.requests.clear()
    partner.update_exchange(
        open_exchange, {"exchange_success": 1, "accrued": 1}, exchanger.state.now()
    )
    partner.update_payout(pending, 1, exchanger.state.now())
    await poll(poller, schedule, outbox)
    starts = {
        r["method"]: int(r["params"]["start_time"])
        for r in exchanger.state.requests
        if r["method"] != "get_info"
    }
    since = int(first.polled_at) - 3_600
    assert starts == {"get_exchanges": since, "get_payouts": since}
    assert [kind for kind, _ in await messages(db)] == ["accrued", "payout_status"]


async def test_a_poll_cut_short_resumes_where_it_stopped(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    exchanges = [
        add_exchange(exchanger, partner, age=DAY + i, exchange_success=1) for i in range(5)
    ]
    poller = make_poller(max_items=2)
    await poll(poller, schedule, outbox)  # a baseline may take more at once
    for exchange in exchanges:
        partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())
    clock.offset = 3 * 3_600.0  # later polls: the changes are older than a fresh window
    results = [await poll(poller, schedule, outbox) for _ in range(4)]
    found = [p["exchange_id"] for kind, p in await messages(db) if kind == "accrued"]
    assert sorted(found) == sorted(e.id for e in exchanges)
    assert [r.advance for r in results] == [False, False, True, True]
    assert results[0].next_poll_at - clock() <= 0.1  # the rest comes soon


async def test_rejected_key_pauses_and_tells_once(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    account: Account,
    clock: Clock,
) -> None:
    poller = make_poller()
    await poll(poller, schedule, outbox)
    due = await due_one(schedule)
    exchanger.state.rotate(KEY)
    await outbox.save([await poller.poll(due)])  # the first rejection is not believed yet
    assert await messages(db) == []
    assert await schedule.due(time.time() + 10**6, 10) != []
    clock.offset += 1.0  # an interval later, still rejected: confirmed
    for _ in range(2):
        await outbox.save([await poller.poll(due)])
    assert [kind for kind, _ in await messages(db)] == [KEY_REJECTED]
    row = await db.fetch_one("SELECT paused FROM accounts")
    assert row is not None and row["paused"] == 1
    assert await schedule.due(time.time() + 10**6, 10) == []


async def test_a_paused_key_is_tried_again_and_resumes_with_a_notice(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    poller = make_poller()
    await poll(poller, schedule, outbox)
    partner.api_enabled = False  # "Api disabled"
    due = await due_one(schedule)
    for _ in range(2):
        await outbox.save([await poller.poll(due)])
        clock.offset += 1.0
    assert await schedule.rechecks(clock() + 3_500, 10) == []  # hourly
    [paused] = await schedule.rechecks(clock() + 3_600, 10)
    assert paused.paused and paused.id == account.id
    clock.offset += 3_600
    await outbox.save([await poller.poll(paused)])  # still rejected: no second message
    row = await db.fetch_one("SELECT paused, next_check_at FROM accounts")
    assert row is not None and row["paused"] == 1
    assert row["next_check_at"] == pytest.approx(clock() + 3_600, abs=1)
    clock.offset += 2 * 86_400  # paused for more than a day: daily
    [paused] = await schedule.rechecks(clock(), 10)
    await outbox.save([await poller.poll(paused)])
    row = await db.fetch_one("SELECT next_check_at FROM accounts")
    assert row is not None and row[0] == pytest.approx(clock() + 86_400, abs=1)

    partner.api_enabled = True
    clock.offset += 86_400
    [paused] = await schedule.rechecks(clock(), 10)
    await outbox.save([await poller.poll(paused)])
    assert [kind for kind, _ in await messages(db)] == [KEY_REJECTED, KEY_WORKS]
    assert (await messages(db))[1][1] == {"account": account_label(exchanger)}
    row = await db.fetch_one("SELECT paused, paused_at, next_check_at FROM accounts")
    assert row is not None and tuple(row) == (0, None, None)
    assert [a.id for a in await schedule.due(clock() + 1, 10)] == [account.id]


async def test_most_of_a_sites_keys_rejected_at_once_is_a_site_failure(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    link: Link,
    clock: Clock,
) -> None:
    for n in (2, 3):
        exchanger.state.add_partner(f"partner-key-000{n}")
        await link(100 * n, f"partner-key-000{n}", site=exchanger.url)
    poller = make_poller(breaker_threshold=100)
    due = await schedule.due(clock() + 10**6, 10)
    await outbox.save([await poller.poll(a) for a in due])  # baselines
    exchanger.state.faults.rules.append(FaultRule(mode="api_disabled"))  # the whole site
    for _ in range(4):
        due = await schedule.due(clock() + 10**6, 10)
        await outbox.save([await poller.poll(a) for a in due])
        clock.offset += 1.0
    assert await messages(db) == []
    row = await db.fetch_one("SELECT SUM(paused), MIN(failures) FROM accounts")
    assert row is not None and tuple(row) == (0, 4)
    assert not poller.health[exchanger.url].last_update_success
    exchanger.state.faults.rules.clear()
    exchange = add_exchange(exchanger, partner, exchange_success=1)
    await outbox.save([await poller.poll(a) for a in due])
    partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())
    await outbox.save([await poller.poll(a) for a in due])
    assert [kind for kind, _ in await messages(db)] == ["accrued"]


@pytest.mark.parametrize(
    "rule",
    [
        FaultRule(mode="error_text", text="Access temporarily limited, try again later"),
        FaultRule(mode="error_text", text="Some error the bot never saw"),
        FaultRule(mode="html", status=403),
    ],
    ids=["temporarily", "unknown-text", "403-html"],
)
async def test_unexplained_errors_count_against_the_site_not_the_key(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    account: Account,
    clock: Clock,
    rule: FaultRule,
) -> None:
    poller = make_poller()
    await poll(poller, schedule, outbox)
    exchanger.state.faults.rules.append(rule)
    for _ in range(3):
        await poll(poller, schedule, outbox)
        clock.offset += 1.0
    assert await messages(db) == []
    assert poller.health[exchanger.url].state == "open"


async def test_transient_failures_back_off_open_the_breaker_and_recover(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    exchanger: Exchanger,
    account: Account,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    poller = make_poller()
    exchanger.state.faults.rules.append(FaultRule(mode="http_500"))
    caplog.set_level(logging.INFO, logger="bot.notifications")
    first = await poll(poller, schedule, outbox)
    second = await poll(poller, schedule, outbox)
    assert (first.failures, second.failures) == (1, 2)
    assert second.next_poll_at - clock() >= 1.0  # 2 s ± jitter
    health = poller.health[exchanger.url]
    assert not health.last_update_success and "HTTP 500" in str(health.last_exception)
    assert health.admit(clock()).admission is Admission.WAIT
    exchanger.state.faults.rules.clear()
    clock.offset = 10.0  # the cooldown is over: one probe
    assert health.admit(clock()).admission is Admission.PROBE
    assert health.admit(clock()).admission is Admission.WAIT  # only one probe at a time
    await poll(poller, schedule, outbox)
    assert health.last_update_success and health.admit(clock()).admission is Admission.ALLOW
    logged = [r.getMessage() for r in caplog.records]
    assert sum("failed: " in line for line in logged) == 1  # one line, not one per request
    assert sum("recovered" in line for line in logged) == 1
    assert all(KEY not in line for line in logged)


async def test_retry_after_is_honoured(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    exchanger: Exchanger,
    account: Account,
    clock: Clock,
) -> None:
    poller = make_poller()
    exchanger.state.faults.rules.append(FaultRule(mode="http_429", retry_after=30))
    result = await poll(poller, schedule, outbox)
    assert result.next_poll_at >= clock() + 29
    verdict = poller.health[exchanger.url].admit(clock() + 5)
    assert verdict.admission is Admission.WAIT and verdict.until >= clock() + 29


async def test_baseline_bigger_than_the_cap_takes_several_polls(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
) -> None:
    for age in range(1, 121):  # a baseline records up to 50 × max_items per poll
        add_exchange(exchanger, partner, age=age * 100, exchange_success=1, accrued=1)
    poller = make_poller(max_items=1)
    done = []
    for _ in range(3):
        await poll(poller, schedule, outbox)
        row = await db.fetch_one("SELECT baseline_done FROM accounts")
        assert row is not None
        done.append(row[0])
    assert done == [0, 0, 1] and await messages(db) == []


async def wait_until(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    """A condition on the database: there is no event to wait on, so it is polled."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110 - polls a database condition
            await asyncio.sleep(0.02)


async def test_run_polls_due_accounts_and_skips_inactive_chats(
    make_poller: Callable[..., Poller],
    db: Database,
    chats: ChatRepo,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    link: Link,
) -> None:
    exchanger.state.add_partner("partner-key-0002")
    silent = await link(200, "partner-key-0002", site=exchanger.url)
    await Outbox(db).chat_gone(200, "blocked")  # how a chat goes inactive in production
    woken: list[bool] = []
    poller = make_poller()
    poller._on_enqueued = lambda: woken.append(True)
    exchange = add_exchange(exchanger, partner, exchange_success=1)
    stopping = asyncio.Event()
    task = asyncio.create_task(poller.run(stopping))

    async def baseline_done() -> bool:
        row = await db.fetch_one("SELECT baseline_done FROM accounts WHERE id = ?", (account.id,))
        return row is not None and row[0] == 1

    await wait_until(baseline_done)
    partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())

    async def enqueued() -> bool:
        return len(await messages(db)) == 1

    await wait_until(enqueued)
    stopping.set()
    await asyncio.wait_for(task, 3)
    assert woken
    row = await db.fetch_one(
        "SELECT baseline_done, next_poll_at FROM accounts WHERE id = ?", (silent.id,)
    )
    assert row is not None and row[0] == 0 and row[1] > 0  # moved on, never polled
    from bot.sandbox.state import key_id

    assert not [r for r in exchanger.state.requests if r["key_id"] == key_id("partner-key-0002")]


async def test_polling_goes_on_when_the_wall_clock_jumps_back(
    exchanger: Exchanger,
    schedule: PollSchedule,
    outbox: Outbox,
    vault: KeyVault,
    db: Database,
    partner: Partner,
    account: Account,
) -> None:
    wall = Clock()  # the wall clock; the monotonic one is the real one
    config = PollerConfig(
        interval=1.0, lookback_days=30, max_concurrent=4, max_items=1000, breaker_threshold=2
    )
    poller = Poller(
        exchanger.api,
        schedule,
        outbox,
        vault,
        config,
        clock=SchedulingClock(wall),
        rng=random.Random(7),
    )
    exchange = add_exchange(exchanger, partner, exchange_success=1)
    stopping = asyncio.Event()
    task = asyncio.create_task(poller.run(stopping))

    async def baseline_done() -> bool:
        row = await db.fetch_one("SELECT last_success_at FROM accounts")
        return row is not None and row[0] is not None

    await wait_until(baseline_done)
    wall.offset = -3_600.0  # the wall clock is set back an hour
    partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())

    async def enqueued() -> bool:
        return any(kind == "accrued" for kind, _ in await messages(db))

    await wait_until(enqueued)
    stopping.set()
    await asyncio.wait_for(task, 3)


async def poll_saved(poller: Poller, schedule: PollSchedule, clock: Clock) -> PollResult:
    """One poll written through the poller (which then remembers what it saw), a poll later."""
    result = await poller.poll(await due_one(schedule))
    await poller.save([result])
    clock.offset += 1.0  # one interval
    return result


def asked(exchanger: Exchanger) -> list[str]:
    methods = [str(r["method"]) for r in exchanger.state.requests]
    exchanger.state.requests.clear()
    return methods


async def test_nothing_changed_is_neither_detected_nor_written(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    open_exchange = add_exchange(exchanger, partner, age=DAY, exchange_success=1)
    poller = make_poller(payouts_every=100, info_every=100)
    await poll_saved(poller, schedule, clock)  # baseline
    await poll_saved(poller, schedule, clock)  # the window moved: full work once more
    written = "SELECT next_poll_at, last_success_at FROM accounts"
    before = tuple(await db.fetch_one(written) or ())
    asked(exchanger)
    quiet = [await poll_saved(poller, schedule, clock) for _ in range(3)]
    assert all(r.unchanged for r in quiet)
    assert tuple(await db.fetch_one(written) or ()) == before  # nothing written
    assert asked(exchanger) == ["get_exchanges"] * 3  # no pending payout: exchanges only

    partner.update_exchange(open_exchange, {"accrued": 1}, exchanger.state.now())
    fresh = add_exchange(exchanger, partner, age=5)
    changed = await poll_saved(poller, schedule, clock)
    assert not changed.unchanged
    assert [kind for kind, _ in await messages(db)] == ["accrued", "new_exchange"]
    assert (await messages(db))[1][1]["exchange_id"] == fresh.id
    assert "get_info" in asked(exchanger)  # a change: the balance is read again
    assert (await poll_saved(poller, schedule, clock)).unchanged
    assert len(await messages(db)) == 2


async def test_an_unchanged_account_is_still_written_now_and_then(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    poller = make_poller(payouts_every=100, info_every=100)
    await poll_saved(poller, schedule, clock)
    await poll_saved(poller, schedule, clock)
    results = [await poll_saved(poller, schedule, clock) for _ in range(TOUCH_EVERY + 1)]
    touched = [r for r in results if not r.unchanged]
    assert len(touched) == 1 and touched[0].error is None
    row = await db.fetch_one("SELECT last_success_at FROM accounts")
    assert row is not None and row[0] == int(touched[0].polled_at)


async def test_payouts_are_asked_every_poll_only_while_one_is_pending(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
) -> None:
    poller = make_poller(payouts_every=3, info_every=100)
    await poll_saved(poller, schedule, clock)  # baseline: both lists
    asked(exchanger)
    payout = add_payout(exchanger, partner, status=0, age=1)  # made in the dashboard
    polls = [await poll_saved(poller, schedule, clock) for _ in range(3)]
    assert asked(exchanger).count("get_payouts") == 1  # the slow pace found it
    assert not polls[-1].unchanged and polls[-1].payouts  # stored as pending
    for _ in range(3):
        await poll_saved(poller, schedule, clock)
    assert asked(exchanger).count("get_payouts") == 3  # pending: every poll
    partner.update_payout(payout, 1, exchanger.state.now())
    await poll_saved(poller, schedule, clock)
    assert [kind for kind, _ in await messages(db)] == ["payout_status"]
    asked(exchanger)
    for _ in range(3):
        await poll_saved(poller, schedule, clock)
    assert asked(exchanger).count("get_payouts") <= 1  # final: the slow pace again


async def test_a_failed_save_is_not_remembered(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exchange = add_exchange(exchanger, partner, age=DAY, exchange_success=1)
    poller = make_poller(payouts_every=100, info_every=100)
    await poll_saved(poller, schedule, clock)
    await poll_saved(poller, schedule, clock)
    partner.update_exchange(exchange, {"accrued": 1}, exchanger.state.now())

    async def broken(results: Any) -> int:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "save", broken)
        await poll_saved(poller, schedule, clock)  # detected, not committed
    assert await messages(db) == []
    await poll_saved(poller, schedule, clock)  # the same body: detected again, not skipped
    assert [kind for kind, _ in await messages(db)] == ["accrued"]
