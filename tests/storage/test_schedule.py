"""What the poller reads: due accounts, windows and stored state."""

from __future__ import annotations

import asyncio
import time

from bot.exchanger.models import Credentials, PayoutStatus
from bot.storage import schedule as module
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.outbox import Outbox, PollResult
from bot.storage.schedule import PollSchedule
from bot.storage.snapshots import ExchangeState, PayoutState
from tests.conftest import SITE, Link
from tests.postgres import Server, new_database, sqlite_only


async def test_due_accounts_in_order_without_paused_ones(
    db: Database, schedule: PollSchedule, link: Link, outbox: Outbox
) -> None:
    a, b, c = [await link(100 + i, f"key-000{i}") for i in range(3)]
    await schedule.reschedule([(a.id, 50.0), (b.id, 10.0), (c.id, 20.0)])
    # As in production: a rejected key pauses an account, a blocked bot deactivates a chat.
    await outbox.save([PollResult(c.id, 0.0, error="Api disabled", pause=True)])
    await outbox.chat_gone(101, "blocked")
    due = await schedule.due(now=100.0, limit=10)
    assert [(d.id, d.chat_active) for d in due] == [(b.id, False), (a.id, True)]
    assert [d.id for d in await schedule.due(now=100.0, limit=1)] == [b.id]
    assert await schedule.due(now=5.0, limit=10) == []
    assert await schedule.next_due_at() == 10.0
    assert due[1].label == "ex.example · key-…" and due[1].api_key_enc != "key-0000"


async def test_spread_moves_overdue_accounts_but_not_fresh_links(
    db: Database, schedule: PollSchedule, outbox: Outbox, link: Link
) -> None:
    fresh, old = await link(100, "key-0001"), await link(100, "key-0002")
    await outbox.save([PollResult(old.id, next_poll_at=1.0, polled_at=1.0)])  # baseline done
    now = time.time()
    assert await schedule.spread(now, 60.0) == 1
    times = {d.id: d for d in await schedule.due(now + 61, 10)}
    assert set(times) == {fresh.id, old.id}
    assert [d.id for d in await schedule.due(now, 10)] == [fresh.id]


async def test_open_items_and_snapshot(schedule: PollSchedule, outbox: Outbox, link: Link) -> None:
    account = await link()
    exchanges = tuple(ExchangeState(i, 1000 + i, False, i % 2 == 0) for i in range(1, 1201))
    payouts = (PayoutState(7, 500, PayoutStatus.PENDING), PayoutState(9, 400, PayoutStatus.PAID))
    await outbox.save([PollResult(account.id, 0.0, exchanges=exchanges, payouts=payouts)])
    opened = await schedule.open_items(account.id)
    assert (opened.oldest_exchange, opened.oldest_payout, opened.last_payout_id) == (1001, 500, 9)
    [due] = await schedule.due(time.time(), 1)
    ids = list(range(1, 1300))  # more than one chunk, some unknown
    snapshot = await schedule.snapshot(due, ids, [7, 9, 11], opened.last_payout_id)
    assert len(snapshot.exchanges) == 1200 and snapshot.exchanges[2].accrued
    assert snapshot.payouts[9].status is PayoutStatus.PAID and 11 not in snapshot.payouts
    assert snapshot.last_payout_id == 9


async def test_empty_account_has_no_open_items(schedule: PollSchedule, link: Link) -> None:
    account = await link()
    opened = await schedule.open_items(account.id)
    assert (opened.oldest_exchange, opened.oldest_payout, opened.last_payout_id) == (None, None, 0)


@sqlite_only
async def test_due_query_uses_the_index(db: Database) -> None:
    plan = [r["detail"] for r in await db.fetch_all("EXPLAIN QUERY PLAN " + module._DUE, (0, 1))]
    assert any("accounts_due" in detail for detail in plan), plan
    assert not any("TEMP B-TREE" in detail for detail in plan), plan  # no sort of all accounts


async def test_spread_pulls_in_times_set_before_the_clock_went_back(
    db: Database, schedule: PollSchedule, outbox: Outbox, link: Link
) -> None:
    account = await link(100, "key-0001")
    now = time.time()
    await outbox.save([PollResult(account.id, next_poll_at=now + 3_600, polled_at=now)])
    assert await schedule.due(now + 60, 10) == []
    assert await schedule.spread(now, 60.0, max_ahead=660.0) == 1
    assert [d.id for d in await schedule.due(now + 60, 10)] == [account.id]


async def test_claim_leases_due_accounts_on_both_engines(
    db: Database, schedule: PollSchedule, link: Link
) -> None:
    a, b = await link(100, "key-0001"), await link(101, "key-0002")
    await schedule.reschedule([(a.id, 10.0), (b.id, 20.0)])
    claimed = await schedule.claim(now=100.0, lease_until=160.0, limit=10)
    assert [d.id for d in claimed] == [a.id, b.id]  # in due order
    if db.dialect.row_locks:  # PostgreSQL: the lease is written by the claim itself
        assert await schedule.claim(now=100.0, lease_until=160.0, limit=10) == []
        assert await schedule.next_due_at() == 160.0
        again = await schedule.claim(160.0, 220.0, 10)  # the lease expired: due again
        assert [(d.id, d.moved) for d in again] == [(a.id, False), (b.id, False)]  # our lease
        other = PollSchedule(db, owner="another-process")
        taken = await other.claim(220.0, 280.0, 10)
        assert [(d.id, d.moved) for d in taken] == [(a.id, True), (b.id, True)]
        assert {d.lease_until for d in taken} == {280.0}


