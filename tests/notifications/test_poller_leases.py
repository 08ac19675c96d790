"""Two pollers (two processes' pools and owners) on one PostgreSQL database: a poll that lasts
longer than its lease renews it, so the other poller never polls that account meanwhile; a
poller whose lease was taken stops asking the site and writes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from bot.exchanger.models import Credentials
from bot.notifications.poller import Poller, PollerConfig
from bot.sandbox.state import FaultRule, key_id
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.outbox import Outbox
from bot.storage.schedule import PollSchedule
from tests.notifications.conftest import Exchanger
from tests.notifications.test_poller import wait_until
from tests.postgres import Server, new_database

KEY = "partner-key-lease"
INTERVAL = 1.0


@dataclass
class Shared:
    dbs: list[Database]
    account_id: int


@pytest.fixture
async def shared(pg_server: Server, vault: KeyVault, exchanger: Exchanger) -> AsyncIterator[Shared]:
    url = await new_database(pg_server)
    dbs = [await Database.open(url) for _ in range(2)]
    exchanger.state.add_partner(KEY, balance="3.20")
    await ChatRepo(dbs[0]).ensure(100, "private")
    account = await AccountRepo(dbs[0], vault).add(
        100, Credentials(exchanger.url, KEY), linked_by=100
    )
    try:
        yield Shared(dbs, account.id)
    finally:
        for db in dbs:
            await db.close()


def poller(db: Database, exchanger: Exchanger, vault: KeyVault, owner: str) -> Poller:
    config = PollerConfig(
        interval=INTERVAL, lookback_days=30, max_concurrent=4, max_items=1000, breaker_threshold=5
    )
    return Poller(
        exchanger.api,
        PollSchedule(db, owner=owner),
        Outbox(db),
        vault,
        config,
        rng=random.Random(7),
    )


@contextlib.asynccontextmanager
async def running(*pollers: Poller) -> AsyncIterator[None]:
    stopping = asyncio.Event()
    tasks = [asyncio.create_task(p.run(stopping)) for p in pollers]
    try:
        yield
    finally:
        stopping.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 10)


def polls_of_key(exchanger: Exchanger) -> int:
    return sum(
        r["key_id"] == key_id(KEY) and r["method"] == "get_exchanges"
        for r in exchanger.state.requests
    )


async def baseline_done(db: Database) -> bool:
    row = await db.fetch_one("SELECT baseline_done FROM accounts")
    return row is not None and row[0] == 1


async def test_a_poll_longer_than_its_lease_renews_it_and_is_never_overlapped(
    shared: Shared, exchanger: Exchanger, vault: KeyVault, partner_slow: None
) -> None:
    first, second = (
        poller(db, exchanger, vault, f"process-{i}") for i, db in enumerate(shared.dbs)
    )
    async with running(first, second):
        await wait_until(lambda: baseline_done(shared.dbs[0]), seconds=20)
        # Each get_exchanges takes 1.6 intervals: without renewal the lease would run out
        # during every poll and the other poller would claim the account meanwhile.
        await wait_until(_polls_at_least(exchanger, 4), seconds=20)
    assert list(exchanger.state.overlaps) == []


def _polls_at_least(exchanger: Exchanger, count: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return polls_of_key(exchanger) >= count

    return check


@pytest.fixture
def partner_slow(exchanger: Exchanger) -> None:
    exchanger.state.faults.rules.append(
        FaultRule(mode="slow", methods=frozenset({"get_exchanges"}), delay=1.6 * INTERVAL)
    )


async def test_a_poller_whose_lease_was_taken_stops_and_writes_nothing(
    shared: Shared,
    exchanger: Exchanger,
    vault: KeyVault,
    partner_slow: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = shared.dbs[0]
    slow = poller(db, exchanger, vault, "slow-process")
    caplog.set_level(logging.WARNING, logger="bot.notifications.poller")
    async with running(slow):
        await wait_until(_polls_at_least(exchanger, 1), seconds=10)  # the baseline poll began
        # Another process claimed the account (as if this one had stalled past its lease).
        await db.execute("UPDATE accounts SET lease_owner = 'thief', next_poll_at = 1e12")
        await wait_until(_warned(caplog), seconds=10)
    assert not await baseline_done(db)  # the poll's result was not written
    row = await db.fetch_one("SELECT lease_owner, next_poll_at FROM accounts")
    assert row is not None and (row[0], row[1]) == ("thief", 1e12)  # the thief's lease stays
    assert polls_of_key(exchanger) == 1  # and the site was not asked again


def _warned(caplog: pytest.LogCaptureFixture) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return "lease lost to another process" in caplog.text

    return check
