"""PayoutService over a real SQLite file and the real OldApiClient talking to the in-process
sandbox: the confirmation is usable once, the balance is re-checked, unclear outcomes are
checked with get_payouts and never re-sent, every attempt is audited. (The reconciler's
schedule and the unclear answers: test_payout_checks.py.)"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from aiohttp.test_utils import TestServer

from bot.exchanger import Credentials, KeyRejected, OldApiClient
from bot.sandbox import SandboxState, create_app, seed_demo
from bot.sandbox.seed import ALICE, BLACKLISTED_ACCOUNT, BOB
from bot.services.access import AccountGone
from bot.services.payout_models import Outcome, PayoutTimings, Result, Step, WalletProblem
from bot.services.payouts import PayoutService
from bot.storage.accounts import Account, AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.payouts import Claim, PayoutRepo, PayoutRequest, State
from tests.postgres import new_database
from tests.sandbox.harness import Sandbox

CHAT, USER, OTHER = 5001, 5001, 6002
WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
TIMINGS = PayoutTimings(request_deadline=1.0, hook_timeout=0.5, check_schedule=(15, 60, 120))


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    service: PayoutService
    sandbox: Sandbox
    db: Database
    account: Account
    clock: Clock
    announced: list[tuple[PayoutRequest, Outcome]]

    async def state(self, request: PayoutRequest) -> State:
        row = await self.db.fetch_one(
            "SELECT state FROM payout_requests WHERE token = ?", (request.token,)
        )
        assert row is not None
        return State(row["state"])

    async def later(self, seconds: float) -> int:
        """The reconciler's step, `seconds` later."""
        self.clock.now += seconds
        return await self.service.checks.step()

    async def add_payout_calls(self) -> int:
        return (await self.sandbox.control("GET", "requests?method=add_payout"))["count"]

    async def confirmation(self, wallet: str = WALLET, method_id: int = 1) -> PayoutRequest:
        offer = await self.service.prepare(CHAT, USER, self.account.id, method_id, wallet)
        assert offer.status is Step.OK and offer.request is not None, offer
        await self.service.shown(offer.request.token)
        return offer.request

    async def fault(self, **rule: object) -> None:
        await self.sandbox.control("POST", "faults", {"methods": ["add_payout"], **rule})

    async def audit(self) -> list[str]:
        rows = await self.db.fetch_all("SELECT result FROM payout_audit ORDER BY id")
        return [row["result"] for row in rows]