async def test_an_account_stays_with_its_process_until_it_is_late(
    db: Database, schedule: PollSchedule, link: Link
) -> None:
    """PostgreSQL: a new account goes to whoever claims it; then its holder gets it when it is
    due, another process only once it is late by the grace (the holder died or is behind)."""
    if not db.dialect.row_locks:
        return  # SQLite: one process
    mine, new = await link(100, "key-0001"), await link(101, "key-0002")
    await schedule.reschedule([(mine.id, 10.0), (new.id, 70.0)])
    await schedule.claim(now=10.0, lease_until=70.0, limit=10)  # `mine` is ours now
    other = PollSchedule(db, owner="another-process")
    # Both due at 70: the other process takes the new account, not ours (until 75 + grace).
    taken = await other.claim(now=71.0, lease_until=131.0, limit=10, takeover_before=66.0)
    assert [d.id for d in taken] == [new.id]
    assert await other.claim(now=74.0, lease_until=134.0, limit=10, takeover_before=69.0) == []
    late = await other.claim(now=76.0, lease_until=136.0, limit=10, takeover_before=71.0)
    assert [(d.id, d.moved) for d in late] == [(mine.id, True)]  # late: taken over


async def test_a_lease_is_renewed_only_by_its_holder(
    db: Database, schedule: PollSchedule, link: Link
) -> None:
    """A long poll extends its lease; once another process claimed the account (the lease
    ran out), the renewal says so and changes nothing."""
    if not db.dialect.row_locks:
        assert not schedule.shared  # SQLite: one process, no leases to renew
        return
    assert schedule.shared
    account = await link(100, "key-0001")
    await schedule.claim(now=100.0, lease_until=160.0, limit=10)
    assert await schedule.renew(account.id, 190.0)
    assert await schedule.next_due_at() == 190.0
    other = PollSchedule(db, owner="another-process")
    assert await other.claim(now=189.0, lease_until=250.0, limit=10) == []  # still ours
    assert [d.id for d in await other.claim(now=190.0, lease_until=250.0, limit=10)] == [account.id]
    assert not await schedule.renew(account.id, 300.0)  # lost: the other one's lease stays
    assert await schedule.next_due_at() == 250.0


async def test_processes_racing_for_due_accounts_claim_each_one_once(
    pg_server: Server, vault: KeyVault
) -> None:
    """Four processes' pools on one PostgreSQL database claim 200 due accounts at once:
    every account goes to exactly one of them; once the leases expire, they are due again."""
    url = await new_database(pg_server)
    dbs = [await Database.open(url) for _ in range(4)]
    try:
        chats, repo = ChatRepo(dbs[0]), AccountRepo(dbs[0], vault)
        for i in range(200):
            await chats.ensure(1000 + i, "private")
            await repo.add(1000 + i, Credentials(SITE, f"key-{i:04d}"), linked_by=1000 + i)
        schedules = [PollSchedule(d) for d in dbs]
        for _ in range(2):  # warm the pools: the claims start together
            await asyncio.gather(*(d.fetch_one("SELECT 1") for d in dbs))
        now = time.time()
        rounds = await asyncio.gather(
            *(s.claim(now, now + 60, 30) for s in schedules for _ in range(3))
        )
        ids = [d.id for batch in rounds for d in batch]
        assert len(ids) == len(set(ids)) == 200  # 12 claims of ≤ 30: all taken, none twice
        assert await schedules[0].claim(now + 59, now + 120, 500) == []  # leased
        assert len(await schedules[1].claim(now + 61, now + 120, 500)) == 200  # expired
    finally:
        for d in dbs:
            await d.close()


async def test_processes_starting_together_spread_without_deadlock(
    pg_server: Server, vault: KeyVault
) -> None:
    """Four processes start at once after a downtime, each spreading the overdue accounts
    (20,000): none of them fails (rows another one holds are skipped, not waited for: two
    spreads locking rows in different orders deadlocked), every account is spread."""
    url = await new_database(pg_server)
    dbs = [await Database.open(url) for _ in range(4)]
    try:
        await ChatRepo(dbs[0]).ensure(1000, "private")
        await AccountRepo(dbs[0], vault).add(1000, Credentials(SITE, "key-0000"), linked_by=1000)
        await dbs[0].execute(
            "INSERT INTO accounts (chat_id, site, key_fingerprint, api_key_enc, key_hint,"
            " linked_by, created_at, baseline_done) SELECT chat_id, site, key_fingerprint"
            " || CAST(g AS TEXT), api_key_enc, key_hint, linked_by, created_at, 1"
            " FROM accounts, generate_series(1, 19999) AS g"
        )
        schedules = [PollSchedule(d) for d in dbs]
        ids = [row[0] for row in await dbs[0].fetch_all("SELECT id FROM accounts ORDER BY id")]
        now = time.time()
        for _ in range(3):  # each time every process spreads all that is overdue
            await dbs[0].execute("UPDATE accounts SET next_poll_at = 1, baseline_done = 1")
            # … while one of them, already polling, writes its leases (in its own order).
            leases = [(i, now + 30) for i in reversed(ids[::7])]
            await asyncio.gather(
                *(s.spread(now, 60.0) for s in schedules[1:]), schedules[0].reschedule(leases)
            )
            assert await schedules[0].due(now - 1, 10) == []
            assert await schedules[0].next_due_at() is not None
    finally:
        for d in dbs:
            await d.close()
