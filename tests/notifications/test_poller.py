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

from bot.notifications.health import Admission
from bot.notifications.outbox import KEY_REJECTED, Outbox, PollResult
from bot.notifications.poller import Poller, PollerConfig
from bot.notifications.schedule import DueAccount, PollSchedule
from bot.sandbox.records import Exchange, Partner, Payout
from bot.sandbox.state import FaultRule
from bot.storage.accounts import Account
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from tests.notifications.conftest import Exchanger, Link

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
        settings = {"interval": 1.0, "lookback_days": 30, "max_concurrent": 4, "max_items": 1000,
                    "breaker_threshold": 2} | config  # fmt: skip
        return Poller(
            exchanger.api, schedule, outbox, vault, PollerConfig(**settings),
            clock=clock, rng=random.Random(7),
        )  # fmt: skip

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
    values: dict[str, Any] = {"amount_give": Decimal("0.01"), "amount_get": Decimal("650.00"),
                              "partner_reward": Decimal("2.50")} | fields  # fmt: skip
    exchange = Exchange(
        id=exchanger.state.next_id("item"), time=now - age, edit_date=now - age, **values
    )
    partner.exchanges[exchange.id] = exchange
    return exchange


def add_payout(exchanger: Exchanger, partner: Partner, status: int = 0, age: int = 600) -> Payout:
    now = exchanger.state.now()
    payout = Payout(
        id=exchanger.state.next_id("payout"), time=now - age, edit_date=now - age, method_id=1,
        account="T" * 34, pay_amount=Decimal("11.00"), status=status,
    )  # fmt: skip
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
        "accrued", "payout_status", "payout_status", "new_exchange"
    ]  # fmt: skip
    assert found[0][1] == {
        "exchange_id": done.id, "give": "0.01", "give_cur": "BTC", "get": "650.00",
        "get_cur": "USDTTRC20", "reward": "2.50", "account": account_label(exchanger),
    }  # fmt: skip
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


async def test_window_starts_at_the_oldest_item_that_can_change(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    exchanger: Exchanger,
    partner: Partner,
    account: Account,
) -> None:
    open_exchange = add_exchange(exchanger, partner, age=5 * DAY)
    add_exchange(exchanger, partner, age=9 * DAY, exchange_success=1, accrued=1)
    pending = add_payout(exchanger, partner, status=0, age=3 * DAY)
    poller = make_poller()
    await poll(poller, schedule, outbox)
    exchanger.state.requests.clear()
    await poll(poller, schedule, outbox)
    starts = {r["method"]: int(r["params"]["start_time"]) for r in exchanger.state.requests}
    assert starts["get_exchanges"] == open_exchange.time
    assert starts["get_payouts"] == pending.time


async def test_rejected_key_pauses_and_tells_once(
    make_poller: Callable[..., Poller],
    schedule: PollSchedule,
    outbox: Outbox,
    db: Database,
    exchanger: Exchanger,
    account: Account,
) -> None:
    poller = make_poller()
    await poll(poller, schedule, outbox)
    due = await due_one(schedule)
    exchanger.state.rotate(KEY)
    for _ in range(2):
        await outbox.save([await poller.poll(due)])
    assert [kind for kind, _ in await messages(db)] == [KEY_REJECTED]
    row = await db.fetch_one("SELECT paused FROM accounts")
    assert row is not None and row["paused"] == 1
    assert await schedule.due(time.time() + 10**6, 10) == []


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
    for age in range(1, 6):
        add_exchange(exchanger, partner, age=age * 100, exchange_success=1, accrued=1)
    poller = make_poller(max_items=2)
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