@pytest.fixture(params=["sqlite", "postgresql"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The payout guarantees on both engines: the claim, one request in flight per key, the
    checks and the audit (the restart test below stays on a SQLite file it reopens)."""
    if request.param == "sqlite":
        database = await Database.open(tmp_path / "bot.sqlite3")
    else:
        database = await Database.open(await new_database(request.getfixturevalue("pg_server")))
    yield database
    await database.close()


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    state = SandboxState()
    seed_demo(state)
    server = TestServer(create_app(state))
    await server.start_server()
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=5) as client:
        yield Sandbox(state, client)
    await server.close()


async def make_world(
    db: Database,
    vault: KeyVault,
    sandbox: Sandbox,
    key: str = ALICE,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[World]:
    chats, accounts = ChatRepo(db), AccountRepo(db, vault)
    await chats.ensure(CHAT, "private")
    site = str(sandbox.client.base_url).rstrip("/")
    account = await accounts.add(CHAT, Credentials(site, key), linked_by=USER)
    clock = Clock()
    announced: list[tuple[PayoutRequest, Outcome]] = []

    async def announce(request: PayoutRequest, outcome: Outcome) -> bool:
        announced.append((request, outcome))
        return True

    async with httpx.AsyncClient(timeout=2, transport=transport) as http:
        service = PayoutService(
            OldApiClient(http),
            accounts,
            PayoutRepo(db, vault),
            confirm_ttl=300,
            timings=TIMINGS,
            clock=clock,
        )
        service.checks.announce = announce
        yield World(service, sandbox, db, account, clock, announced)


@pytest.fixture
async def world(db: Database, vault: KeyVault, sandbox: Sandbox) -> AsyncIterator[World]:
    async for value in make_world(db, vault, sandbox):
        yield value


async def test_options_list_methods_with_the_amount_received(world: World) -> None:
    offer = await world.service.options(CHAT, USER, world.account.id)
    assert offer.status is Step.OK and offer.balance == Decimal("57.35")
    first = offer.methods[0]
    assert (first.title, first.amount) == ("USDT TRC20", Decimal("56.35"))


async def test_below_minimum_says_how_much_is_missing(
    db: Database, vault: KeyVault, sandbox: Sandbox
) -> None:
    async for world in make_world(db, vault, sandbox, key=BOB):
        offer = await world.service.options(CHAT, USER, world.account.id)
        assert (offer.status, offer.missing) == (Step.BELOW_MINIMUM, Decimal("6.80"))


async def test_only_the_user_who_linked_the_account_and_only_in_its_chat(world: World) -> None:
    assert (await world.service.options(CHAT, OTHER, world.account.id)).status is Step.NOT_OWNER
    assert (await world.service.options(999, USER, world.account.id)).status is Step.GONE
    offer = await world.service.prepare(CHAT, USER, world.account.id, 1, "no spaces allowed")
    assert (offer.status, offer.problem) == (Step.INVALID_WALLET, WalletProblem.SPACES)


async def test_a_forged_account_id_gets_nothing(world: World) -> None:
    """Every method taking an account id: another chat's account, and an id nobody has."""
    await world.service.confirm((await world.confirmation()).token, CHAT, USER)
    assert await world.service.last_wallet(CHAT, world.account.id, 1) == WALLET
    for chat, account_id in ((999, world.account.id), (CHAT, world.account.id + 100)):
        assert (await world.service.options(chat, USER, account_id)).status is Step.GONE
        offer = await world.service.prepare(chat, USER, account_id, 1, WALLET)
        assert (offer.status, offer.request) == (Step.GONE, None)
        with pytest.raises(AccountGone):
            await world.service.last_wallet(chat, account_id, 1)


async def test_happy_path_requests_once_and_remembers_the_wallet(world: World) -> None:
    request = await world.confirmation()
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.REQUESTED and outcome.payout_id
    payouts = (await world.sandbox.control("GET", f"partners/{ALICE}"))["payouts"]
    created = [p for p in payouts if p["id"] == outcome.payout_id]
    assert created[0]["account"] == WALLET and created[0]["pay_amount"] == "56.35"
    assert await world.service.last_wallet(CHAT, world.account.id, 1) == WALLET
    assert await world.audit() == ["submitting", "sent", "requested"]
    row = await world.db.fetch_one("SELECT * FROM payout_audit WHERE result = 'requested'")
    assert row is not None and row["at"] == pytest.approx(world.clock.now)
    assert (row["chat_id"], row["user_id"], row["account_id"], row["method_id"]) == (
        CHAT,
        USER,
        world.account.id,
        1,
    )
    assert (row["wallet_masked"], row["payout_id"]) == ("TQn9…", outcome.payout_id)
    assert row["site"] == world.account.site
    stored = await world.db.fetch_one("SELECT wallet_enc FROM payout_requests")
    assert stored is not None and WALLET not in stored["wallet_enc"]
    # A second press reports the same payout and sends nothing.
    again = await world.service.confirm(request.token, CHAT, USER)
    assert (again.result, again.payout_id) == (Result.REQUESTED, outcome.payout_id)
    assert await world.add_payout_calls() == 1


async def test_concurrent_confirms_send_exactly_one_add_payout(world: World) -> None:
    request = await world.confirmation()
    outcomes = await asyncio.gather(
        *(world.service.confirm(request.token, CHAT, USER) for _ in range(5))
    )
    results = sorted(o.result for o in outcomes)
    assert results.count(Result.REQUESTED) >= 1
    assert set(results) <= {Result.REQUESTED, Result.IN_PROGRESS}
    assert len({o.payout_id for o in outcomes if o.payout_id}) == 1
    assert await world.add_payout_calls() == 1


async def test_another_user_cannot_confirm_or_cancel(world: World) -> None:
    request = await world.confirmation()
    assert (await world.service.confirm(request.token, CHAT, OTHER)).result is Result.NOT_YOURS
    assert (await world.service.cancel(request.token, CHAT, OTHER)).result is Result.NOT_YOURS
    assert (await world.service.confirm(request.token, 999, USER)).result is Result.STALE
    assert await world.add_payout_calls() == 0
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.REQUESTED
    audit = await world.db.fetch_all("SELECT user_id, result FROM payout_audit ORDER BY id")
    assert [tuple(row) for row in audit][:2] == [(OTHER, "not_yours"), (OTHER, "not_yours")]


async def test_an_expired_confirmation_does_nothing(world: World) -> None:
    request = await world.confirmation()
    world.clock.now += 301
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.EXPIRED
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.EXPIRED
    assert await world.add_payout_calls() == 0


async def test_cancelled_and_superseded_confirmations_do_nothing(world: World) -> None:
    first = await world.confirmation()
    assert (await world.service.cancel(first.token, CHAT, USER)).result is Result.CANCELLED
    assert (await world.service.confirm(first.token, CHAT, USER)).result is Result.CANCELLED
    second = await world.confirmation()
    third = await world.confirmation()  # a new flow for the same account replaces the old one
    assert (await world.service.confirm(second.token, CHAT, USER)).result is Result.CANCELLED
    assert (await world.service.confirm(third.token, CHAT, USER)).result is Result.REQUESTED
    assert await world.add_payout_calls() == 1


async def test_balance_is_checked_again_at_confirmation(world: World) -> None:
    request = await world.confirmation()
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"balance": "4.00"})
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert (outcome.result, outcome.detail) == (Result.BELOW_MINIMUM, "6.00")
    assert await world.add_payout_calls() == 0


