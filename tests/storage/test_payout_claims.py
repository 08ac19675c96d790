"""Payout claims on both engines: one conditional UPDATE and its row count decide; the partial
UNIQUE index allows one request in flight per key. On PostgreSQL, four connections race."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from bot.exchanger.models import Credentials
from bot.storage.accounts import Account, AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.payouts import Claim, Draft, PayoutRepo, PayoutRequest, State
from tests.postgres import Server, new_database

NOW = 1_000_000.0


async def confirming(repo: PayoutRepo, account: Account, chat: int) -> PayoutRequest:
    draft = Draft(chat, chat, account.id, 3, "USDT", "T-wallet", Decimal("10.5"), Decimal("1"))
    request = await repo.create(draft, NOW)
    assert await repo.show(request.token, NOW + 300)
    shown = await repo.get(request.token)
    assert shown is not None and shown.state is State.CONFIRMING
    return shown


async def linked(db: Database, vault: KeyVault, chat: int, key: str = "key-1") -> Account:
    await ChatRepo(db).ensure(chat, "private")
    return await AccountRepo(db, vault).add(chat, Credentials("https://ex.test", key), chat)


async def test_a_confirmation_is_claimed_once(db: Database, vault: KeyVault) -> None:
    repo = PayoutRepo(db, vault)
    request = await confirming(repo, await linked(db, vault, 10), 10)
    assert await repo.claim(request, 10, NOW) is Claim.WON
    assert await repo.claim(request, 10, NOW) is Claim.LOST
    stored = await repo.get(request.token)
    assert stored is not None and stored.state is State.SUBMITTING and stored.wallet == "T-wallet"
    audit = await db.fetch_all("SELECT result FROM payout_audit WHERE request_id = ?", (stored.id,))
    assert [row["result"] for row in audit] == ["submitting"]


async def test_an_expired_confirmation_cannot_be_claimed(db: Database, vault: KeyVault) -> None:
    repo = PayoutRepo(db, vault)
    request = await confirming(repo, await linked(db, vault, 10), 10)
    assert await repo.claim(request, 10, NOW + 301) is Claim.LOST


async def test_one_request_in_flight_per_key_across_chats(db: Database, vault: KeyVault) -> None:
    repo = PayoutRepo(db, vault)
    first = await confirming(repo, await linked(db, vault, 10), 10)
    second = await confirming(repo, await linked(db, vault, 20), 20)  # the same key elsewhere
    assert await repo.claim(first, 10, NOW) is Claim.WON
    assert await repo.claim(second, 20, NOW) is Claim.BUSY
    after = await repo.get(second.token)
    assert after is not None and after.state is State.CONFIRMING  # rolled back, usable later
    in_flight = await repo.in_flight(second.account_id)
    assert in_flight is not None and in_flight.token == first.token


async def test_settle_moves_once_and_remembers_the_wallet(db: Database, vault: KeyVault) -> None:
    repo = PayoutRepo(db, vault)
    request = await confirming(repo, await linked(db, vault, 10), 10)
    assert await repo.claim(request, 10, NOW) is Claim.WON
    done = dict(from_states=(State.SUBMITTING,), user_id=10, now=NOW, payout_id=77)
    assert await repo.settle(request, State.DONE, "requested", **done)
    assert not await repo.settle(request, State.FAILED, "refused", **done)
    assert await repo.last_wallet(request.account_id, request.method_id) == "T-wallet"
    assert await repo.taken_payout_ids(request) == frozenset()


async def test_four_connections_race_one_claim(pg_server: Server, vault: KeyVault) -> None:
    """Four bot processes' databases (separate pools) on one PostgreSQL database: exactly one
    claim wins, and an event detected by all four is queued once."""
    from bot.storage.outbox import Message, Outbox, PollResult

    url = await new_database(pg_server)
    dbs = [await Database.open(url) for _ in range(4)]
    try:
        repos = [PayoutRepo(db, vault) for db in dbs]
        account = await linked(dbs[0], vault, 10)
        request = await confirming(repos[0], account, 10)
        for _ in range(2):  # warm the pools: all four start the statement together
            await asyncio.gather(*(db.fetch_one("SELECT 1") for db in dbs))
        claims = await asyncio.gather(*(repo.claim(request, 10, NOW) for repo in repos))
        assert sorted(claims) == sorted([Claim.WON, Claim.LOST, Claim.LOST, Claim.LOST])

        message = Message(f"{account.id}:accrued:5:1", "accrued", 10, account.id, {"n": 1})
        result = PollResult(account.id, NOW + 60, polled_at=NOW, messages=(message,))
        queued = await asyncio.gather(*(Outbox(db).save([result]) for db in dbs))
        assert sorted(queued) == [0, 0, 0, 1]
        rows = await dbs[0].fetch_all("SELECT event_key FROM outbox")
        assert [row[0] for row in rows] == [message.key]
    finally:
        for db in dbs:
            await db.close()