async def test_a_refusal_shows_the_sites_text(world: World) -> None:
    request = await world.confirmation(wallet=BLACKLISTED_ACCOUNT)
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.REFUSED
    assert outcome.detail == "Error! This account is blacklisted"
    assert await world.service.last_wallet(CHAT, world.account.id, 1) is None


async def test_lost_answer_is_reconciled_to_the_created_payout(world: World) -> None:
    request = await world.confirmation()
    await world.fault(mode="drop", after_processing=True, count=1)
    outcome = await world.service.confirm(request.token, CHAT, USER)
    payouts = (await world.sandbox.control("GET", f"partners/{ALICE}"))["payouts"]
    newest = max(payouts, key=lambda p: p["id"])
    assert (outcome.result, outcome.payout_id) == (Result.RECONCILED, newest["id"])
    assert await world.add_payout_calls() == 1
    assert await world.audit() == ["submitting", "sent", "checking", "reconciled"]


async def test_a_request_lost_before_processing_is_checked_for_the_whole_schedule(
    world: World,
) -> None:
    request = await world.confirmation()
    await world.fault(mode="drop", count=1)
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.CHECKING and not outcome.replay
    again = await world.service.confirm(request.token, CHAT, USER)
    assert (again.result, again.replay) == (Result.CHECKING, True)
    for step, looked in ((15, 1), (45, 1), (30, 0)):  # 15 s, 60 s: looked; 90 s: not due
        assert await world.later(step) == looked
        assert await world.state(request) is State.CHECKING and world.announced == []
    assert await world.later(40) == 1  # 130 s: past the last check
    assert await world.state(request) is State.FAILED
    [(told, told_outcome)] = world.announced
    assert told.token == request.token and told_outcome.result is Result.NOT_CREATED
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.NOT_CREATED
    assert await world.add_payout_calls() == 1
    assert await world.audit() == [
        "submitting",
        "sent",
        "checking",
        "duplicate",
        "checked",
        "checked",
        "not_created",
        "duplicate",
    ]


async def test_still_unknown_is_checked_again_later_without_resending(world: World) -> None:
    request = await world.confirmation()
    await world.fault(mode="http_502", after_processing=True, count=1)
    await world.sandbox.control("POST", "faults", {"mode": "http_502", "methods": ["get_payouts"]})
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CHECKING
    await world.later(15)
    assert await world.state(request) is State.CHECKING  # the list could not be read
    await world.sandbox.control("DELETE", "faults")
    await world.later(45)
    [(_, told)] = world.announced
    assert told.result is Result.RECONCILED and told.payout_id
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert (outcome.result, outcome.payout_id) == (Result.RECONCILED, told.payout_id)
    assert await world.add_payout_calls() == 1


async def test_an_account_is_not_deleted_while_its_request_is_checked(
    world: World, db: Database, vault: KeyVault
) -> None:
    """Deleting it would cascade to the request: its checks and the key's one-in-flight guard
    would go with it. The account stays until the request has its result."""
    request = await world.confirmation()
    await world.fault(mode="drop", after_processing=True, count=1)
    await world.sandbox.control("POST", "faults", {"mode": "drop", "methods": ["get_payouts"]})
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CHECKING
    assert not await AccountRepo(db, vault).delete(CHAT, world.account.id)
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CHECKING
    assert await world.state(request) is State.CHECKING
    assert await world.add_payout_calls() == 1


async def test_unreachable_site_means_nothing_was_requested(
    db: Database, vault: KeyVault, sandbox: Sandbox
) -> None:
    async def cannot_connect_for_add_payout(request: httpx.Request) -> httpx.Response:
        if request.url.params["method"] == "add_payout":
            raise httpx.ConnectError("connection refused", request=request)
        answer = await sandbox.client.get(request.url.path, params=request.url.params)
        return httpx.Response(answer.status_code, content=answer.content)

    transport = httpx.MockTransport(cannot_connect_for_add_payout)
    async for world in make_world(db, vault, sandbox, transport=transport):
        request = await world.confirmation()
        outcome = await world.service.confirm(request.token, CHAT, USER)
        assert outcome.result is Result.UNAVAILABLE
        assert await world.add_payout_calls() == 0


async def test_the_amount_requested_is_the_one_read_at_confirmation(world: World) -> None:
    request = await world.confirmation()
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"balance": "80.00"})
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.request is not None and outcome.request.amount == Decimal("79.00")
    again = await world.service.confirm(request.token, CHAT, USER)
    assert again.request is not None and again.request.amount == Decimal("79.00")


async def test_a_failed_recheck_changes_nothing_and_may_be_pressed_again(world: World) -> None:
    request = await world.confirmation()
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"api_enabled": False})
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.CHECK_FAILED and isinstance(outcome.error, KeyRejected)
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"api_enabled": True})
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.REQUESTED
    assert await world.audit() == ["check_failed", "submitting", "sent", "requested"]


async def test_a_claim_cut_by_a_crash_before_sending_ends_as_not_sent(
    db: Database, vault: KeyVault, world: World
) -> None:
    request = await world.confirmation()
    repo = PayoutRepo(db, vault)
    assert await repo.claim(request, USER, world.clock()) is Claim.WON  # the process dies here
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.IN_PROGRESS
    await world.later(TIMINGS.stale_after + 1)  # a restarted bot: nothing was sent
    assert await world.state(request) is State.FAILED
    assert [o.result for _, o in world.announced] == [Result.NOT_SENT]
    assert await world.add_payout_calls() == 0


async def test_a_request_cut_by_a_crash_after_sending_is_checked(
    db: Database, vault: KeyVault, world: World
) -> None:
    request = await world.confirmation()
    repo = PayoutRepo(db, vault)
    assert await repo.claim(request, USER, world.clock()) is Claim.WON
    assert await repo.mark_sent(request, world.clock())
    await world.sandbox.data("add_payout", method_id="1", account=WALLET)  # it reached the site
    await world.later(TIMINGS.stale_after - 1)
    assert await world.state(request) is State.SUBMITTING  # may still be in flight
    await world.later(2)  # stale: checking, the chat is told; found on the next step
    await world.later(0)
    assert [o.result for _, o in world.announced] == [Result.CHECKING, Result.RECONCILED]
    assert await world.state(request) is State.DONE


async def test_restart_between_confirmation_and_press(
    tmp_path: Path, vault: KeyVault, sandbox: Sandbox
) -> None:
    db = await Database.open(tmp_path / "restart.sqlite3")
    async for world in make_world(db, vault, sandbox):
        request = await world.confirmation()
    await db.close()
    db = await Database.open(tmp_path / "restart.sqlite3")
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            accounts = AccountRepo(db, vault)
            service = PayoutService(
                OldApiClient(http), accounts, PayoutRepo(db, vault), confirm_ttl=300
            )
            first = await service.confirm(request.token, CHAT, USER)
            second = await service.confirm(request.token, CHAT, USER)
        assert first.result is Result.REQUESTED and second.payout_id == first.payout_id
        state = await db.fetch_one("SELECT state FROM payout_requests")
        assert state is not None and state["state"] == State.DONE
    finally:
        await db.close()


async def test_no_wallet_in_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    request = await world.confirmation()
    await world.fault(mode="drop", after_processing=True, count=1)
    await world.service.confirm(request.token, CHAT, USER)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert any("checking" in line for line in ours)
    assert not [line for line in ours if WALLET[:8] in line]
    assert WALLET not in repr(request)


# --- the guards at Confirm: one request per key, no lower amount, a readable wallet ---


async def second_chat(db: Database, vault: KeyVault, world: World, chat: int = 7007) -> Account:
    """The same key linked in another chat (by another user)."""
    await ChatRepo(db).ensure(chat, "private")
    creds = Credentials(world.account.site, ALICE)
    return await AccountRepo(db, vault).add(chat, creds, linked_by=chat)


async def test_the_same_key_in_two_chats_pressed_at_once_sends_one_request(
    db: Database, vault: KeyVault, world: World
) -> None:
    other = await second_chat(db, vault, world)
    mine = await world.confirmation()
    offer = await world.service.prepare(7007, 7007, other.id, 1, WALLET)
    assert offer.request is not None
    await world.service.shown(offer.request.token)
    outcomes = await asyncio.gather(
        world.service.confirm(mine.token, CHAT, USER),
        world.service.confirm(offer.request.token, 7007, 7007),
    )
    results = sorted(o.result for o in outcomes)
    assert results == sorted([Result.REQUESTED, Result.BUSY]) or Result.BELOW_MINIMUM in results
    assert await world.add_payout_calls() == 1


async def test_a_key_being_checked_refuses_new_confirmations_everywhere(
    db: Database, vault: KeyVault, world: World
) -> None:
    first = await world.confirmation()
    await world.fault(mode="drop", count=1)
    assert (await world.service.confirm(first.token, CHAT, USER)).result is Result.CHECKING
    other = await second_chat(db, vault, world)
    for chat, account_id in ((CHAT, world.account.id), (7007, other.id)):
        offer = await world.service.prepare(chat, chat, account_id, 1, WALLET)
        assert offer.request is not None
        await world.service.shown(offer.request.token)
        busy = await world.service.confirm(offer.request.token, chat, chat)
        assert busy.result is Result.BUSY and busy.pending is not None
        assert busy.pending.token == first.token and busy.pending.state is State.CHECKING
    assert await world.add_payout_calls() == 1


async def test_the_database_allows_one_claim_per_key(
    db: Database, vault: KeyVault, world: World
) -> None:
    """Two processes on one database: both pass every check, the claim decides."""
    other = await second_chat(db, vault, world)
    mine = await world.confirmation()
    offer = await world.service.prepare(7007, 7007, other.id, 1, WALLET)
    assert offer.request is not None
    await world.service.shown(offer.request.token)
    repo_a, repo_b = PayoutRepo(db, vault), PayoutRepo(db, vault)
    assert await repo_a.claim(mine, USER, world.clock()) is Claim.WON
    assert await repo_b.claim(offer.request, 7007, world.clock()) is Claim.BUSY
    assert await repo_b.claim(mine, USER, world.clock()) is Claim.LOST


async def test_a_raised_commission_sends_nothing_and_offers_the_new_figures(world: World) -> None:
    request = await world.confirmation()
    methods = [{"id": 1, "title": "USDT TRC20", "comission": "2.50", "currency_code": "USDT"}]
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"methods": methods})
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.CHANGED and outcome.offer and outcome.offer.request
    fresh = outcome.offer.request
    assert (fresh.amount, fresh.commission) == (Decimal("54.85"), Decimal("2.50"))
    assert await world.add_payout_calls() == 0
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CANCELLED
    done = await world.service.confirm(fresh.token, CHAT, USER)
    assert done.result is Result.REQUESTED and await world.add_payout_calls() == 1


@pytest.mark.parametrize("stored_wallet", ["not-a-fernet-token", None])
async def test_an_unreadable_or_empty_wallet_stops_the_flow(
    world: World, stored_wallet: str | None
) -> None:
    request = await world.confirmation()
    await world.db.execute(
        "UPDATE payout_requests SET wallet_enc = ? WHERE token = ?", (stored_wallet, request.token)
    )
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.BAD_WALLET
    assert await world.add_payout_calls() == 0
    assert await world.audit() == ["bad_wallet"]


async def test_shutdown_during_add_payout_hands_it_to_the_checks(world: World) -> None:
    request = await world.confirmation()
    await world.fault(mode="slow", delay=5, count=1)
    task = asyncio.create_task(world.service.confirm(request.token, CHAT, USER))
    for _ in range(200):  # until the request reached the site
        if await world.add_payout_calls():
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await world.state(request) is State.CHECKING
    await world.service.drain()  # nothing in flight any more: returns at once
